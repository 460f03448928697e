import Foundation

/// One transition being worked out by ``TicketStateMachine``: the ticket as stored, the ticket
/// it becomes, and the details its event records. One small function per action, grouped by
/// concern in the `Transition+…` files beside this one.
struct Transition {
    /// The ticket as stored.
    let ticket: Ticket
    let context: TicketStateMachine.Context
    /// The ticket as it becomes.
    var next: Ticket
    /// Details of the action, recorded in the event.
    var payload: [String: String] = [:]

    init(ticket: Ticket, context: TicketStateMachine.Context) {
        self.ticket = ticket
        self.context = context
        self.next = ticket
    }

    var now: Date { context.now }

    /// The ticket after the action, and its event: the next sweeper look, version and time.
    func finish(_ type: EventType) -> (Ticket, TicketEvent) {
        var next = self.next
        next.oversight.nextCheck = DeadlineSweep.nextCheck(next, policy: context.accountability, calendar: context.policy.calendar)
        next.version = ticket.version + 1
        next.updatedAt = now
        let event = TicketEvent(
            sequence: next.version, ticketID: ticket.id, tenantID: ticket.tenantID, type: type, at: now,
            actor: context.actor, fromStatus: ticket.status, toStatus: next.status, payload: payload
        )
        return (next, event)
    }

    /// Records the lead unit (most events name it, for the unit's counters).
    mutating func recordUnit() {
        if let unit = ticket.leadUnit { payload["unit"] = unit }
    }

    /// Records an optional note.
    mutating func record(note: String?) {
        if let note { payload["note"] = note }
    }

    /// The deadlines the city's policy gives this ticket from now.
    var freshDeadlines: Deadlines {
        context.policy.deadlines(kind: ticket.kind, urgency: ticket.urgency, category: ticket.categoryCode, start: now)
    }

    static func require(_ text: String, _ field: String) throws(TransitionError) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalid(FieldError(field: field, message: "must not be empty"))
        }
    }

    static func invalid(_ field: String, _ message: String) -> TransitionError {
        .invalid(FieldError(field: field, message: message))
    }

    static func stamp(_ date: Date) -> String { TicketStateMachine.stamp(date) }
}

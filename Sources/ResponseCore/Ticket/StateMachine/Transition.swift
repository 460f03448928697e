import Foundation

/// One transition being worked out by ``TicketStateMachine``: the ticket as stored and the ticket
/// it becomes. One small function per action, grouped by concern in the `Transition+…` files
/// beside this one, each returning the ``EventDetail`` its event records.
struct Transition {
    /// The ticket as stored.
    let ticket: Ticket
    let context: TicketStateMachine.Context
    /// The ticket as it becomes.
    var next: Ticket

    init(ticket: Ticket, context: TicketStateMachine.Context) {
        self.ticket = ticket
        self.context = context
        self.next = ticket
    }

    var now: Date { context.now }
    /// The lead unit before the action (most events name it, for the unit's counters).
    var unit: String? { ticket.leadUnit }

    /// The ticket after the action, and the event recording `detail`: the next sweeper look,
    /// version and time.
    func finish(_ detail: EventDetail) -> (Ticket, TicketEvent) {
        var next = self.next
        next.oversight.nextCheck = DeadlineSweep.nextCheck(next, policy: context.accountability, calendar: context.policy.calendar)
        next.version = ticket.version + 1
        next.updatedAt = now
        let event = TicketEvent(
            sequence: next.version, ticketID: ticket.id, tenantID: ticket.tenantID, at: now,
            actor: context.actor, fromStatus: ticket.status, toStatus: next.status, detail: detail
        )
        return (next, event)
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

}

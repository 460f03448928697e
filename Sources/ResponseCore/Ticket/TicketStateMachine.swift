import Foundation

/// The ticket lifecycle as a pure function: a ticket and an action in, the next ticket and the
/// event to append out, or a typed refusal. No I/O; the store persists both in one transaction.
public enum TicketStateMachine {
    /// Everything an action needs besides the ticket.
    public struct Context: Sendable {
        public var now: Date
        public var actor: Actor
        public var policy: DeadlinePolicy

        public init(now: Date, actor: Actor, policy: DeadlinePolicy) {
            self.now = now
            self.actor = actor
            self.policy = policy
        }
    }

    /// The states each action may start from. The single source of truth for legality.
    public static func sources(of action: TicketAction) -> Set<TicketStatus> {
        switch action {
        case .answer: [.received]
        case .dispatch: [.received, .returned]
        case .accept: [.dispatched]
        case .giveBack: [.dispatched, .accepted]
        case .contact: [.accepted, .contacted, .reopened]
        case .reply: [.accepted, .contacted, .reopened]
        case .evaluate: [.replied]
        case .reopen: [.replied, .evaluated, .closed]
        case .triage: [.received, .dispatched, .returned, .arbitration]
        case .rejectReturn: [.returned]
        case .arbitrate: [.arbitration]
        case .merge: [.received, .dispatched, .accepted, .returned, .arbitration, .contacted, .reopened]
        case .urge: [.dispatched, .accepted, .returned, .arbitration, .contacted, .reopened]
        case .extend: [.dispatched, .accepted, .contacted, .reopened]
        case .close: [.replied, .evaluated]
        case .comment: Set(TicketStatus.allCases)
        }
    }

    /// Names of the actions legal in `status`, in a stable order, for errors and clients.
    public static func allowedActions(in status: TicketStatus) -> [String] {
        sampleActions.filter { sources(of: $0).contains(status) }.map(\.name)
    }

    /// One value of every action, used to enumerate the table.
    public static let sampleActions: [TicketAction] = [
        .answer(text: "a"), .dispatch(leadUnit: "u", coUnits: [], note: nil), .accept,
        .giveBack(reason: .wrongLocation, note: nil), .contact(note: "n"), .reply(text: "r", resolved: true),
        .evaluate(Evaluation(resolved: true, satisfaction: .satisfied)), .reopen(reason: "r"), .triage(Triage()),
        .rejectReturn(note: nil), .arbitrate(leadUnit: "u", coUnits: [], note: nil), .merge(into: "x"),
        .urge(note: nil), .extend(until: Date(timeIntervalSince1970: 0), reason: "r"), .close(note: nil),
        .comment(text: "c", details: [:]),
    ]

    /// Applies `action` to `ticket`.
    /// - Parameters:
    ///   - action: What to do.
    ///   - ticket: The ticket as stored.
    ///   - context: Clock reading, actor and deadline policy.
    /// - Returns: The updated ticket (version + 1) and the event that records the change.
    /// - Throws: ``TransitionError`` when the action is illegal now or its arguments are invalid.
    public static func apply(
        _ action: TicketAction,
        to ticket: Ticket,
        context: Context
    ) throws(TransitionError) -> (Ticket, TicketEvent) {
        guard sources(of: action).contains(ticket.status) else {
            throw .illegalTransition(action: action.name, from: ticket.status, allowed: allowedActions(in: ticket.status))
        }
        let now = context.now
        var next = ticket
        var payload: [String: String] = [:]

        switch action {
        case .answer(let text):
            try require(text, "text")
            next.status = .answered
            next.reply = text
            next.closedAt = now
            payload["text"] = text

        case .dispatch(let lead, let coUnits, let note):
            try checkRoute(lead, coUnits)
            let fresh = context.policy.deadlines(kind: ticket.kind, urgency: ticket.urgency, category: ticket.categoryCode, start: now)
            if ticket.status == .returned {
                // Re-routing gives the new unit its own sign-off window, but the resolution clock
                // keeps running from the first dispatch: bouncing a ticket must not buy time.
                next.deadlines = Deadlines(
                    accept: fresh.accept,
                    firstContact: ticket.deadlines.firstContact.map { max($0, fresh.accept ?? now) } ?? fresh.firstContact,
                    resolution: ticket.deadlines.resolution ?? fresh.resolution,
                    returnWindow: fresh.returnWindow
                )
            } else {
                next.deadlines = fresh
            }
            if ticket.status == .returned, let previous = ticket.leadUnit {
                // Re-routing away from the unit that returned it: its return is upheld.
                payload["upheld"] = "true"
                payload["returnedBy"] = previous
            }
            route(&next, &payload, lead: lead, coUnits: coUnits, note: note)

        case .accept:
            next.status = .accepted
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .giveBack(let reason, let note):
            if let window = ticket.deadlines.returnWindow, now > window {
                throw .returnWindowClosed(closedAt: window)
            }
            // A unit whose return was already rejected cannot bounce the ticket to the
            // dispatcher again: its second dispute goes to a supervisor.
            next.status = ticket.disputes > 0 ? .arbitration : .returned
            next.returnCount += 1
            payload["reason"] = reason.rawValue
            if let unit = ticket.leadUnit { payload["unit"] = unit }
            if let note { payload["note"] = note }

        case .contact(let note):
            try require(note, "note")
            next.status = .contacted
            payload["note"] = note
            if ticket.status == .accepted || ticket.status == .reopened, let due = ticket.deadlines.firstContact {
                payload["onTime"] = now <= due ? "true" : "false"
            }

        case .reply(let text, let resolved):
            try require(text, "text")
            next.status = .replied
            next.reply = text
            next.replyResolved = resolved
            payload["text"] = text
            payload["resolved"] = String(resolved)
            if let due = ticket.deadlines.resolution { payload["onTime"] = now <= due ? "true" : "false" }

        case .evaluate(let evaluation):
            next.status = .evaluated
            next.evaluation = evaluation
            payload["resolved"] = String(evaluation.resolved)
            payload["satisfaction"] = evaluation.satisfaction.rawValue
            if let contacted = evaluation.contacted { payload["contacted"] = String(contacted) }
            if let comment = evaluation.comment { payload["comment"] = comment }

        case .reopen(let reason):
            try require(reason, "reason")
            guard ticket.leadUnit != nil else {
                throw .invalid(FieldError(field: "reason", message: "the ticket has no unit to reopen to"))
            }
            let fresh = context.policy.deadlines(kind: ticket.kind, urgency: ticket.urgency, category: ticket.categoryCode, start: now)
            next.status = .reopened
            next.reopenCount += 1
            next.closedAt = nil
            next.deadlines.firstContact = fresh.firstContact
            next.deadlines.resolution = fresh.resolution
            payload["reason"] = reason
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .triage(let triage):
            if let code = triage.categoryCode {
                guard OrgUnit.isValidCode(code) else { throw .invalid(FieldError(field: "categoryCode", message: "not a category code")) }
                if let old = ticket.categoryCode, old != code { payload["previousCategory"] = old }
                next.categoryCode = code
                payload["categoryCode"] = code
            }
            if let district = triage.districtCode {
                next.location.districtCode = district
                payload["districtCode"] = district
            }
            if let street = triage.streetCode {
                next.location.streetCode = street
                payload["streetCode"] = street
            }
            payload.merge(triage.notes) { own, _ in own }
            if payload.isEmpty { throw .invalid(FieldError(field: "categoryCode", message: "a triage must set or record something")) }

        case .rejectReturn(let note):
            guard let unit = ticket.leadUnit else {
                throw .invalid(FieldError(field: "note", message: "the ticket has no unit to keep it"))
            }
            // The unit keeps the ticket with the clocks it had: bouncing buys no time. Whether
            // it had already accepted is not known here, so it must sign again.
            next.status = .dispatched
            next.disputes += 1
            payload["unit"] = unit
            if let note { payload["note"] = note }

        case .arbitrate(let lead, let coUnits, let note):
            try checkRoute(lead, coUnits)
            if lead != ticket.leadUnit {
                // A different unit gets its own sign-off window; the resolution clock runs on.
                let fresh = context.policy.deadlines(kind: ticket.kind, urgency: ticket.urgency, category: ticket.categoryCode, start: now)
                next.deadlines.accept = fresh.accept
                if let unit = ticket.leadUnit { payload["from"] = unit }
            }
            // The ruling is final: no return window for the unit that now leads.
            next.deadlines.returnWindow = now
            route(&next, &payload, lead: lead, coUnits: coUnits, note: note)

        case .merge(let parent):
            guard TicketNumber(parent) != nil else {
                throw .invalid(FieldError(field: "into", message: "must be a ticket number such as 20261125-000123"))
            }
            guard parent != ticket.number else {
                throw .invalid(FieldError(field: "into", message: "a ticket cannot be merged into itself"))
            }
            next.status = .merged
            next.mergedInto = parent
            next.closedAt = now
            payload["into"] = parent

        case .urge(let note):
            if let note { payload["note"] = note }
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .extend(let until, let reason):
            try require(reason, "reason")
            guard until > now else { throw .invalid(FieldError(field: "until", message: "must be in the future")) }
            if let current = ticket.deadlines.resolution, until <= current {
                throw .invalid(FieldError(field: "until", message: "must be later than the current deadline \(current.formatted(.iso8601))"))
            }
            if let current = ticket.deadlines.resolution { payload["from"] = current.formatted(.iso8601) }
            next.deadlines.resolution = until
            payload["until"] = until.formatted(.iso8601)
            payload["reason"] = reason

        case .close(let note):
            next.status = .closed
            next.closedAt = now
            if let note { payload["note"] = note }
            // Whether it closed solved, in the complainant's words when rated, else the unit's.
            if let resolved = ticket.evaluation?.resolved ?? ticket.replyResolved { payload["resolved"] = String(resolved) }

        case .comment(let text, let details):
            try require(text, "text")
            payload.merge(details) { _, given in given }
            payload["text"] = text
            if let unit = ticket.leadUnit { payload["unit"] = unit }
        }

        next.version = ticket.version + 1
        next.updatedAt = now
        let event = TicketEvent(
            sequence: next.version,
            ticketID: ticket.id,
            tenantID: ticket.tenantID,
            type: action.eventType,
            at: now,
            actor: context.actor,
            fromStatus: ticket.status,
            toStatus: next.status,
            payload: payload
        )
        return (next, event)
    }

    /// A lead unit is named and is not also a co-unit.
    private static func checkRoute(_ lead: String, _ coUnits: [String]) throws(TransitionError) {
        try require(lead, "leadUnit")
        if coUnits.contains(lead) { throw .invalid(FieldError(field: "coUnits", message: "must not repeat the lead unit")) }
    }

    /// Hands the ticket to `lead` (dispatch and arbitration alike) and records it in the event.
    private static func route(_ next: inout Ticket, _ payload: inout [String: String], lead: String, coUnits: [String], note: String?) {
        next.status = .dispatched
        next.leadUnit = lead
        next.coUnits = coUnits
        next.disputes = 0
        payload["leadUnit"] = lead
        if !coUnits.isEmpty { payload["coUnits"] = coUnits.joined(separator: ",") }
        if let note { payload["note"] = note }
    }

    private static func require(_ text: String, _ field: String) throws(TransitionError) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalid(FieldError(field: field, message: "must not be empty"))
        }
    }
}

import Foundation

/// Routing: dispatch, sign-off, returns and their disputes, arbitration, triage, merging.
extension Transition {
    mutating func dispatch(_ lead: String, _ coUnits: [String], _ note: String?) throws(TransitionError) -> EventDetail {
        try Self.checkRoute(lead, coUnits)
        let fresh = freshDeadlines
        var upheld: EventDetail.Assignment?
        if ticket.status == .returned {
            // Re-routing gives the new unit its own sign-off window, but the resolution clock
            // keeps running from the first dispatch: bouncing a ticket must not buy time.
            next.deadlines = Deadlines(
                accept: fresh.accept,
                firstContact: ticket.deadlines.firstContact.map { max($0, fresh.accept ?? now) } ?? fresh.firstContact,
                resolution: ticket.deadlines.resolution ?? fresh.resolution,
                returnWindow: fresh.returnWindow
            )
            // Re-routing away from the unit that returned it: its return is upheld.
            if let previous = ticket.leadUnit { upheld = EventDetail.Assignment(unit: previous, assignedAt: ticket.oversight.assignedAt) }
        } else {
            next.deadlines = fresh
        }
        next.oversight.assignedAt = now
        next.oversight.firstContactDone = false
        return .dispatched(route(lead, coUnits, note), upheld: upheld)
    }

    mutating func accept() -> EventDetail {
        next.status = .accepted
        return .accepted(unit: unit)
    }

    mutating func giveBack(_ reason: ReturnReason, _ note: String?) throws(TransitionError) -> EventDetail {
        if let window = ticket.deadlines.returnWindow, now > window {
            throw .returnWindowClosed(closedAt: window)
        }
        // A unit whose return was already rejected cannot bounce the ticket to the dispatcher
        // again: its second dispute goes to a supervisor.
        next.status = ticket.disputes > 0 ? .arbitration : .returned
        next.returnCount += 1
        return .returned(reason: reason, note: note, unit: unit)
    }

    mutating func rejectReturn(_ note: String?) throws(TransitionError) -> EventDetail {
        guard let unit else { throw Self.invalid("note", "the ticket has no unit to keep it") }
        // The unit keeps the ticket with the clocks it had: bouncing buys no time. Whether it had
        // already accepted is not known here, so it must sign again.
        next.status = .dispatched
        next.disputes += 1
        return .returnRejected(note: note, unit: unit)
    }

    mutating func arbitrate(_ lead: String, _ coUnits: [String], _ note: String?) throws(TransitionError) -> EventDetail {
        try Self.checkRoute(lead, coUnits)
        var replaced: EventDetail.Assignment?
        if lead != ticket.leadUnit {
            // A different unit gets its own sign-off window; the resolution clock runs on.
            next.deadlines.accept = freshDeadlines.accept
            if unit != nil || ticket.oversight.assignedAt != nil {
                replaced = EventDetail.Assignment(unit: unit, assignedAt: ticket.oversight.assignedAt)
            }
            next.oversight.assignedAt = now
            next.oversight.firstContactDone = false
        }
        // The ruling is final: no return window for the unit that now leads.
        next.deadlines.returnWindow = now
        return .arbitrated(route(lead, coUnits, note), replaced: replaced)
    }

    mutating func triage(_ triage: Triage) throws(TransitionError) -> EventDetail {
        var previous: String?
        if let code = triage.categoryCode {
            guard OrgUnit.isValidCode(code) else { throw Self.invalid("categoryCode", "not a category code") }
            if let old = ticket.categoryCode, old != code { previous = old }
            next.categoryCode = code
        }
        if let district = triage.districtCode { next.location.districtCode = district }
        if let street = triage.streetCode { next.location.streetCode = street }
        let detail = EventDetail.triaged(triage, previousCategory: previous)
        if detail.payload.isEmpty { throw Self.invalid("categoryCode", "a triage must set or record something") }
        return detail
    }

    /// Joins the ticket to `parent`. The parent itself is the store's to read and check with
    /// ``TicketStateMachine/checkMergeTarget(_:number:)``, in the same transaction.
    mutating func merge(into parent: String) throws(TransitionError) -> EventDetail {
        guard TicketNumber(parent) != nil else { throw Self.invalid("into", "must be a ticket number such as 20261125-000123") }
        guard parent != ticket.number else { throw Self.invalid("into", "a ticket cannot be merged into itself") }
        next.status = .merged
        next.mergedInto = parent
        next.closedAt = now
        next.oversight.followUp = nil
        return .merged(into: parent)
    }

    /// A lead unit is named and is not also a co-unit.
    static func checkRoute(_ lead: String, _ coUnits: [String]) throws(TransitionError) {
        try require(lead, "leadUnit")
        if coUnits.contains(lead) { throw invalid("coUnits", "must not repeat the lead unit") }
    }

    /// Hands the ticket to `lead` (dispatch and arbitration alike).
    mutating func route(_ lead: String, _ coUnits: [String], _ note: String?) -> EventDetail.Routing {
        next.status = .dispatched
        next.leadUnit = lead
        next.coUnits = coUnits
        next.disputes = 0
        return EventDetail.Routing(leadUnit: lead, coUnits: coUnits, note: note)
    }
}

extension TicketStateMachine {
    /// The one rule for the ticket a duplicate joins: it exists in the city and is still open
    /// (not answered, closed or itself merged), so the duplicate's complainant hears its outcome.
    /// The store applies it to every merge; intake asks it before proposing one.
    public static func checkMergeTarget(_ parent: Ticket?, number: String) throws(TransitionError) {
        guard let parent else { throw .invalid(FieldError(field: "into", message: "no ticket \(number)")) }
        if parent.status == .merged {
            throw .invalid(FieldError(field: "into", message: "\(number) is itself merged into \(parent.mergedInto ?? "another ticket")"))
        }
        if parent.status.isFinal {
            throw .invalid(FieldError(field: "into", message: "\(number) is \(parent.status.rawValue): a duplicate joins an open ticket"))
        }
    }
}

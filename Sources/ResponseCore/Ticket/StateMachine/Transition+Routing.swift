import Foundation

/// Routing: dispatch, sign-off, returns and their disputes, arbitration, triage, merging.
extension Transition {
    mutating func dispatch(_ lead: String, _ coUnits: [String], _ note: String?) throws(TransitionError) {
        try Self.checkRoute(lead, coUnits)
        let fresh = freshDeadlines
        if ticket.status == .returned {
            // Re-routing gives the new unit its own sign-off window, but the resolution clock
            // keeps running from the first dispatch: bouncing a ticket must not buy time.
            next.deadlines = Deadlines(
                accept: fresh.accept,
                firstContact: ticket.deadlines.firstContact.map { max($0, fresh.accept ?? now) } ?? fresh.firstContact,
                resolution: ticket.deadlines.resolution ?? fresh.resolution,
                returnWindow: fresh.returnWindow
            )
            if let previous = ticket.leadUnit {
                // Re-routing away from the unit that returned it: its return is upheld.
                payload["upheld"] = "true"
                payload["returnedBy"] = previous
                if let assigned = ticket.oversight.assignedAt { payload["returnedAssignedAt"] = Self.stamp(assigned) }
            }
        } else {
            next.deadlines = fresh
        }
        next.oversight.assignedAt = now
        next.oversight.firstContactDone = false
        route(lead, coUnits, note)
    }

    mutating func accept() {
        next.status = .accepted
        recordUnit()
    }

    mutating func giveBack(_ reason: ReturnReason, _ note: String?) throws(TransitionError) {
        if let window = ticket.deadlines.returnWindow, now > window {
            throw .returnWindowClosed(closedAt: window)
        }
        // A unit whose return was already rejected cannot bounce the ticket to the dispatcher
        // again: its second dispute goes to a supervisor.
        next.status = ticket.disputes > 0 ? .arbitration : .returned
        next.returnCount += 1
        payload["reason"] = reason.rawValue
        recordUnit()
        record(note: note)
    }

    mutating func rejectReturn(_ note: String?) throws(TransitionError) {
        guard let unit = ticket.leadUnit else { throw Self.invalid("note", "the ticket has no unit to keep it") }
        // The unit keeps the ticket with the clocks it had: bouncing buys no time. Whether it had
        // already accepted is not known here, so it must sign again.
        next.status = .dispatched
        next.disputes += 1
        payload["unit"] = unit
        record(note: note)
    }

    mutating func arbitrate(_ lead: String, _ coUnits: [String], _ note: String?) throws(TransitionError) {
        try Self.checkRoute(lead, coUnits)
        if lead != ticket.leadUnit {
            // A different unit gets its own sign-off window; the resolution clock runs on.
            next.deadlines.accept = freshDeadlines.accept
            if let unit = ticket.leadUnit { payload["from"] = unit }
            if let assigned = ticket.oversight.assignedAt { payload["fromAssignedAt"] = Self.stamp(assigned) }
            next.oversight.assignedAt = now
            next.oversight.firstContactDone = false
        }
        // The ruling is final: no return window for the unit that now leads.
        next.deadlines.returnWindow = now
        route(lead, coUnits, note)
    }

    mutating func triage(_ triage: Triage) throws(TransitionError) {
        if let code = triage.categoryCode {
            guard OrgUnit.isValidCode(code) else { throw Self.invalid("categoryCode", "not a category code") }
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
        if payload.isEmpty { throw Self.invalid("categoryCode", "a triage must set or record something") }
    }

    /// Joins the ticket to `parent`. The parent itself is the store's to read and check with
    /// ``TicketStateMachine/checkMergeTarget(_:number:)``, in the same transaction.
    mutating func merge(into parent: String) throws(TransitionError) {
        guard TicketNumber(parent) != nil else { throw Self.invalid("into", "must be a ticket number such as 20261125-000123") }
        guard parent != ticket.number else { throw Self.invalid("into", "a ticket cannot be merged into itself") }
        next.status = .merged
        next.mergedInto = parent
        next.closedAt = now
        next.oversight.followUp = nil
        payload["into"] = parent
    }

    /// A lead unit is named and is not also a co-unit.
    static func checkRoute(_ lead: String, _ coUnits: [String]) throws(TransitionError) {
        try require(lead, "leadUnit")
        if coUnits.contains(lead) { throw invalid("coUnits", "must not repeat the lead unit") }
    }

    /// Hands the ticket to `lead` (dispatch and arbitration alike) and records it.
    mutating func route(_ lead: String, _ coUnits: [String], _ note: String?) {
        next.status = .dispatched
        next.leadUnit = lead
        next.coUnits = coUnits
        next.disputes = 0
        payload["leadUnit"] = lead
        if !coUnits.isEmpty { payload["coUnits"] = coUnits.joined(separator: ",") }
        record(note: note)
    }
}

extension TicketStateMachine {
    /// The one rule for the ticket a duplicate joins: it exists in the city and is still open
    /// (not answered, closed or itself merged), so the duplicate's complainant hears its outcome.
    /// The store applies it to every merge, intake's automatic ones included.
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

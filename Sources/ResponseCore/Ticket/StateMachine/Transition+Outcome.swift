import Foundation

/// The complainant's side of the end: rating, redo, closing, the follow-up call, erasure.
extension Transition {
    mutating func evaluate(_ evaluation: Evaluation) {
        next.status = .evaluated
        next.oversight.followUp = nil
        recordUnit()
        next.evaluation = evaluation
        payload["resolved"] = String(evaluation.resolved)
        payload["satisfaction"] = evaluation.satisfaction.rawValue
        if let contacted = evaluation.contacted { payload["contacted"] = String(contacted) }
        if let comment = evaluation.comment { payload["comment"] = comment }
    }

    mutating func reopen(_ reason: String) throws(TransitionError) {
        try Self.require(reason, "reason")
        guard ticket.leadUnit != nil else { throw Self.invalid("reason", "the ticket has no unit to reopen to") }
        let fresh = freshDeadlines
        next.status = .reopened
        next.reopenCount += 1
        next.closedAt = nil
        next.deadlines.firstContact = fresh.firstContact
        next.deadlines.resolution = fresh.resolution
        next.oversight.followUp = nil
        next.oversight.extensionRequest = nil
        next.oversight.escalatedAt = nil
        payload["reason"] = reason
        recordUnit()
    }

    mutating func close(_ note: String?) {
        next.status = .closed
        next.closedAt = now
        next.oversight.followUp = nil
        recordUnit()
        record(note: note)
        // Whether it closed solved, in the complainant's words when rated, else the unit's.
        if let resolved = ticket.evaluation?.resolved ?? ticket.replyResolved { payload["resolved"] = String(resolved) }
    }

    mutating func followUpAttempt(_ note: String?) throws(TransitionError) {
        guard var followUp = ticket.oversight.followUp else { throw Self.invalid("outcome", "the ticket is not waiting for a follow-up") }
        followUp.attempts += 1
        followUp.lastAttemptAt = now
        next.oversight.followUp = followUp
        payload["attempt"] = String(followUp.attempts)
        payload["of"] = String(context.accountability.followUpAttempts)
        record(note: note)
        recordUnit()
    }

    mutating func endFollowUp(_ note: String?) throws(TransitionError) {
        guard ticket.oversight.followUp != nil else { throw Self.invalid("outcome", "the ticket is not waiting for a follow-up") }
        next.oversight.followUp = nil
        if ticket.status == .replied {
            // Replied and nobody to ask: closed, and left out of the rates, visibly.
            next.status = .closed
            next.closedAt = now
            payload["outcome"] = "not_evaluated"
        } else {
            // Expired without a reply: the unit still owes the work.
            payload["outcome"] = "abandoned"
        }
        record(note: note)
        recordUnit()
    }

    mutating func eraseContacts(_ basis: ErasureBasis, _ note: String?) throws(TransitionError) {
        guard Erasure.hasContacts(ticket) else { throw Self.invalid("complainant", "the ticket holds no contact data to erase") }
        next = Erasure.erase(ticket)
        payload["basis"] = basis.rawValue
        payload["fields"] = Erasure.fields(of: ticket).joined(separator: ",")
        if let note { payload["note"] = Redactor(names: [ticket.complainant.name])(note) }
    }
}

import Foundation

/// The complainant's side of the end: rating, redo, closing, the follow-up call, erasure.
extension Transition {
    mutating func evaluate(_ evaluation: Evaluation) -> EventDetail {
        next.status = .evaluated
        next.oversight.followUp = nil
        next.evaluation = evaluation
        return .evaluated(resolved: evaluation.resolved, satisfaction: evaluation.satisfaction, contacted: evaluation.contacted,
                          comment: evaluation.comment, unit: unit)
    }

    mutating func reopen(_ reason: String) throws(TransitionError) -> EventDetail {
        try Self.require(reason, "reason")
        guard unit != nil else { throw Self.invalid("reason", "the ticket has no unit to reopen to") }
        let fresh = freshDeadlines
        next.status = .reopened
        next.reopenCount += 1
        next.closedAt = nil
        next.deadlines.firstContact = fresh.firstContact
        next.deadlines.resolution = fresh.resolution
        next.oversight.followUp = nil
        next.oversight.extensionRequest = nil
        next.oversight.escalatedAt = nil
        return .reopened(reason: reason, unit: unit)
    }

    mutating func close(_ note: String?) -> EventDetail {
        next.status = .closed
        next.closedAt = now
        next.oversight.followUp = nil
        // Whether it closed solved, in the complainant's words when rated, else the unit's.
        return .closed(note: note, resolved: ticket.evaluation?.resolved ?? ticket.replyResolved, unit: unit)
    }

    mutating func followUpAttempt(_ note: String?) throws(TransitionError) -> EventDetail {
        guard var followUp = ticket.oversight.followUp else { throw Self.invalid("outcome", "the ticket is not waiting for a follow-up") }
        followUp.attempts += 1
        followUp.lastAttemptAt = now
        next.oversight.followUp = followUp
        return .followUpAttempted(attempt: followUp.attempts, of: context.accountability.followUpAttempts, note: note, unit: unit)
    }

    mutating func endFollowUp(_ note: String?) throws(TransitionError) -> EventDetail {
        guard ticket.oversight.followUp != nil else { throw Self.invalid("outcome", "the ticket is not waiting for a follow-up") }
        next.oversight.followUp = nil
        guard ticket.status == .replied else {
            // Expired without a reply: the unit still owes the work.
            return .followUpEnded(outcome: .abandoned, note: note, unit: unit)
        }
        // Replied and nobody to ask: closed, and left out of the rates, visibly.
        next.status = .closed
        next.closedAt = now
        return .followUpEnded(outcome: .notEvaluated, note: note, unit: unit)
    }

    mutating func eraseContacts(_ basis: ErasureBasis, _ note: String?) throws(TransitionError) -> EventDetail {
        guard Erasure.hasContacts(ticket) else { throw Self.invalid("complainant", "the ticket holds no contact data to erase") }
        next = Erasure.erase(ticket)
        return .contactsErased(basis: basis, fields: Erasure.fields(of: ticket), note: note.map { Redactor(names: [ticket.complainant.name])($0) })
    }
}

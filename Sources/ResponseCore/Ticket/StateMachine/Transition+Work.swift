import Foundation

/// The unit's work: answers, contacts, replies, remarks, urging and deadline extensions.
extension Transition {
    mutating func answer(_ text: String, article: String?) throws(TransitionError) -> EventDetail {
        try Self.require(text, "text")
        next.status = .answered
        next.reply = text
        next.closedAt = now
        next.oversight.followUp = nil
        return .answered(text: text, article: article)
    }

    mutating func contact(_ note: String) throws(TransitionError) -> EventDetail {
        try Self.require(note, "note")
        next.status = .contacted
        var onTime: Bool?
        if ticket.status == .accepted || ticket.status == .reopened, let due = ticket.deadlines.firstContact { onTime = now <= due }
        var first: EventDetail.Assignment?
        if !ticket.oversight.firstContactDone {
            // The first contact of this assignment: what the response rate counts.
            first = EventDetail.Assignment(unit: nil, assignedAt: ticket.oversight.assignedAt)
            next.oversight.firstContactDone = true
        }
        return .contacted(note: note, onTime: onTime, first: first, unit: unit)
    }

    mutating func reply(_ text: String, _ resolved: Bool) throws(TransitionError) -> EventDetail {
        try Self.require(text, "text")
        next.status = .replied
        next.reply = text
        next.replyResolved = resolved
        next.oversight.followUp = FollowUp(since: now, reason: .replied)
        return .replied(text: text, resolved: resolved, onTime: ticket.deadlines.resolution.map { now <= $0 }, unit: unit)
    }

    mutating func comment(_ text: String, _ details: [String: String]) throws(TransitionError) -> EventDetail {
        try Self.require(text, "text")
        return .commented(text: text, details: details, unit: unit)
    }

    func urge(_ note: String?) -> EventDetail {
        .urged(note: note, unit: unit, reminderDue: nil)
    }

    mutating func extend(_ until: Date, _ reason: String) throws(TransitionError) -> EventDetail {
        try Self.require(reason, "reason")
        guard until > now else { throw Self.invalid("until", "must be in the future") }
        let current = ticket.deadlines.resolution
        if let current, until <= current { throw Self.invalid("until", "must be later than the current deadline \(current.formatted(.iso8601))") }
        next.deadlines.resolution = until
        next.oversight.extensionRequest = nil
        next.oversight.escalatedAt = nil
        return .extended(until: until, reason: reason, previous: current)
    }

    mutating func requestExtension(_ until: Date, _ reason: String) throws(TransitionError) -> EventDetail {
        try Self.require(reason, "reason")
        guard let due = ticket.deadlines.resolution else { throw Self.invalid("until", "the ticket has no resolution deadline to extend") }
        guard now <= due else {
            throw Self.invalid("until", "the resolution deadline \(TicketStateMachine.stamp(due)) has passed: extensions are asked for before expiry")
        }
        guard until > due else { throw Self.invalid("until", "must be later than the current deadline \(TicketStateMachine.stamp(due))") }
        guard ticket.oversight.extensionRequest == nil else { throw Self.invalid("until", "an extension request is already waiting for a supervisor") }
        next.oversight.extensionRequest = ExtensionRequest(until: until, reason: reason, requestedAt: now, unit: unit)
        return .extensionRequested(until: until, previous: due, reason: reason, unit: unit)
    }

    mutating func decideExtension(_ approve: Bool, _ note: String?) throws(TransitionError) -> EventDetail {
        guard let request = ticket.oversight.extensionRequest else { throw Self.invalid("approve", "no extension request is waiting") }
        next.oversight.extensionRequest = nil
        guard approve else { return .extensionRefused(until: request.until, reason: request.reason, note: note, unit: unit) }
        guard request.until > now else { throw Self.invalid("approve", "the requested date \(TicketStateMachine.stamp(request.until)) has already passed") }
        next.deadlines.resolution = request.until
        next.oversight.escalatedAt = nil
        return .extensionApproved(until: request.until, previous: ticket.deadlines.resolution, reason: request.reason, note: note, unit: unit)
    }
}

import Foundation

/// The unit's work: answers, contacts, replies, remarks, urging and deadline extensions.
extension Transition {
    mutating func answer(_ text: String) throws(TransitionError) {
        try Self.require(text, "text")
        next.status = .answered
        next.reply = text
        next.closedAt = now
        next.oversight.followUp = nil
        payload["text"] = text
    }

    mutating func contact(_ note: String) throws(TransitionError) {
        try Self.require(note, "note")
        next.status = .contacted
        payload["note"] = note
        if ticket.status == .accepted || ticket.status == .reopened, let due = ticket.deadlines.firstContact {
            payload["onTime"] = now <= due ? "true" : "false"
        }
        if !ticket.oversight.firstContactDone {
            // The first contact of this assignment: what the response rate counts.
            payload["first"] = "true"
            if let assigned = ticket.oversight.assignedAt { payload["assignedAt"] = Self.stamp(assigned) }
            next.oversight.firstContactDone = true
        }
        recordUnit()
    }

    mutating func reply(_ text: String, _ resolved: Bool) throws(TransitionError) {
        try Self.require(text, "text")
        next.status = .replied
        next.reply = text
        next.replyResolved = resolved
        payload["text"] = text
        payload["resolved"] = String(resolved)
        if let due = ticket.deadlines.resolution { payload["onTime"] = now <= due ? "true" : "false" }
        recordUnit()
        next.oversight.followUp = FollowUp(since: now, reason: .replied)
    }

    mutating func comment(_ text: String, _ details: [String: String]) throws(TransitionError) {
        try Self.require(text, "text")
        payload.merge(details) { _, given in given }
        payload["text"] = text
        recordUnit()
    }

    mutating func urge(_ note: String?) {
        record(note: note)
        recordUnit()
    }

    mutating func extend(_ until: Date, _ reason: String) throws(TransitionError) {
        try Self.require(reason, "reason")
        guard until > now else { throw Self.invalid("until", "must be in the future") }
        if let current = ticket.deadlines.resolution {
            guard until > current else { throw Self.invalid("until", "must be later than the current deadline \(current.formatted(.iso8601))") }
            payload["from"] = current.formatted(.iso8601)
        }
        next.deadlines.resolution = until
        next.oversight.extensionRequest = nil
        next.oversight.escalatedAt = nil
        payload["until"] = until.formatted(.iso8601)
        payload["reason"] = reason
    }

    mutating func requestExtension(_ until: Date, _ reason: String) throws(TransitionError) {
        try Self.require(reason, "reason")
        guard let due = ticket.deadlines.resolution else { throw Self.invalid("until", "the ticket has no resolution deadline to extend") }
        guard now <= due else {
            throw Self.invalid("until", "the resolution deadline \(Self.stamp(due)) has passed: extensions are asked for before expiry")
        }
        guard until > due else { throw Self.invalid("until", "must be later than the current deadline \(Self.stamp(due))") }
        guard ticket.oversight.extensionRequest == nil else { throw Self.invalid("until", "an extension request is already waiting for a supervisor") }
        next.oversight.extensionRequest = ExtensionRequest(until: until, reason: reason, requestedAt: now, unit: ticket.leadUnit)
        payload["until"] = Self.stamp(until)
        payload["from"] = Self.stamp(due)
        payload["reason"] = reason
        recordUnit()
    }

    mutating func decideExtension(_ approve: Bool, _ note: String?) throws(TransitionError) {
        guard let request = ticket.oversight.extensionRequest else { throw Self.invalid("approve", "no extension request is waiting") }
        if approve {
            guard request.until > now else { throw Self.invalid("approve", "the requested date \(Self.stamp(request.until)) has already passed") }
            if let current = ticket.deadlines.resolution { payload["from"] = Self.stamp(current) }
            next.deadlines.resolution = request.until
            next.oversight.escalatedAt = nil
        }
        next.oversight.extensionRequest = nil
        payload["until"] = Self.stamp(request.until)
        payload["reason"] = request.reason
        record(note: note)
        recordUnit()
    }
}

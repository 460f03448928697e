import Foundation

/// Why a complainant's contact data was erased.
public enum ErasureBasis: String, Codable, Sendable, CaseIterable {
    /// The city's retention period ran out (``RetentionPolicy``).
    case retention
    /// The complainant asked, and a supervisor acted on it.
    case request
}

/// Erasing a complainant's personal data from a ticket. Pure: the state machine applies it to
/// the ticket (``TicketAction/eraseContacts(basis:note:)``); the store applies the same redaction
/// to the ticket's history and messages in the same transaction. What the rates count (units,
/// statuses, times, outcomes, ratings) is never touched, so statistics and replays stay valid.
public enum Erasure {
    /// Whether the ticket still holds a complainant's name, phone or e-mail.
    public static func hasContacts(_ ticket: Ticket) -> Bool {
        let c = ticket.complainant
        return c.name != nil || c.phone != nil || c.email != nil
    }

    /// The names of the contact fields `ticket` holds, for the erasure event.
    public static func fields(of ticket: Ticket) -> [String] {
        let c = ticket.complainant
        return [("name", c.name), ("phone", c.phone), ("email", c.email)].filter { $0.1 != nil }.map(\.0)
    }

    /// `ticket` without its complainant's name, phone and e-mail, and with every free text
    /// redacted with her name (an anonymous complainant stays anonymous).
    public static func erase(_ ticket: Ticket) -> Ticket {
        var erased = Redactor(names: [ticket.complainant.name]).texts(of: ticket)
        erased.complainant = Complainant(anonymous: ticket.complainant.anonymous)
        return erased
    }
}

extension Redactor {
    /// `ticket` with every free text redacted: title, description, reply, address, rating
    /// comment, extension reason, summons notes and reports. The complainant block is left as it
    /// is: ``Disclosure`` masks it, ``Erasure`` clears it.
    public func texts(of ticket: Ticket) -> Ticket {
        var shown = ticket
        shown.title = self(ticket.title)
        shown.description = self(ticket.description)
        shown.reply = ticket.reply.map(callAsFunction)
        shown.location.address = ticket.location.address.map(callAsFunction)
        shown.evaluation?.comment = ticket.evaluation?.comment.map(callAsFunction)
        if let reason = ticket.oversight.extensionRequest?.reason { shown.oversight.extensionRequest?.reason = self(reason) }
        for i in shown.oversight.summons.indices {
            shown.oversight.summons[i].note = shown.oversight.summons[i].note.map(callAsFunction)
            shown.oversight.summons[i].report = shown.oversight.summons[i].report.map(callAsFunction)
        }
        return shown
    }

    /// The payload keys of events that hold free text; the others hold codes, numbers and dates.
    public static let freeTextKeys: Set<String> = ["text", "note", "reason", "comment", "outcome", "title", "description", "address", "report"]

    /// `event` with the free texts of its payload redacted.
    public func texts(of event: TicketEvent) -> TicketEvent {
        var shown = event
        shown.payload = texts(ofPayload: event.payload)
        return shown
    }

    /// An event's payload with its free texts redacted; codes, numbers and dates stay.
    public func texts(ofPayload payload: [String: String]) -> [String: String] {
        var shown = payload
        for (key, value) in payload where Self.freeTextKeys.contains(key) { shown[key] = self(value) }
        return shown
    }
}

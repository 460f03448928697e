import Foundation

/// One message to a complainant in the outbox: produced in the same transaction as the event
/// that owes it, delivered later by a notifier, never lost.
public struct NotificationRecord: Codable, Sendable, Equatable, Identifiable {
    /// How the message reaches the complainant.
    public enum Channel: String, Codable, Sendable, CaseIterable {
        case sms, email
        /// The complainant left no phone or e-mail: recorded, not sent.
        case none
    }

    public enum Status: String, Codable, Sendable, CaseIterable {
        case pending, sent, failed
        /// Nothing to send it to.
        case skipped
    }

    public var id: String
    public var tenantID: String
    public var ticketID: String
    public var number: String
    /// The event (by its sequence in the ticket's history) that produced the message.
    public var eventSequence: Int
    public var kind: ComplainantNotice.Kind
    public var channel: Channel
    /// Phone number or e-mail address.
    public var recipient: String?
    public var text: String
    /// The delivery adds a signed follow-up link so the complainant can rate without logging in.
    public var asksForRating: Bool
    public var status: Status
    public var attempts: Int
    public var createdAt: Date
    /// When the relay may next try (a lease while a delivery is under way).
    public var nextAttemptAt: Date
    public var sentAt: Date?
    public var error: String?

    public init(
        id: String, tenantID: String, ticketID: String, number: String, eventSequence: Int, kind: ComplainantNotice.Kind, channel: Channel,
        recipient: String?, text: String, asksForRating: Bool, status: Status, attempts: Int = 0, createdAt: Date, nextAttemptAt: Date,
        sentAt: Date? = nil, error: String? = nil
    ) {
        self.id = id
        self.tenantID = tenantID
        self.ticketID = ticketID
        self.number = number
        self.eventSequence = eventSequence
        self.kind = kind
        self.channel = channel
        self.recipient = recipient
        self.text = text
        self.asksForRating = asksForRating
        self.status = status
        self.attempts = attempts
        self.createdAt = createdAt
        self.nextAttemptAt = nextAttemptAt
        self.sentAt = sentAt
        self.error = error
    }

    /// The outbox entry an event owes the complainant of `ticket` (after the event), if any.
    /// A phone number is preferred (SMS, as the hotlines do); then e-mail.
    public static func make(for event: TicketEvent, ticket: Ticket) -> NotificationRecord? {
        guard let notice = ComplainantNotice.notice(for: event, ticket: ticket) else { return nil }
        let phone = ticket.complainant.phone.flatMap { $0.isEmpty ? nil : $0 }
        let email = ticket.complainant.email.flatMap { $0.isEmpty ? nil : $0 }
        let channel: Channel = phone != nil ? .sms : email != nil ? .email : .none
        return NotificationRecord(
            id: ticket.id + "-" + String(event.sequence), tenantID: ticket.tenantID, ticketID: ticket.id, number: ticket.number,
            eventSequence: event.sequence, kind: notice.kind, channel: channel, recipient: phone ?? email, text: notice.text,
            asksForRating: notice.asksForRating, status: channel == .none ? .skipped : .pending, createdAt: event.at, nextAttemptAt: event.at
        )
    }
}

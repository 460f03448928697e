import Foundation
import ResponseCore

/// A message ready to leave: the outbox record plus, when it asks for a rating, the signed
/// follow-up link.
public struct OutgoingMessage: Sendable, Equatable {
    public var record: NotificationRecord
    public var followUpURL: String?

    public init(record: NotificationRecord, followUpURL: String?) {
        self.record = record
        self.followUpURL = followUpURL
    }

    /// The text as the complainant receives it.
    public var body: String {
        guard let followUpURL else { return record.text }
        return record.text + " " + followUpURL
    }
}

/// Delivers messages to complainants. Implementations: ``ChannelNotifier`` (SMS and e-mail
/// gateways) and ``WebhookNotifier``; a deployment plugs its own in the same way.
public protocol Notifier: Sendable {
    /// Sends one message; throws when it could not (the relay retries).
    func deliver(_ message: OutgoingMessage) async throws
}

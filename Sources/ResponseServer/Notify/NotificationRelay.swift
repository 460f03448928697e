import Foundation
import Logging
import ResponseCore
import ResponseStore

/// Delivers the outbox: claims pending messages under a lease, adds the signed follow-up link
/// where a rating is asked for, hands them to the notifier, and records the outcome. Failed
/// deliveries are retried with exponential back-off up to the configured attempts.
public struct NotificationRelay: Sendable {
    let store: any OutboxStore & ReferenceStore
    let notifier: any Notifier
    let configuration: ServerConfiguration
    let cities: CityDirectory
    let clock: any WallClock
    let logger: Logger

    /// - Parameter cities: The server's directory of cities; one of its own from `configuration` when `nil`.
    public init(
        store: any OutboxStore & ReferenceStore, notifier: any Notifier, configuration: ServerConfiguration, clock: any WallClock,
        cities: CityDirectory? = nil, logger: Logger = Logger(label: "swift-response.notify")
    ) {
        self.store = store
        self.notifier = notifier
        self.configuration = configuration
        self.cities = cities ?? CityDirectory(configuration: configuration, store: store)
        self.clock = clock
        self.logger = logger
    }

    /// The notifier the settings name.
    public static func notifier(for settings: NotificationSettings, signer: WebhookSigner) -> any Notifier {
        if settings.notifier == "webhook", let url = settings.webhookURL.flatMap(URL.init(string:)) { return WebhookNotifier(url: url, signer: signer) }
        return ChannelNotifier()
    }

    /// Delivers everything pending now.
    /// - Parameter tenantID: Only this city's messages; every city when `nil`.
    /// - Returns: Messages sent, and those that failed this time.
    @discardableResult
    public func drain(tenantID: String? = nil, batchSize: Int = 100) async throws -> (sent: Int, failed: Int) {
        var sent = 0, failed = 0
        while true {
            let now = clock.now()
            let batch = try await store.claimNotifications(now: now, lease: Self.lease, limit: batchSize, tenantID: tenantID)
            for record in batch {
                // Deliver only within the lease, with room for the slowest delivery: once it ends,
                // another instance may claim the rest, and must not find one being sent.
                guard clock.now().addingTimeInterval(Self.deliveryBudget) <= record.nextAttemptAt else {
                    logger.info("notification relay: the lease is running out; the rest of the batch waits for the next pass")
                    return (sent, failed)
                }
                if now.timeIntervalSince(record.createdAt) > configuration.notifications.maxAgeHours * 3600 {
                    try await store.finishNotification(id: record.id, outcome: .failed(error: "stale: not delivered within \(configuration.notifications.maxAgeHours) h of its event"), now: now)
                    failed += 1
                    continue
                }
                let message = OutgoingMessage(record: record, followUpURL: record.asksForRating ? try await followUpURL(record, now: now) : nil)
                do {
                    try await notifier.deliver(message)
                    try await store.finishNotification(id: record.id, outcome: .sent, now: clock.now())
                    sent += 1
                } catch {
                    failed += 1
                    let outcome: NotificationOutcome
                    if record.attempts >= configuration.notifications.maxAttempts {
                        outcome = .failed(error: String(describing: error))
                        logger.error("notification \(record.id) failed for good: \(error)")
                    } else {
                        let delay = 30 * pow(2, Double(record.attempts - 1))
                        outcome = .retry(at: clock.now().addingTimeInterval(delay), error: String(describing: error))
                    }
                    try await store.finishNotification(id: record.id, outcome: outcome, now: clock.now())
                }
            }
            if batch.count < batchSize { return (sent, failed) }
        }
    }

    /// How long a claimed batch is this instance's alone.
    static let lease: TimeInterval = 60
    /// The longest one delivery may take (the webhook's timeout, 10 s, and room to record it).
    static let deliveryBudget: TimeInterval = 15

    /// The complainant's link to rate the ticket, valid for the city's link lifetime.
    func followUpURL(_ record: NotificationRecord, now: Date) async throws -> String {
        let link = FollowUpLink(city: try await cities.city(record.tenantID), number: record.number, now: now)
        return configuration.publicURL + "/follow-up/" + link.token(key: configuration.linkSecret)
    }
}

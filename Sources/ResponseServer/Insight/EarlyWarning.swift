import Foundation
import Logging
import ResponseCore
import ResponseStore
import Synchronization

/// The early warning of every city the store holds: one ``AlertMonitor`` per city. A city
/// added while the server runs is watched from the next listing (once a minute); one city's
/// failing look is logged and does not hold up the others.
public final class EarlyWarning: Sendable {
    let settings: InsightSettings
    /// Signs the alerts' webhook POSTs (the configuration's one signer).
    let signer: WebhookSigner
    let clock: any WallClock
    let logger: Logger
    let store: any TicketStore
    private let monitors = Mutex<(listedAt: Date, byCity: [String: AlertMonitor])>((.distantPast, [:]))

    static let listingInterval: TimeInterval = 60

    public init(store: any TicketStore, settings: InsightSettings, signer: WebhookSigner, clock: any WallClock, logger: Logger) {
        self.store = store
        self.settings = settings
        self.signer = signer
        self.clock = clock
        self.logger = logger
    }

    /// One look at every city; returns the alerts newly stored.
    @discardableResult
    public func tick() async throws -> [SpikeAlert] {
        let now = clock.now()
        if monitors.withLock({ now.timeIntervalSince($0.listedAt) >= Self.listingInterval || $0.byCity.isEmpty }) {
            let listed = try await store.tenants()
            monitors.withLock { m in
                m.listedAt = now
                for city in listed where m.byCity[city.id] == nil {
                    m.byCity[city.id] = AlertMonitor(store: store, tenant: city, settings: settings, signer: signer, clock: clock, logger: logger)
                }
            }
        }
        var raised: [SpikeAlert] = []
        for (city, monitor) in monitors.withLock({ $0.byCity.sorted { $0.key < $1.key } }) {
            try await cityPart(city, of: "early warning", logger: logger) { raised += try await monitor.tick() }
        }
        return raised
    }

    /// The cities watched so far.
    public var watched: [String] { monitors.withLock { $0.byCity.keys.sorted() } }
}

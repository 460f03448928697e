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
    let clock: any WallClock
    let logger: Logger
    let store: any TicketStore
    /// The cities to watch; every city in the store unless a test narrows it.
    let cities: @Sendable () async throws -> [Tenant]
    private let monitors = Mutex<(listedAt: Date, byCity: [String: AlertMonitor])>((.distantPast, [:]))

    static let listingInterval: TimeInterval = 60

    public init(store: any TicketStore, settings: InsightSettings, clock: any WallClock, logger: Logger,
                cities: (@Sendable () async throws -> [Tenant])? = nil) {
        self.store = store
        self.settings = settings
        self.clock = clock
        self.logger = logger
        self.cities = cities ?? { try await store.tenants() }
    }

    /// One look at every city; returns the alerts newly stored.
    @discardableResult
    public func tick() async throws -> [SpikeAlert] {
        let now = clock.now()
        if monitors.withLock({ now.timeIntervalSince($0.listedAt) >= Self.listingInterval || $0.byCity.isEmpty }) {
            let listed = try await cities()
            monitors.withLock { m in
                m.listedAt = now
                for city in listed where m.byCity[city.id] == nil {
                    m.byCity[city.id] = AlertMonitor(store: store, tenant: city, settings: settings, clock: clock, logger: logger)
                }
            }
        }
        var raised: [SpikeAlert] = []
        for (city, monitor) in monitors.withLock({ $0.byCity.sorted { $0.key < $1.key } }) {
            do {
                raised += try await monitor.tick()
            } catch is CancellationError {
                throw CancellationError()
            } catch {
                logger.error("early warning for \(city) failed: \(error)")
            }
        }
        return raised
    }

    /// The cities watched so far.
    public var watched: [String] { monitors.withLock { $0.byCity.keys.sorted() } }
}

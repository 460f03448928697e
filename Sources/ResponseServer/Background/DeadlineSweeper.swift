import Foundation
import ResponseCore
import ResponseStore

/// One pass of the deadline sweeper over every city: reminders, overdue notices, escalations and
/// late summons, each an event. Safe to run in several instances at once (rows are claimed with
/// `FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite has a single writer) and idempotent.
public struct DeadlineSweeper: Sendable {
    let store: any AccountabilityStore & ReferenceStore
    let cities: CityDirectory
    let clock: any WallClock

    /// - Parameter cities: The server's directory of cities; one of its own from `configuration` when `nil`.
    public init(store: any AccountabilityStore & ReferenceStore, configuration: ServerConfiguration, clock: any WallClock, cities: CityDirectory? = nil) {
        self.store = store
        self.cities = cities ?? CityDirectory(configuration: configuration, store: store)
        self.clock = clock
    }

    /// Sweeps until no due ticket is left.
    /// - Parameters:
    ///   - tenantID: Only this city; every city when `nil`.
    ///   - batchSize: Tickets per transaction.
    ///   - progress: Called after each batch with the running totals.
    /// - Returns: What the pass did.
    public func pass(tenantID: String? = nil, batchSize: Int = 1_000, progress: @Sendable (SweepBatch) -> Void = { _ in }) async throws -> SweepBatch {
        let now = clock.now()
        // Every ticket is stepped by its own city's rules and calendar.
        let contexts = Dictionary(try await cities.all().map { ($0.id, $0.context(now: now, actor: .system)) }, uniquingKeysWith: { a, _ in a })
        var total = SweepBatch(claimed: 0)
        while true {
            let batch = try await store.sweep(now: now, limit: batchSize, tenantID: tenantID) { ticket in
                contexts[ticket.tenantID]
            }
            total.add(batch)
            progress(total)
            if batch.claimed < batchSize { return total }
        }
    }
}

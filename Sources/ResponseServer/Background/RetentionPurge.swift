import Foundation
import ResponseCore
import ResponseStore

/// Erases the contact data of tickets finished longer ago than their city keeps it
/// (``RetentionPolicy``), each ticket by an event (``ErasureBasis/retention``), a batch per
/// transaction, and the city's repeat-caller counts of those days. Idempotent; safe beside
/// running servers (a ticket is locked and checked again before it is erased).
public struct RetentionPurge: Sendable {
    /// What one pass did in one city.
    public struct CityReport: Sendable, Equatable {
        public var city: String
        /// Tickets finished before this instant lost their contact data; `nil`: the city keeps it.
        public var cutoff: Date?
        public var erased = 0
        public var repeatRows = 0
    }

    let store: any ErasureStore & ReferenceStore
    let cities: CityDirectory
    let clock: any WallClock

    /// - Parameter cities: The server's directory of cities; one of its own from `configuration` when `nil`.
    public init(store: any ErasureStore & ReferenceStore, configuration: ServerConfiguration, clock: any WallClock, cities: CityDirectory? = nil) {
        self.store = store
        self.cities = cities ?? CityDirectory(configuration: configuration, store: store)
        self.clock = clock
    }

    /// One pass.
    /// - Parameters:
    ///   - before: Erase what was finished before this city day (`yyyy-MM-dd`, the start of it in each
    ///     city's time zone) instead of each city's retention cutoff.
    ///   - tenantID: Only this city; every city when `nil`.
    ///   - batchSize: Tickets per transaction.
    ///   - progress: Called after each batch with the city and its tickets erased so far.
    public func pass(
        before: String? = nil, tenantID: String? = nil, batchSize: Int = 500, progress: @Sendable (String, Int) -> Void = { _, _ in }
    ) async throws -> [CityReport] {
        let now = clock.now()
        var reports: [CityReport] = []
        for city in try await cities.all() where tenantID == nil || city.id == tenantID {
            let days = city.days
            let given = try before.map { day in
                guard let start = days.start(ofValidDay: day) else { throw RetentionPurgeError("--before must be a day such as 2024-01-01, got \(day)") }
                return start
            }
            let policy = city.retention
            var report = CityReport(city: city.id, cutoff: given ?? policy.cutoff(now: now, days: days))
            guard let cutoff = report.cutoff else {
                reports.append(report)
                continue
            }
            let context = city.context(now: now, actor: .system)
            let note = before.map { "purge of tickets finished before \($0)" } ?? "retention: \(policy.retentionDays) days"
            var after: RetentionPosition?
            while true {
                let due = try await store.retentionDue(tenantID: city.id, before: cutoff, after: after, limit: batchSize)
                guard let last = due.last else { break }
                report.erased += try await store.eraseContacts(
                    numbers: due.map(\.number), tenantID: city.id, basis: .retention, note: note, finishedBefore: cutoff, context: context
                )
                after = last
                progress(city.id, report.erased)
            }
            report.repeatRows = try await store.purgeRepeatCallers(tenantID: city.id, before: days.key(cutoff))
            reports.append(report)
        }
        return reports
    }
}

/// A purge that cannot start (a day that is not one).
public struct RetentionPurgeError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}

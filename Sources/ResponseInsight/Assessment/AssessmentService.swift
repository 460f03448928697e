import Foundation
import ResponseCore
import ResponseStore

/// Builds assessment reports from the store: live, from the per-day counters written with each
/// event, or replayed from the event log alone (the audit of the live figures).
public struct AssessmentService: Sendable {
    let store: any TicketStore

    public init(store: any TicketStore) { self.store = store }

    /// The report from the live counters: one grouped read of at most units × days × metrics rows.
    public func report(tenantID: String, period: AssessmentPeriod, settings: AssessmentSettings) async throws -> AssessmentReport {
        let previousPeriod = period.previous
        let counts = try await store.unitCounts(tenantID: tenantID, period: period)
        var before: [String: UnitCounts] = [:]
        if let previousPeriod { before = try await store.unitCounts(tenantID: tenantID, period: previousPeriod) }
        return AssessmentReport(
            tenantID: tenantID, period: period, previousPeriod: previousPeriod, counts: counts, previous: before,
            units: try await store.units(tenantID: tenantID), settings: settings
        )
    }

    /// The same report computed from the event log only: every event since the start of the
    /// previous period is read and turned into facts by the same pure function the live path
    /// uses. Must equal ``report(tenantID:period:settings:)``.
    /// - Parameter timeZone: The city's zone, in which days are counted.
    public func replay(tenantID: String, period: AssessmentPeriod, timeZone: String, settings: AssessmentSettings) async throws -> AssessmentReport {
        let previousPeriod = period.previous
        let days = DayKeys(identifier: timeZone)
        let first = previousPeriod?.from ?? period.from
        // A fact is never dated after its event, so events before the first day cannot count.
        let from = (days.start(of: first) ?? .distantPast).addingTimeInterval(-86_400)
        let tally = Tally(first: first, split: period.from, end: period.to)
        try await store.forEachEvent(tenantID: tenantID, from: from, batchSize: 10_000) { events in
            for event in events { await tally.add(AssessmentFact.facts(of: event, days: days)) }
        }
        let (counts, before) = await tally.result()
        return AssessmentReport(
            tenantID: tenantID, period: period, previousPeriod: previousPeriod, counts: counts, previous: before,
            units: try await store.units(tenantID: tenantID), settings: settings
        )
    }

    /// Sums facts into the period and the one before it.
    actor Tally {
        let first: String, split: String, end: String
        var counts: [String: UnitCounts] = [:]
        var before: [String: UnitCounts] = [:]

        init(first: String, split: String, end: String) {
            self.first = first
            self.split = split
            self.end = end
        }

        func add(_ facts: [AssessmentFact]) {
            for f in facts where f.day >= first && f.day < end {
                if f.day >= split { counts[f.unit, default: UnitCounts()][f.metric] += f.value } else { before[f.unit, default: UnitCounts()][f.metric] += f.value }
            }
        }

        func result() -> ([String: UnitCounts], [String: UnitCounts]) { (counts, before) }
    }
}

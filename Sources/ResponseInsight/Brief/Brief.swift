import Foundation
import ResponseCore
import ResponseStore

/// A day or a month in one page, for a mayor's minute: volume against the periods before, the
/// ten most frequent problems, new and growing hotspots, the spike alerts, the units most
/// overdue and the month's topics.
public struct Brief: Codable, Sendable, Equatable {
    public enum Span: String, Codable, Sendable { case day, month }

    public var city: String
    public var cityName: String
    public var span: Span
    /// The city day (`yyyy-MM-dd`) or month (`yyyy-MM`).
    public var period: String
    public var range: DayRange
    public var generatedAt: Date
    public var tickets: Int
    /// The day before, or the month before.
    public var previous: Int
    /// The same dates a year earlier.
    public var yearEarlier: Int
    /// For a day: the same weekday a week earlier, and tickets per day over the seven days before.
    public var sameDayLastWeek: Int?
    public var weekAverage: Double?
    /// The ten most frequent problems (level 2), with change against the period before.
    public var problems: [FrequentProblem]
    /// Hotspots that are new (nothing there in the period before) or grew by half or more: of the
    /// last seven days for a day, of the month for a month.
    public var hotspots: [Hotspot]
    public var alerts: [SpikeAlert]
    /// Units with most open tickets past their resolution deadline, now.
    public var overdue: [UnitOverdue]
    /// The topics of the period's month.
    public var topics: [Topic]
}

extension Brief {
    /// A day's (`yyyy-MM-dd`) or a month's (`yyyy-MM`) span and days; `nil` for anything else.
    public static func span(of period: String) -> (Span, DayRange)? {
        if let first = DayRange.number(period) { return (.day, DayRange(from: period, to: DayRange.key(number: first + 1))) }
        if let month = DayRange.month(period) { return (.month, month) }
        return nil
    }
}

extension InsightService {
    /// Builds the brief of a day (`yyyy-MM-dd`) or a month (`yyyy-MM`) from the aggregates, the
    /// alerts, the open work and the topics.
    /// - Parameters:
    ///   - days: The city's calendar.
    ///   - now: For the overdue count (a brief of a past period still shows today's overdue work).
    public func brief(tenant: Tenant, period: String, days: DayKeys, now: Date, reference: Reference) async throws -> Brief {
        guard let (span, range) = Brief.span(of: period) else { throw StoreError.notFound("no day or month \(period)") }
        let month = String(range.from.prefix(7))
        let (frequent, previousDays, yearEarlier) = try await frequentWithTotals(
            tenantID: tenant.id, range: range, level: 2, district: nil, street: nil, byDistrict: false, limit: 10, reference: reference
        )
        func total(_ r: DayRange) async throws -> Int {
            try await store.demandCounts(tenantID: tenant.id, range: r, district: nil, street: nil).reduce(0) { $0 + $1.tickets }
        }
        // A day's "before" is the day before, which the ranking read already; a month's is the
        // calendar month before, not the 30 days before.
        var previousTotal = previousDays
        if span == .month, let previousMonth = DayRange.month(before: range.from), let before = DayRange.month(previousMonth) {
            previousTotal = try await total(before)
        }
        var sameDayLastWeek: Int? = nil, weekAverage: Double? = nil
        if span == .day, let n = DayRange.number(range.from) {
            sameDayLastWeek = try await total(DayRange(from: DayRange.key(number: n - 7), to: DayRange.key(number: n - 6)))
            weekAverage = Double(try await total(DayRange.days(7, endingBefore: range.from))) / 7
        }
        let hotspotRange = span == .day ? DayRange.days(7, endingBefore: range.to) : range
        let spots = try await hotspots(
            tenantID: tenant.id, range: hotspotRange, category: nil, level: 2, finder: HotspotFinder(densityFactor: 3), limit: 100, withTickets: 0,
            days: days, reference: reference
        ).hotspots.filter { $0.previous == 0 || ($0.growth ?? 0) >= 0.5 }
        let from = days.start(of: range.from) ?? .distantPast, to = days.start(of: range.to) ?? .distantFuture
        let alerts = try await store.alerts(tenantID: tenant.id, from: from, to: to, status: nil, limit: 100).map(reference.named)
        let overdue = try await store.overdueByUnit(tenantID: tenant.id, now: now, limit: 10).map { o in
            var o = o
            o.unitName = reference.units[o.unit]?.name
            return o
        }
        return Brief(
            city: tenant.id, cityName: tenant.name, span: span, period: period, range: range, generatedAt: now, tickets: frequent.total,
            previous: previousTotal, yearEarlier: yearEarlier, sameDayLastWeek: sameDayLastWeek,
            weekAverage: weekAverage, problems: frequent.problems, hotspots: Array(spots.prefix(5)), alerts: alerts, overdue: overdue,
            topics: try await store.topics(tenantID: tenant.id, month: month)
        )
    }
}

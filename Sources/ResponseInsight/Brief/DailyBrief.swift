import Foundation
import ResponseCore
import ResponseStore

/// The day in one page, for a mayor's minute: volume against the days before, the ten most
/// frequent problems, new and growing hotspots, the day's spike alerts, the units most overdue.
public struct DailyBrief: Codable, Sendable, Equatable {
    public var city: String
    public var cityName: String
    /// The city day, `yyyy-MM-dd`.
    public var day: String
    public var generatedAt: Date
    public var tickets: Int
    public var previousDay: Int
    public var sameDayLastWeek: Int
    /// Tickets per day over the seven days before.
    public var weekAverage: Double
    /// The ten most frequent problems of the day (level 2), with change against the day before.
    public var problems: [FrequentProblem]
    /// Hotspots of the last seven days that are new (nothing there the week before) or grew by half or more.
    public var hotspots: [Hotspot]
    public var alerts: [SpikeAlert]
    /// Units with most open tickets past their resolution deadline, now.
    public var overdue: [UnitOverdue]
}

extension InsightService {
    /// Builds the brief of `day` from the aggregates, the alerts and the open work.
    /// - Parameters:
    ///   - days: The city's calendar.
    ///   - now: For the overdue count (a brief of a past day still shows today's overdue work).
    public func dailyBrief(tenant: Tenant, day: String, days: DayKeys, now: Date, reference: Reference) async throws -> DailyBrief {
        guard let dayNumber = DayRange.number(day) else { throw StoreError.notFound("no day \(day)") }
        let range = DayRange(from: day, to: DayRange.key(number: dayNumber + 1))
        let frequent = try await self.frequent(tenantID: tenant.id, range: range, level: 2, district: nil, street: nil, byDistrict: false, limit: 10, reference: reference)
        func total(_ r: DayRange) async throws -> Int {
            try await store.demandCounts(tenantID: tenant.id, range: r, district: nil, street: nil).reduce(0) { $0 + $1.tickets }
        }
        let lastWeekDay = DayRange(from: DayRange.key(number: dayNumber - 7), to: DayRange.key(number: dayNumber - 6))
        let week = try await total(DayRange.days(7, endingBefore: day))
        let spots = try await hotspots(
            tenantID: tenant.id, range: DayRange.days(7, endingBefore: range.to), category: nil, level: 2, finder: HotspotFinder(densityFactor: 3), limit: 100, withTickets: 0,
            days: days, reference: reference
        ).hotspots.filter { $0.previous == 0 || ($0.growth ?? 0) >= 0.5 }
        let from = days.start(of: range.from) ?? .distantPast, to = days.start(of: range.to) ?? .distantFuture
        var alerts = try await store.alerts(tenantID: tenant.id, from: from, to: to, status: nil, limit: 100)
        for i in alerts.indices {
            alerts[i].categoryName = reference.categories[alerts[i].category]?.name
            alerts[i].districtName = reference.units[alerts[i].district]?.name
        }
        let overdue = try await store.overdueByUnit(tenantID: tenant.id, now: now, limit: 10).map { o in
            var o = o
            o.unitName = reference.units[o.unit]?.name
            return o
        }
        return DailyBrief(
            city: tenant.id, cityName: tenant.name, day: day, generatedAt: now, tickets: frequent.total, previousDay: try await total(range.previous),
            sameDayLastWeek: try await total(lastWeekDay), weekAverage: Double(week) / 7, problems: frequent.problems, hotspots: Array(spots.prefix(5)),
            alerts: alerts, overdue: overdue
        )
    }
}

import Foundation
import ResponseCore
import ResponseStore

/// One of the console's usual long hotspot views: every category at a level, over the last 30
/// or 90 days up to today, found with the API's default finder.
///
/// At ten million tickets these read a month or a quarter of grid cells (seconds), so they are
/// kept like briefs: built in the background and served as stored for a while.
public struct HotspotView: Hashable, Sendable {
    /// Days up to and including today.
    public var days: Int
    /// Taxonomy level of the categories (1 broad … 3 precise).
    public var level: Int

    /// The windows kept. A week's cells are read per request (under a second at ten million
    /// tickets), so the views most looked at stay up to the minute.
    public static let windows = [30, 90]
    public static let levels = [1, 2, 3]
    /// The finder the API uses when a query does not tune it.
    public static let finder = HotspotFinder(densityFactor: 3)

    /// The view a query is, if it is one of those kept.
    /// - Parameter today: The city's day now (`yyyy-MM-dd`): a view always ends with it.
    public init?(range: DayRange, category: String?, level: Int, finder: HotspotFinder, today: String) {
        guard category == nil, finder == Self.finder, Self.levels.contains(level), Self.windows.contains(range.count),
              range == Self.range(days: range.count, today: today) else { return nil }
        self.days = range.count
        self.level = level
    }

    public init(days: Int, level: Int) {
        self.days = days
        self.level = level
    }

    /// The name it is stored under.
    public var name: String { "hotspots-\(days)d-level\(level)" }

    /// The last `days` days up to and including `today`.
    public static func range(days: Int, today: String) -> DayRange {
        DayRange.days(days, endingBefore: DayRange.key(number: (DayRange.number(today) ?? 0) + 1))
    }
}

extension InsightService {
    /// A usual hotspot view as it is served: the stored one while it covers today's window and
    /// is younger than `maxAge`, else computed now and stored; cut to what was asked.
    /// - Parameter rebuild: Compute it now whatever is stored.
    public func servedHotspots(
        tenant: Tenant, view: HotspotView, limit: Int, withTickets: Int, days: DayKeys, now: Date, maxAge: TimeInterval, rebuild: Bool = false
    ) async throws -> HotspotReport {
        let range = HotspotView.range(days: view.days, today: days.key(now))
        if !rebuild, let stored = try await storedView(view, tenantID: tenant.id, range: range, now: now, maxAge: maxAge) {
            return stored.trimmed(limit: limit, withTickets: withTickets)
        }
        let built = try await buildAndStoreViews(of: view.days, levels: [view.level], tenant: tenant, days: days, now: now)
        return built[0].trimmed(limit: limit, withTickets: withTickets)
    }

    /// Builds and stores the usual views that would be too old to serve before the next round,
    /// `interval` seconds from now: each window's three levels from one read of its cells.
    /// - Returns: The names of the views built.
    @discardableResult
    public func refreshHotspots(tenant: Tenant, days: DayKeys, now: Date, maxAge: TimeInterval, interval: TimeInterval) async throws -> [String] {
        let today = days.key(now)
        var built: [String] = []
        for window in HotspotView.windows {
            let range = HotspotView.range(days: window, today: today)
            var fresh = true
            for level in HotspotView.levels where fresh {
                fresh = try await storedView(HotspotView(days: window, level: level), tenantID: tenant.id, range: range, now: now.addingTimeInterval(interval), maxAge: maxAge) != nil
            }
            guard !fresh else { continue }
            _ = try await buildAndStoreViews(of: window, levels: HotspotView.levels, tenant: tenant, days: days, now: now)
            built += HotspotView.levels.map { HotspotView(days: window, level: $0).name }
        }
        return built
    }

    /// The stored view, if it covers `range` and is younger than `maxAge` at `now`.
    private func storedView(_ view: HotspotView, tenantID: String, range: DayRange, now: Date, maxAge: TimeInterval) async throws -> HotspotReport? {
        guard let stored = try await store.storedAnswer(tenantID: tenantID, name: view.name), stored.isYoung(at: now, maxAge: maxAge),
              let report = try? JSONDecoder().decode(HotspotReport.self, from: stored.body), report.range == range else { return nil }
        return report
    }

    /// Computes a window's views at some levels, whole (every hotspot the API may list, and
    /// the tickets of as many as it may ask for), and stores them.
    private func buildAndStoreViews(of window: Int, levels: [Int], tenant: Tenant, days: DayKeys, now: Date) async throws -> [HotspotReport] {
        var reports = try await hotspots(
            tenantID: tenant.id, range: HotspotView.range(days: window, today: days.key(now)), category: nil, levels: levels, finder: HotspotView.finder,
            limit: Self.hotspotLimit, withTickets: Self.hotspotTickets, days: days, reference: try await reference(tenantID: tenant.id)
        )
        for i in reports.indices {
            reports[i].generatedAt = now
            let name = HotspotView(days: window, level: reports[i].level).name
            try await store.saveAnswer(StoredAnswer(tenantID: tenant.id, name: name, generatedAt: now, body: try JSONEncoder().encode(reports[i])))
        }
        return reports
    }
}

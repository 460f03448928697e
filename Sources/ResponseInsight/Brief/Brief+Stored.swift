import Foundation
import ResponseCore
import ResponseStore

extension InsightService {
    /// The brief of a day or month as it is served: the stored one while it holds, else built
    /// now and stored.
    ///
    /// A brief of a big city reads a week or a month of grid cells for its hotspots (seconds at
    /// ten million tickets), so it is built once and kept, like a printed report with its time.
    /// A stored brief holds when it was built after its period ended (it is final), or when it
    /// is younger than `maxAge` (the period is still going on; the server's refresher keeps
    /// today's and this month's younger than that).
    /// - Parameter rebuild: Build it now whatever is stored.
    public func servedBrief(tenant: Tenant, period: String, days: DayKeys, now: Date, maxAge: TimeInterval, rebuild: Bool = false) async throws -> Brief {
        guard let (_, range) = Brief.span(of: period) else { throw StoreError.notFound("no day or month \(period)") }
        if !rebuild, let stored = try await store.storedAnswer(tenantID: tenant.id, name: period),
           Self.holds(stored, end: days.start(of: range.to), now: now, maxAge: maxAge),
           let brief = try? JSONDecoder().decode(Brief.self, from: stored.body) {
            return brief
        }
        return try await buildAndStoreBrief(tenant: tenant, period: period, days: days, now: now)
    }

    /// Builds and stores the briefs a city reads next: today's and this month's when they would
    /// be too old to serve before the next round, `interval` seconds from now (or are missing),
    /// and the final ones of yesterday and last month once those have ended and are not stored
    /// final yet.
    /// - Returns: The periods built.
    @discardableResult
    public func refreshBriefs(tenant: Tenant, days: DayKeys, now: Date, maxAge: TimeInterval, interval: TimeInterval) async throws -> [String] {
        let today = days.key(now)
        guard let n = DayRange.number(today), let lastMonth = DayRange.month(before: today) else { return [] }
        let month = String(today.prefix(7))
        var built: [String] = []
        for (period, current) in [(DayRange.key(number: n - 1), false), (lastMonth, false), (today, true), (month, true)] {
            guard let (_, range) = Brief.span(of: period) else { continue }
            if let stored = try await store.storedAnswer(tenantID: tenant.id, name: period) {
                if Self.isFinal(stored, end: days.start(of: range.to)) || (current && stored.isYoung(at: now.addingTimeInterval(interval), maxAge: maxAge)) { continue }
            }
            _ = try await buildAndStoreBrief(tenant: tenant, period: period, days: days, now: now)
            built.append(period)
        }
        return built
    }

    /// Whether a stored brief may be served at `now`.
    static func holds(_ stored: StoredAnswer, end: Date?, now: Date, maxAge: TimeInterval) -> Bool {
        isFinal(stored, end: end) || stored.isYoung(at: now, maxAge: maxAge)
    }

    /// Whether a stored brief was built after its period ended (`end`), and so holds for good.
    static func isFinal(_ stored: StoredAnswer, end: Date?) -> Bool {
        end.map { stored.generatedAt >= $0 } ?? false
    }

    /// Builds a brief now and stores it.
    public func buildAndStoreBrief(tenant: Tenant, period: String, days: DayKeys, now: Date) async throws -> Brief {
        let brief = try await brief(tenant: tenant, period: period, days: days, now: now, reference: try await reference(tenantID: tenant.id))
        try await store.saveAnswer(StoredAnswer(tenantID: tenant.id, name: period, generatedAt: now, body: try JSONEncoder().encode(brief)))
        return brief
    }
}

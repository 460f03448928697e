import Foundation
import ResponseStore

/// One of the most frequent problems of a period: a category at the asked taxonomy level,
/// optionally in one district, with its change against the period before and a year before.
public struct FrequentProblem: Codable, Sendable, Equatable {
    /// Category code at the asked level; empty for tickets without a category.
    public var category: String
    public var categoryName: String?
    /// Set when problems are counted per district.
    public var district: String?
    public var districtName: String?
    public var tickets: Int
    /// Share of all tickets of the period (within the place asked for).
    public var share: Double
    public var previous: Int
    public var yearEarlier: Int
    /// `(tickets − previous) ÷ previous`; `nil` when there were none before.
    public var change: Double?
    public var yearChange: Double?

    /// Ranks the categories of `current` (rolled up by `rollUp`) by tickets, most first, and
    /// sets each one's change against the same keys in `previous` and `yearEarlier`.
    /// - Parameters:
    ///   - byDistrict: Count each category in each district apart.
    ///   - limit: At most this many; ties are broken by code so the order is stable.
    /// - Returns: The total of the period and the ranked problems.
    public static func rank(
        current: [DemandCount], previous: [DemandCount], yearEarlier: [DemandCount],
        rollUp: (String) -> String, byDistrict: Bool, limit: Int
    ) -> (total: Int, problems: [FrequentProblem]) {
        struct Key: Hashable { var category: String; var district: String? }
        func sums(_ counts: [DemandCount]) -> [Key: Int] {
            var out: [Key: Int] = [:]
            for c in counts { out[Key(category: rollUp(c.category), district: byDistrict ? c.district : nil), default: 0] += c.tickets }
            return out
        }
        let now = sums(current), before = sums(previous), year = sums(yearEarlier)
        let total = now.values.reduce(0, +)
        func change(_ a: Int, _ b: Int) -> Double? { b == 0 ? nil : Double(a - b) / Double(b) }
        let ranked = now.sorted { a, b in
            a.value != b.value ? a.value > b.value : (a.key.category, a.key.district ?? "") < (b.key.category, b.key.district ?? "")
        }
        let problems = ranked.prefix(max(0, limit)).map { key, n in
            let p = before[key] ?? 0, y = year[key] ?? 0
            return FrequentProblem(
                category: key.category, categoryName: nil, district: key.district, districtName: nil, tickets: n,
                share: total == 0 ? 0 : Double(n) / Double(total), previous: p, yearEarlier: y, change: change(n, p), yearChange: change(n, y)
            )
        }
        return (total, problems)
    }
}

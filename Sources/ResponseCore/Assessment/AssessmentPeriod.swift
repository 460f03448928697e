import Foundation

/// A range of calendar days in the city's zone: a month (`2026-11`) or any span of days.
public struct AssessmentPeriod: Sendable, Equatable, Codable, CustomStringConvertible {
    /// First day, `yyyy-MM-dd`, inclusive.
    public var from: String
    /// Day after the last, `yyyy-MM-dd`, exclusive.
    public var to: String
    /// The month's name (`2026-11`) when the period is a whole month.
    public var month: String?

    public init(from: String, to: String, month: String? = nil) {
        self.from = from
        self.to = to
        self.month = month
    }

    /// A calendar month, from `yyyy-MM`.
    public init?(month text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 4, parts[1].count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), y >= 1970 else {
            return nil
        }
        let next = m == 12 ? (y + 1, 1) : (y, m + 1)
        self.init(from: String(format: "%04d-%02d-01", y, m), to: String(format: "%04d-%02d-01", next.0, next.1), month: text)
    }

    /// Any span of days, `from` inclusive and `to` exclusive, both `yyyy-MM-dd`.
    public init?(fromDay: String, toDay: String) {
        guard Self.isDay(fromDay), Self.isDay(toDay), fromDay < toDay else { return nil }
        self.init(from: fromDay, to: toDay)
    }

    /// The period of the same length just before this one (the previous month for a month).
    public var previous: AssessmentPeriod? {
        if let month, let start = AssessmentPeriod(month: month) {
            let y = Int(start.from.prefix(4)) ?? 1970, m = Int(start.from.dropFirst(5).prefix(2)) ?? 1
            return AssessmentPeriod(month: m == 1 ? String(format: "%04d-12", y - 1) : String(format: "%04d-%02d", y, m - 1))
        }
        let utc = DayKeys(timeZone: .gmt)
        guard let a = utc.start(of: from), let b = utc.start(of: to) else { return nil }
        let length = b.timeIntervalSince(a)
        return AssessmentPeriod(from: utc.key(a.addingTimeInterval(-length)), to: from)
    }

    public var description: String { month ?? "\(from)…\(to)" }

    static func isDay(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let m = Int(parts[1]), let d = Int(parts[2]), Int(parts[0]) != nil else { return false }
        return (1...12).contains(m) && (1...31).contains(d)
    }
}

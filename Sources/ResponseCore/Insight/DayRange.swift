import Foundation

/// A half-open range of city days `[from, to)` as `yyyy-MM-dd` keys, split so whole months can
/// be read from monthly aggregates and only the ragged ends from daily ones.
public struct DayRange: Codable, Sendable, Equatable {
    public var from: String
    public var to: String

    public init(from: String, to: String) {
        self.from = from
        self.to = to
    }

    /// The parts of the range: day ranges at either end, and the whole months between
    /// (`[fromMonth, toMonth)` as `yyyy-MM`), if any.
    public func split() -> (days: [DayRange], months: (from: String, to: String)?) {
        guard from < to, let start = Self.parse(from), let end = Self.parse(to) else { return ([], nil) }
        // The first month that starts inside the range, and the start of the month holding `to`.
        let firstFull = start.day == 1 ? (start.year, start.month) : Self.next(start.year, start.month)
        let lastEnd = (end.year, end.month)
        guard (firstFull.0, firstFull.1) < (lastEnd.0, lastEnd.1) else { return ([self], nil) }
        let firstKey = Self.key(firstFull.0, firstFull.1, 1), endKey = Self.key(lastEnd.0, lastEnd.1, 1)
        var days: [DayRange] = []
        if from < firstKey { days.append(DayRange(from: from, to: firstKey)) }
        if endKey < to { days.append(DayRange(from: endKey, to: to)) }
        return (days, (String(firstKey.prefix(7)), String(endKey.prefix(7))))
    }

    /// The days of a month (`yyyy-MM`); `nil` when it is not one.
    public static func month(_ key: String) -> DayRange? {
        guard key.count == 7, let first = number(key + "-01"), let d = parse(key + "-01") else { return nil }
        return DayRange(from: key + "-01", to: Self.key(number: first + daysIn(d.year, d.month)))
    }

    /// The month (`yyyy-MM`) before a month or a day's month; `nil` when `key` is neither.
    public static func month(before key: String) -> String? {
        guard let first = number(String(key.prefix(7)) + "-01") else { return nil }
        return String(Self.key(number: first - 1).prefix(7))
    }

    /// Whether both keys are days and `from` comes first.
    public var isValid: Bool {
        guard let a = Self.number(from), let b = Self.number(to) else { return false }
        return a < b
    }

    /// The number of days in the range.
    public var count: Int { (Self.number(to) ?? 0) - (Self.number(from) ?? 0) }

    /// The range of the same length just before this one.
    public var previous: DayRange {
        guard let a = Self.number(from) else { return self }
        return DayRange(from: Self.key(number: a - count), to: from)
    }

    /// The same dates a year earlier (29 February becomes 28 February).
    public var yearEarlier: DayRange {
        func shift(_ key: String) -> String {
            guard let d = Self.parse(key) else { return key }
            return Self.key(d.year - 1, d.month, d.month == 2 && d.day == 29 ? 28 : d.day)
        }
        return DayRange(from: shift(from), to: shift(to))
    }

    /// The range of `count` days ending with the day before `to`.
    public static func days(_ count: Int, endingBefore to: String) -> DayRange {
        DayRange(from: key(number: (number(to) ?? 0) - count), to: to)
    }

    /// Days since 1970-01-01 of a key (proleptic Gregorian), `nil` when it is not a real day.
    public static func number(_ key: String) -> Int? {
        guard let d = parse(key), (1...12).contains(d.month), d.day >= 1, d.day <= daysIn(d.year, d.month) else { return nil }
        // Howard Hinnant's days_from_civil.
        let y = d.month <= 2 ? d.year - 1 : d.year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let doy = (153 * (d.month + (d.month > 2 ? -3 : 9)) + 2) / 5 + d.day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The key of a day number.
    public static func key(number z0: Int) -> String {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return key(yoe + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    static func daysIn(_ year: Int, _ month: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    static func parse(_ key: String) -> (year: Int, month: Int, day: Int)? {
        let parts = key.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return (parts[0], parts[1], parts[2])
    }

    static func next(_ year: Int, _ month: Int) -> (Int, Int) { month == 12 ? (year + 1, 1) : (year, month + 1) }

    static func key(_ year: Int, _ month: Int, _ day: Int) -> String { String(format: "%04d-%02d-%02d", year, month, day) }
}

import Foundation

/// Which days count as working days in a city: weekends, public holidays, and the working
/// weekends that some countries swap in for bridge holidays (China's 调休).
public struct BusinessCalendar: Codable, Sendable, Equatable {
    /// IANA time zone the days are counted in (`Asia/Shanghai`).
    public var timeZone: String {
        didSet { calendar = Self.makeCalendar(timeZone) }
    }
    /// Weekdays that are not working days, 1 = Sunday … 7 = Saturday (Foundation's numbering).
    public var weekendDays: Set<Int>
    /// Public holidays as `yyyy-MM-dd`.
    public var holidays: Set<String>
    /// Weekend days that are working days as `yyyy-MM-dd`.
    public var extraWorkingDays: Set<String>
    /// The Gregorian calendar in `timeZone`, made once: deadline arithmetic runs for every event
    /// and every sweeper step, and building a calendar each time dominated it.
    private(set) var calendar: Calendar

    public init(
        timeZone: String = "UTC",
        weekendDays: Set<Int> = [1, 7],
        holidays: Set<String> = [],
        extraWorkingDays: Set<String> = []
    ) {
        self.timeZone = timeZone
        self.weekendDays = weekendDays
        self.holidays = holidays
        self.extraWorkingDays = extraWorkingDays
        self.calendar = Self.makeCalendar(timeZone)
    }

    static func makeCalendar(_ timeZone: String) -> Calendar {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: timeZone) ?? .gmt
        return calendar
    }

    enum CodingKeys: String, CodingKey { case timeZone, weekendDays, holidays, extraWorkingDays }

    public init(from decoder: any Decoder) throws {
        // Every key may be omitted in a config file.
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            timeZone: try c.decodeIfPresent(String.self, forKey: .timeZone) ?? "UTC",
            weekendDays: try c.decodeIfPresent(Set<Int>.self, forKey: .weekendDays) ?? [1, 7],
            holidays: try c.decodeIfPresent(Set<String>.self, forKey: .holidays) ?? [],
            extraWorkingDays: try c.decodeIfPresent(Set<String>.self, forKey: .extraWorkingDays) ?? []
        )
    }

    public static func == (a: Self, b: Self) -> Bool {
        a.timeZone == b.timeZone && a.weekendDays == b.weekendDays && a.holidays == b.holidays && a.extraWorkingDays == b.extraWorkingDays
    }

    static func dayKey(_ date: Date, in calendar: Calendar) -> String {
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(c.year ?? 0)-\(two(c.month ?? 0))-\(two(c.day ?? 0))"
    }

    /// Whether the calendar day containing `date` is a working day.
    public func isWorkingDay(_ date: Date) -> Bool {
        isWorkingDay(date, calendar: calendar)
    }

    func isWorkingDay(_ date: Date, calendar: Calendar) -> Bool {
        if !extraWorkingDays.isEmpty || !holidays.isEmpty {
            let key = Self.dayKey(date, in: calendar)
            if extraWorkingDays.contains(key) { return true }
            if holidays.contains(key) { return false }
        }
        return !weekendDays.contains(calendar.component(.weekday, from: date))
    }

    /// The instant `days` working days after `start`, at the same local time of day.
    ///
    /// A request filed on a Saturday with a two-working-day limit is due on Tuesday at the
    /// same hour: the days that count are the working days that follow the filing day.
    public func adding(workingDays days: Int, to start: Date) -> Date {
        let calendar = self.calendar
        var date = start
        var counted = 0
        // A year of consecutive holidays is a configuration error; stop rather than loop forever.
        var guardDays = 0
        while counted < days && guardDays < 366 * 2 {
            guard let next = calendar.date(byAdding: .day, value: 1, to: date) else { break }
            date = next
            guardDays += 1
            if isWorkingDay(date, calendar: calendar) { counted += 1 }
        }
        return date
    }
}

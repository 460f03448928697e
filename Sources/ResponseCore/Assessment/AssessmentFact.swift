import Foundation

/// One increment of one metric, for one unit, on one day of the city's calendar.
public struct AssessmentFact: Sendable, Hashable {
    public var unit: String
    /// `yyyy-MM-dd` in the city's time zone.
    public var day: String
    public var metric: AssessmentMetric
    public var value: Int

    public init(unit: String, day: String, metric: AssessmentMetric, value: Int = 1) {
        self.unit = unit
        self.day = day
        self.metric = metric
        self.value = value
    }

    /// The facts one event contributes to the assessment: a pure function of the event alone,
    /// so the live counters (written with each event) and a replay of the event log agree exactly.
    /// - Parameters:
    ///   - event: Any event; most contribute nothing.
    ///   - days: Turns an instant into the city's calendar day.
    public static func facts(of event: TicketEvent, days: DayKeys) -> [AssessmentFact] {
        let p = event.payload
        let day = days.key(event.at)
        let unit = p["unit"]
        var out: [AssessmentFact] = []
        func add(_ metric: AssessmentMetric, _ unit: String?, _ day: String, _ value: Int = 1) {
            if let unit, !unit.isEmpty { out.append(AssessmentFact(unit: unit, day: day, metric: metric, value: value)) }
        }
        func dayOf(_ key: String) -> String? {
            p[key].flatMap(Self.instant).map(days.key)
        }
        switch event.type {
        case .dispatched:
            add(.assigned, p["leadUnit"], day)
            if p["upheld"] == "true", let assignedDay = dayOf("returnedAssignedAt") { add(.returnUpheld, p["returnedBy"], assignedDay) }
        case .arbitrated:
            if let from = p["from"] {
                add(.assigned, p["leadUnit"], day)
                if let assignedDay = dayOf("fromAssignedAt") { add(.returnUpheld, from, assignedDay) }
            }
        case .contacted:
            if p["first"] == "true", let assignedDay = dayOf("assignedAt") {
                add(.responded, unit, assignedDay)
                if p["onTime"] == "true" { add(.respondedOnTime, unit, assignedDay) }
            }
        case .returned:
            add(.returned, unit, day)
        case .replied:
            add(.replied, unit, day)
            if p["onTime"] == "true" { add(.repliedOnTime, unit, day) }
        case .evaluated:
            add(.rated, unit, day)
            if p["resolved"] == "true" { add(.ratedResolved, unit, day) }
            switch p["satisfaction"].flatMap(Evaluation.Satisfaction.init(rawValue:)) {
            case .satisfied: add(.satisfied, unit, day)
            case .basicallySatisfied: add(.basicallySatisfied, unit, day)
            case .dissatisfied: add(.dissatisfied, unit, day)
            case nil: break
            }
        case .reopened:
            add(.redone, unit, day)
        case .followUpEnded:
            if p["outcome"] == "not_evaluated" { add(.notEvaluated, unit, day) }
        case .overdue:
            if p["deadline"] == DeadlineName.resolution.rawValue { add(.overdue, unit, day) }
        case .escalated:
            add(.escalated, unit, day)
        case .summoned:
            for summoned in (p["units"] ?? "").split(separator: ",") { add(.summoned, String(summoned), day) }
        case .summonsAcknowledged, .summonsReported:
            if p["onTime"] == "true" { add(.summonsOnTime, p["summoned"], day) }
        case .summonsRated:
            if let score = p["score"].flatMap(Int.init) {
                add(.summonsRated, p["summoned"], day)
                add(.summonsScore, p["summoned"], day, score)
            }
        default:
            break
        }
        return out
    }

    /// Reads an instant written by the state machine (ISO 8601, with or without milliseconds).
    static func instant(_ text: String) -> Date? {
        (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
    }

    /// Sums facts into one count per unit, day and metric (what the store adds in one statement).
    public static func combine(_ facts: [AssessmentFact]) -> [AssessmentFact] {
        var sums: [AssessmentFact: Int] = [:]
        var order: [AssessmentFact] = []
        for f in facts {
            var key = f
            key.value = 0
            if sums[key] == nil { order.append(key) }
            sums[key, default: 0] += f.value
        }
        return order.map { var f = $0; f.value = sums[$0] ?? 0; return f }.filter { $0.value != 0 }
    }
}

/// Calendar-day keys (`yyyy-MM-dd`) in one time zone, with the zone's rules (daylight saving).
public struct DayKeys: Sendable {
    public let timeZone: TimeZone
    private let calendar: Calendar

    public init(timeZone: TimeZone) {
        self.timeZone = timeZone
        var c = Calendar(identifier: .gregorian)
        c.timeZone = timeZone
        self.calendar = c
    }

    /// - Parameter identifier: An IANA zone; UTC when unknown.
    public init(identifier: String) { self.init(timeZone: TimeZone(identifier: identifier) ?? .gmt) }

    /// The city's calendar day of `date`.
    public func key(_ date: Date) -> String {
        BusinessCalendar.dayKey(date, in: calendar)
    }

    /// The instant the day `key` begins in the zone.
    public func start(of key: String) -> Date? {
        let parts = key.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// ``start(of:)`` of a day that exists: `nil` for `2026-02-30` or `2026-13-01`, which
    /// ``start(of:)`` would roll over into the next month or year.
    public func start(ofValidDay key: String) -> Date? {
        let parts = key.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let date = start(of: key),
              calendar.dateComponents([.year, .month, .day], from: date) == DateComponents(year: parts[0], month: parts[1], day: parts[2])
        else { return nil }
        return date
    }

    /// The start of the calendar day holding `date`.
    public func startOfDay(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    /// The instant `days` calendar days after `date` (daylight saving respected).
    public func adding(days: Int, to date: Date) -> Date? { calendar.date(byAdding: .day, value: days, to: date) }
}

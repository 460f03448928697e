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
        var out: [AssessmentFact] = []
        func add(_ metric: AssessmentMetric, _ unit: String?, _ day: String? = nil, _ value: Int = 1) {
            if let unit, !unit.isEmpty { out.append(AssessmentFact(unit: unit, day: day ?? days.key(event.at), metric: metric, value: value)) }
        }
        switch event.detail {
        case .dispatched(let routing, let upheld):
            add(.assigned, routing.leadUnit)
            if let upheld, let assigned = upheld.assignedAt { add(.returnUpheld, upheld.unit, days.key(assigned)) }
        case .arbitrated(let routing, let replaced):
            if let replaced, let from = replaced.unit {
                add(.assigned, routing.leadUnit)
                if let assigned = replaced.assignedAt { add(.returnUpheld, from, days.key(assigned)) }
            }
        case .contacted(_, let onTime, let first, let unit):
            // The response rate counts the first contact of an assignment, on the day of the assignment.
            if let assigned = first?.assignedAt {
                add(.responded, unit, days.key(assigned))
                if onTime == true { add(.respondedOnTime, unit, days.key(assigned)) }
            }
        case .returned(_, _, let unit):
            add(.returned, unit)
        case .replied(_, _, let onTime, let unit):
            add(.replied, unit)
            if onTime == true { add(.repliedOnTime, unit) }
        case .evaluated(let resolved, let satisfaction, _, _, let unit):
            add(.rated, unit)
            if resolved { add(.ratedResolved, unit) }
            switch satisfaction {
            case .satisfied: add(.satisfied, unit)
            case .basicallySatisfied: add(.basicallySatisfied, unit)
            case .dissatisfied: add(.dissatisfied, unit)
            case nil: break
            }
        case .reopened(_, let unit):
            add(.redone, unit)
        case .followUpEnded(let outcome, _, let unit):
            if outcome == .notEvaluated { add(.notEvaluated, unit) }
        case .overdue(let deadline, _, _, let unit):
            if deadline == .resolution { add(.overdue, unit) }
        case .escalated(_, let unit):
            add(.escalated, unit)
        case .summoned(let units, _, _, _):
            for summoned in units { add(.summoned, summoned) }
        case .summonsAcknowledged(let summoned, let onTime, _):
            if onTime { add(.summonsOnTime, summoned) }
        case .summonsReported(let summoned, _, _, let onTime, _):
            if onTime == true { add(.summonsOnTime, summoned) }
        case .summonsRated(let summoned, let score, _, _):
            if let score {
                add(.summonsRated, summoned)
                add(.summonsScore, summoned, nil, score)
            }
        case .created, .answered, .accepted, .returnRejected, .triaged, .merged, .urged, .extended, .closed, .commented,
             .summonsOverdue, .extensionRequested, .extensionApproved, .extensionRefused, .followUpAttempted, .contactsErased:
            break
        }
        return out
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

import Foundation

/// A length of time a unit gets: wall-clock hours, or working days on the city's calendar.
public enum TimeLimit: Codable, Sendable, Equatable {
    case hours(Double)
    case workingDays(Int)

    /// The instant this limit ends when it starts at `start`.
    public func end(from start: Date, calendar: BusinessCalendar) -> Date {
        switch self {
        case .hours(let h): start.addingTimeInterval(h * 3600)
        case .workingDays(let d): calendar.adding(workingDays: d, to: start)
        }
    }
}

/// One row of the policy: the limits for tickets that match its (optional) kind, urgency and
/// category prefix. The most specific matching rule wins.
public struct DeadlineRule: Codable, Sendable, Equatable {
    public var kinds: [TicketKind]?
    public var urgency: Urgency?
    /// Matches a category code equal to it or below it (`01.03` matches `01.03.07`).
    public var categoryPrefix: String?
    public var accept: TimeLimit
    public var firstContact: TimeLimit
    public var resolution: TimeLimit

    public init(
        kinds: [TicketKind]? = nil,
        urgency: Urgency? = nil,
        categoryPrefix: String? = nil,
        accept: TimeLimit,
        firstContact: TimeLimit,
        resolution: TimeLimit
    ) {
        self.kinds = kinds
        self.urgency = urgency
        self.categoryPrefix = categoryPrefix
        self.accept = accept
        self.firstContact = firstContact
        self.resolution = resolution
    }

    func matches(kind: TicketKind, urgency: Urgency, category: String?) -> Bool {
        if let kinds, !kinds.contains(kind) { return false }
        if let u = self.urgency, u != urgency { return false }
        if let prefix = categoryPrefix {
            guard let category, category == prefix || category.hasPrefix(prefix + ".") else { return false }
        }
        return true
    }

    /// Category beats urgency beats kind; a longer category prefix beats a shorter one.
    var specificity: Int {
        (categoryPrefix.map { 100 + $0.count } ?? 0) + (urgency == nil ? 0 : 10) + (kinds == nil ? 0 : 1)
    }
}

/// The deadlines a city sets, by kind × urgency × category, on its business calendar.
public struct DeadlinePolicy: Codable, Sendable, Equatable {
    public var rules: [DeadlineRule]
    /// How long after dispatch a unit may still return a ticket as mis-routed.
    public var returnWindow: TimeLimit
    public var calendar: BusinessCalendar

    public init(rules: [DeadlineRule], returnWindow: TimeLimit = .hours(2), calendar: BusinessCalendar = BusinessCalendar()) {
        self.rules = rules
        self.returnWindow = returnWindow
        self.calendar = calendar
    }

    /// The defaults of DOMAIN.md: accept in 2 h; first contact in 24 h (urgent 2 h); resolution in
    /// working days by kind as Guangdong publishes (consultation 2, help and suggestion 10,
    /// complaint and report 15), urgent tickets within 24 h; returns within 2 h.
    public static func standard(calendar: BusinessCalendar = BusinessCalendar()) -> DeadlinePolicy {
        DeadlinePolicy(
            rules: [
                DeadlineRule(accept: .hours(2), firstContact: .hours(24), resolution: .workingDays(7)),
                DeadlineRule(kinds: [.consultation], accept: .hours(2), firstContact: .hours(24), resolution: .workingDays(2)),
                DeadlineRule(kinds: [.help, .suggestion, .praise], accept: .hours(2), firstContact: .hours(24), resolution: .workingDays(10)),
                DeadlineRule(kinds: [.complaint, .report], accept: .hours(2), firstContact: .hours(24), resolution: .workingDays(15)),
                DeadlineRule(urgency: .urgent, accept: .hours(0.5), firstContact: .hours(2), resolution: .hours(24)),
            ],
            returnWindow: .hours(2),
            calendar: calendar
        )
    }

    /// The rule that applies to a ticket; the catch-all first rule when none matches.
    public func rule(kind: TicketKind, urgency: Urgency, category: String?) -> DeadlineRule {
        let matching = rules.filter { $0.matches(kind: kind, urgency: urgency, category: category) }
        return matching.max { $0.specificity < $1.specificity }
            ?? DeadlineRule(accept: .hours(2), firstContact: .hours(24), resolution: .workingDays(7))
    }

    /// Deadlines for a ticket dispatched at `start`.
    public func deadlines(kind: TicketKind, urgency: Urgency, category: String?, start: Date) -> Deadlines {
        let rule = rule(kind: kind, urgency: urgency, category: category)
        return Deadlines(
            accept: rule.accept.end(from: start, calendar: calendar),
            firstContact: rule.firstContact.end(from: start, calendar: calendar),
            resolution: rule.resolution.end(from: start, calendar: calendar),
            returnWindow: returnWindow.end(from: start, calendar: calendar)
        )
    }
}

extension TimeLimit: LosslessStringConvertible {
    /// Parses `2h`, `0.5h`, `30m` (wall clock) or `7wd` (working days).
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        if t.hasSuffix("wd"), let d = Int(t.dropLast(2)), d >= 0 {
            self = .workingDays(d)
        } else if t.hasSuffix("h"), let h = Double(t.dropLast()), h.isFinite, h >= 0 {
            self = .hours(h)
        } else if t.hasSuffix("m"), let m = Double(t.dropLast()), m.isFinite, m >= 0 {
            self = .hours(m / 60)
        } else {
            return nil
        }
    }

    public var description: String {
        switch self {
        case .hours(let h): h == h.rounded() ? "\(Int(h))h" : "\(h)h"
        case .workingDays(let d): "\(d)wd"
        }
    }

    // Stored and configured as the short text form, so a config file reads `"resolution": "15wd"`.
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let limit = TimeLimit(text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected a time limit such as 2h, 30m or 15wd, got \(text)"))
        }
        self = limit
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A count kept per unit and day, from which every rate of the assessment is derived.
public enum AssessmentMetric: String, Codable, Sendable, CaseIterable, Comparable {
    /// Tickets dispatched to the unit as lead (each assignment once).
    case assigned
    /// Assignments the unit returned and the dispatcher or a supervisor re-routed (not its fault).
    case returnUpheld = "return_upheld"
    /// First contacts with the complainant, counted on the day of the assignment.
    case responded
    /// First contacts within the first-contact limit, counted on the day of the assignment.
    case respondedOnTime = "responded_on_time"
    /// Returns as mis-routed.
    case returned
    /// Replies (answers) given.
    case replied
    /// Replies given within the resolution deadline.
    case repliedOnTime = "replied_on_time"
    /// Ratings received.
    case rated
    case ratedResolved = "rated_resolved"
    case satisfied
    case basicallySatisfied = "basically_satisfied"
    case dissatisfied
    /// Redos: tickets sent back to the unit.
    case redone
    /// Replied tickets closed because nobody answered the follow-up; left out of the rates.
    case notEvaluated = "not_evaluated"
    /// Resolution deadlines passed.
    case overdue
    /// Tickets escalated to supervision.
    case escalated
    /// Times the unit was summoned by a lead unit's whistle.
    case summoned
    /// Summons acknowledged within the arrival limit.
    case summonsOnTime = "summons_on_time"
    /// Ratings of the unit's help by lead units, and their sum (1–5 each).
    case summonsRated = "summons_rated"
    case summonsScore = "summons_score"

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Counts of every metric of one unit over some days.
public struct UnitCounts: Codable, Sendable, Equatable {
    public var values: [AssessmentMetric: Int]

    public init(_ values: [AssessmentMetric: Int] = [:]) { self.values = values }

    public subscript(_ metric: AssessmentMetric) -> Int {
        get { values[metric] ?? 0 }
        set { values[metric] = newValue == 0 ? nil : newValue }
    }

    public mutating func add(_ other: UnitCounts) {
        for (m, v) in other.values { self[m] += v }
    }

    // Encoded as an object keyed by the metric's name, the shape JSON clients expect.
    public init(from decoder: any Decoder) throws {
        let raw = try [String: Int](from: decoder)
        var values: [AssessmentMetric: Int] = [:]
        for (k, v) in raw { if let m = AssessmentMetric(rawValue: k) { values[m] = v } }
        self.values = values
    }

    public func encode(to encoder: any Encoder) throws {
        var raw: [String: Int] = [:]
        for m in AssessmentMetric.allCases { raw[m.rawValue] = self[m] }
        try raw.encode(to: encoder)
    }
}

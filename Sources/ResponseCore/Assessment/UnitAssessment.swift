import Foundation

/// The groups units are ranked in: streets and townships among themselves, departments and
/// public-service companies among themselves, districts among themselves.
public enum AssessmentLevel: String, Codable, Sendable, CaseIterable {
    case street, department, district

    public init(_ kind: OrgUnit.Kind) {
        switch kind {
        case .street: self = .street
        case .district: self = .district
        case .department, .company: self = .department
        }
    }
}

/// The classes a unit can earn in a period.
public enum AssessmentClass: String, Codable, Sendable, CaseIterable {
    /// Among the best ranked units of its level.
    case advanced
    /// Its composite rose by at least the configured points over the previous period.
    case improving
    /// Among the worst ranked units of its level.
    case rectification
    /// A street with the most requests per 10,000 residents: where governance must focus.
    case governancePriority = "governance_priority"
}

/// One unit's figures for a period. Rates are fractions (0–1); `nil` means fewer tickets than
/// the minimum sample ("insufficient data"), never zero.
public struct UnitAssessment: Codable, Sendable, Equatable {
    public var unit: String
    public var name: String
    public var kind: OrgUnit.Kind
    public var level: AssessmentLevel
    public var population: Int?
    public var counts: UnitCounts
    /// First contacts within the limit ÷ assignments the unit kept.
    public var responseRate: Double?
    /// Rated "resolved" ÷ rated.
    public var resolutionRate: Double?
    /// (Satisfied + basically satisfied) ÷ rated.
    public var satisfactionRate: Double?
    /// Replies within the resolution deadline ÷ replies.
    public var onTimeRate: Double?
    /// Returns ÷ assignments.
    public var returnRate: Double?
    /// Redos ÷ replies.
    public var redoRate: Double?
    /// Assignments per 10,000 residents (units with a population).
    public var requestsPer10k: Double?
    /// Summons acknowledged in time ÷ summons.
    public var arrivalRate: Double?
    /// Average score (1–5) lead units gave the unit's help after a whistle: the two-way score.
    public var whistleScore: Double?
    /// Weighted 0–100 score of the three rates; `nil` when one of them is insufficient.
    public var composite: Double?
    /// Place among the ranked units of its level, 1 = best.
    public var rank: Int?
    /// Ranked units in the level.
    public var rankedOf: Int?
    public var classes: [AssessmentClass]
    public var previousComposite: Double?
    /// Composite minus the previous period's, in points.
    public var change: Double?

    /// Not ranked because a rate lacks the minimum sample.
    public var insufficientData: Bool { composite == nil }

    enum CodingKeys: String, CodingKey {
        case unit, name, kind, level, population, counts, responseRate, resolutionRate, satisfactionRate, onTimeRate, returnRate, redoRate
        case requestsPer10k, arrivalRate, whistleScore, composite, rank, rankedOf, classes, previousComposite, change, insufficientData
    }

    public init(unit: OrgUnit, counts: UnitCounts, settings: AssessmentSettings) {
        self.unit = unit.code
        self.name = unit.name
        self.kind = unit.kind
        self.level = AssessmentLevel(unit.kind)
        self.population = unit.population
        self.counts = counts
        let minimum = settings.minimumSample
        func rate(_ numerator: Int, _ denominator: Int) -> Double? {
            denominator >= minimum && denominator > 0 ? Double(numerator) / Double(denominator) : nil
        }
        responseRate = rate(counts[.respondedOnTime], counts[.assigned] - counts[.returnUpheld])
        resolutionRate = rate(counts[.ratedResolved], counts[.rated])
        satisfactionRate = rate(counts[.satisfied] + counts[.basicallySatisfied], counts[.rated])
        onTimeRate = rate(counts[.repliedOnTime], counts[.replied])
        returnRate = rate(counts[.returned], counts[.assigned])
        redoRate = rate(counts[.redone], counts[.replied])
        arrivalRate = counts[.summoned] > 0 ? Double(counts[.summonsOnTime]) / Double(counts[.summoned]) : nil
        whistleScore = counts[.summonsRated] > 0 ? Double(counts[.summonsScore]) / Double(counts[.summonsRated]) : nil
        if let population = unit.population, population > 0 {
            requestsPer10k = Double(counts[.assigned]) * 10_000 / Double(population)
        }
        if let r = responseRate, let s = resolutionRate, let t = satisfactionRate {
            let total = settings.responseWeight + settings.resolutionWeight + settings.satisfactionWeight
            composite = 100 * (settings.responseWeight * r + settings.resolutionWeight * s + settings.satisfactionWeight * t) / total
        }
        classes = []
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        unit = try c.decode(String.self, forKey: .unit)
        name = try c.decode(String.self, forKey: .name)
        kind = try c.decode(OrgUnit.Kind.self, forKey: .kind)
        level = try c.decode(AssessmentLevel.self, forKey: .level)
        population = try c.decodeIfPresent(Int.self, forKey: .population)
        counts = try c.decode(UnitCounts.self, forKey: .counts)
        responseRate = try c.decodeIfPresent(Double.self, forKey: .responseRate)
        resolutionRate = try c.decodeIfPresent(Double.self, forKey: .resolutionRate)
        satisfactionRate = try c.decodeIfPresent(Double.self, forKey: .satisfactionRate)
        onTimeRate = try c.decodeIfPresent(Double.self, forKey: .onTimeRate)
        returnRate = try c.decodeIfPresent(Double.self, forKey: .returnRate)
        redoRate = try c.decodeIfPresent(Double.self, forKey: .redoRate)
        requestsPer10k = try c.decodeIfPresent(Double.self, forKey: .requestsPer10k)
        arrivalRate = try c.decodeIfPresent(Double.self, forKey: .arrivalRate)
        whistleScore = try c.decodeIfPresent(Double.self, forKey: .whistleScore)
        composite = try c.decodeIfPresent(Double.self, forKey: .composite)
        rank = try c.decodeIfPresent(Int.self, forKey: .rank)
        rankedOf = try c.decodeIfPresent(Int.self, forKey: .rankedOf)
        classes = try c.decodeIfPresent([AssessmentClass].self, forKey: .classes) ?? []
        previousComposite = try c.decodeIfPresent(Double.self, forKey: .previousComposite)
        change = try c.decodeIfPresent(Double.self, forKey: .change)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(unit, forKey: .unit)
        try c.encode(name, forKey: .name)
        try c.encode(kind, forKey: .kind)
        try c.encode(level, forKey: .level)
        try c.encodeIfPresent(population, forKey: .population)
        try c.encode(counts, forKey: .counts)
        // Rates are always present: null says "insufficient data" explicitly.
        try c.encode(responseRate, forKey: .responseRate)
        try c.encode(resolutionRate, forKey: .resolutionRate)
        try c.encode(satisfactionRate, forKey: .satisfactionRate)
        try c.encode(onTimeRate, forKey: .onTimeRate)
        try c.encode(returnRate, forKey: .returnRate)
        try c.encode(redoRate, forKey: .redoRate)
        try c.encode(requestsPer10k, forKey: .requestsPer10k)
        try c.encode(arrivalRate, forKey: .arrivalRate)
        try c.encode(whistleScore, forKey: .whistleScore)
        try c.encode(composite, forKey: .composite)
        try c.encode(rank, forKey: .rank)
        try c.encode(rankedOf, forKey: .rankedOf)
        try c.encode(classes, forKey: .classes)
        try c.encode(previousComposite, forKey: .previousComposite)
        try c.encode(change, forKey: .change)
        try c.encode(insufficientData, forKey: .insufficientData)
    }
}

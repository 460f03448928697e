import Foundation

/// A city's rules for the accountability loop: when to urge, when to escalate, how long a
/// summoned unit has to arrive, how the follow-up runs, and how units are assessed.
/// Every value is configurable per city (docs/accountability.md); the defaults follow DOMAIN.md.
public struct AccountabilityPolicy: Codable, Sendable, Equatable {
    /// Urge the lead unit this long before its resolution deadline (催办), but never before
    /// half of the time it was given has passed.
    public var remindBefore: TimeLimit
    /// Escalate to supervision (督办) once a resolution deadline is this far past.
    public var escalateAfter: TimeLimit
    /// How long a summoned unit has to acknowledge ("arrive") after the whistle.
    public var arrivalLimit: TimeLimit
    /// Follow-up calls that reach nobody before the ticket closes as "not evaluated".
    public var followUpAttempts: Int
    /// How long a follow-up link sent to the complainant stays valid.
    public var followUpLinkLifetime: TimeLimit
    public var assessment: AssessmentSettings

    public init(
        remindBefore: TimeLimit = .hours(24),
        escalateAfter: TimeLimit = .workingDays(3),
        arrivalLimit: TimeLimit = .hours(0.5),
        followUpAttempts: Int = 3,
        followUpLinkLifetime: TimeLimit = .hours(168),
        assessment: AssessmentSettings = AssessmentSettings()
    ) {
        self.remindBefore = remindBefore
        self.escalateAfter = escalateAfter
        self.arrivalLimit = arrivalLimit
        self.followUpAttempts = followUpAttempts
        self.followUpLinkLifetime = followUpLinkLifetime
        self.assessment = assessment
    }

    /// The defaults of DOMAIN.md.
    public static let standard = AccountabilityPolicy()

    /// Problems with a configured policy, for a clear start-up error.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if case .workingDays = remindBefore { errors.append("remindBefore must be in hours or minutes (2h, 30m)") }
        if followUpAttempts < 1 { errors.append("followUpAttempts must be at least 1") }
        errors += assessment.validationErrors()
        return errors
    }

    // Every key may be omitted in a config file.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AccountabilityPolicy()
        remindBefore = try c.decodeIfPresent(TimeLimit.self, forKey: .remindBefore) ?? d.remindBefore
        escalateAfter = try c.decodeIfPresent(TimeLimit.self, forKey: .escalateAfter) ?? d.escalateAfter
        arrivalLimit = try c.decodeIfPresent(TimeLimit.self, forKey: .arrivalLimit) ?? d.arrivalLimit
        followUpAttempts = try c.decodeIfPresent(Int.self, forKey: .followUpAttempts) ?? d.followUpAttempts
        followUpLinkLifetime = try c.decodeIfPresent(TimeLimit.self, forKey: .followUpLinkLifetime) ?? d.followUpLinkLifetime
        assessment = try c.decodeIfPresent(AssessmentSettings.self, forKey: .assessment) ?? d.assessment
    }
}

/// How the monthly assessment weighs and classes units.
public struct AssessmentSettings: Codable, Sendable, Equatable {
    /// Weights of the response, resolution and satisfaction rates in the composite score
    /// (30/35/35 is one published example); they are normalised to sum to 1.
    public var responseWeight: Double
    public var resolutionWeight: Double
    public var satisfactionWeight: Double
    /// Below this many tickets a rate is "insufficient data" and the unit is not ranked.
    public var minimumSample: Int
    /// The best N ranked units of each level are "advanced".
    public var advancedCount: Int
    /// The worst N ranked units of each level are put under "rectification".
    public var rectificationCount: Int
    /// A unit whose composite rose by at least this many points over the previous period is "improving".
    public var improvingPoints: Double
    /// The N streets with the most requests per 10,000 residents are "governance priorities".
    public var governancePriorityCount: Int

    public init(
        responseWeight: Double = 0.30, resolutionWeight: Double = 0.35, satisfactionWeight: Double = 0.35, minimumSample: Int = 10,
        advancedCount: Int = 10, rectificationCount: Int = 10, improvingPoints: Double = 5, governancePriorityCount: Int = 10
    ) {
        self.responseWeight = responseWeight
        self.resolutionWeight = resolutionWeight
        self.satisfactionWeight = satisfactionWeight
        self.minimumSample = minimumSample
        self.advancedCount = advancedCount
        self.rectificationCount = rectificationCount
        self.improvingPoints = improvingPoints
        self.governancePriorityCount = governancePriorityCount
    }

    public func validationErrors() -> [String] {
        var errors: [String] = []
        let weights = [responseWeight, resolutionWeight, satisfactionWeight]
        if weights.contains(where: { $0 < 0 || !$0.isFinite }) || weights.reduce(0, +) <= 0 {
            errors.append("assessment weights must be non-negative and not all zero")
        }
        if minimumSample < 1 { errors.append("assessment.minimumSample must be at least 1") }
        if advancedCount < 0 || rectificationCount < 0 || governancePriorityCount < 0 { errors.append("assessment class sizes must not be negative") }
        return errors
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = AssessmentSettings()
        responseWeight = try c.decodeIfPresent(Double.self, forKey: .responseWeight) ?? d.responseWeight
        resolutionWeight = try c.decodeIfPresent(Double.self, forKey: .resolutionWeight) ?? d.resolutionWeight
        satisfactionWeight = try c.decodeIfPresent(Double.self, forKey: .satisfactionWeight) ?? d.satisfactionWeight
        minimumSample = try c.decodeIfPresent(Int.self, forKey: .minimumSample) ?? d.minimumSample
        advancedCount = try c.decodeIfPresent(Int.self, forKey: .advancedCount) ?? d.advancedCount
        rectificationCount = try c.decodeIfPresent(Int.self, forKey: .rectificationCount) ?? d.rectificationCount
        improvingPoints = try c.decodeIfPresent(Double.self, forKey: .improvingPoints) ?? d.improvingPoints
        governancePriorityCount = try c.decodeIfPresent(Int.self, forKey: .governancePriorityCount) ?? d.governancePriorityCount
    }
}

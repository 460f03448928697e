import Foundation

/// Every unit's figures, ranks and classes for one period.
public struct AssessmentReport: Codable, Sendable, Equatable {
    public var tenantID: String
    public var period: AssessmentPeriod
    public var previousPeriod: AssessmentPeriod?
    public var settings: AssessmentSettings
    /// Ranked units first (by level, then rank), then the unranked by level and code.
    public var units: [UnitAssessment]

    /// Computes the assessment from per-unit counts; a pure function, so the live counters and a
    /// replay of the event log give the same report.
    /// - Parameters:
    ///   - counts: Counts of the period by unit code.
    ///   - previous: Counts of the previous period, for the change and the "improving" class.
    ///   - units: The city's units; every active unit appears, with or without tickets, and an
    ///     inactive one appears only when it has counts (created or closed mid-period).
    public init(
        tenantID: String, period: AssessmentPeriod, previousPeriod: AssessmentPeriod?, counts: [String: UnitCounts],
        previous: [String: UnitCounts], units: [OrgUnit], settings: AssessmentSettings
    ) {
        self.tenantID = tenantID
        self.period = period
        self.previousPeriod = previousPeriod
        self.settings = settings
        var rows: [UnitAssessment] = []
        for unit in units where unit.active || counts[unit.code] != nil {
            var row = UnitAssessment(unit: unit, counts: counts[unit.code] ?? UnitCounts(), settings: settings)
            if let before = previous[unit.code] {
                row.previousComposite = UnitAssessment(unit: unit, counts: before, settings: settings).composite
            }
            if let now = row.composite, let before = row.previousComposite { row.change = now - before }
            rows.append(row)
        }
        for level in AssessmentLevel.allCases {
            let ranked = rows.indices.filter { rows[$0].level == level && rows[$0].composite != nil }
                .sorted { (rows[$0].composite ?? 0, rows[$1].unit) > (rows[$1].composite ?? 0, rows[$0].unit) }
            for (place, i) in ranked.enumerated() {
                rows[i].rank = place + 1
                rows[i].rankedOf = ranked.count
                if place < settings.advancedCount { rows[i].classes.append(.advanced) }
                if place >= max(settings.advancedCount, ranked.count - settings.rectificationCount) { rows[i].classes.append(.rectification) }
                if let change = rows[i].change, change >= settings.improvingPoints { rows[i].classes.append(.improving) }
            }
            if level == .street {
                let busiest = rows.indices.filter { rows[$0].level == .street && (rows[$0].requestsPer10k ?? 0) > 0 }
                    .sorted { (rows[$0].requestsPer10k ?? 0, rows[$1].unit) > (rows[$1].requestsPer10k ?? 0, rows[$0].unit) }
                for i in busiest.prefix(settings.governancePriorityCount) { rows[i].classes.append(.governancePriority) }
            }
        }
        let levelOrder = Dictionary(uniqueKeysWithValues: AssessmentLevel.allCases.enumerated().map { ($1, $0) })
        self.units = rows.sorted { a, b in
            let la = levelOrder[a.level] ?? 0, lb = levelOrder[b.level] ?? 0
            if la != lb { return la < lb }
            switch (a.rank, b.rank) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.unit < b.unit
            }
        }
    }

    /// Only the units of one level.
    public func filtered(level: AssessmentLevel?) -> AssessmentReport {
        guard let level else { return self }
        var copy = self
        copy.units = units.filter { $0.level == level }
        return copy
    }

    /// The ranked units of a level with the "rectification" class, worst first.
    public func bottom(level: AssessmentLevel) -> [UnitAssessment] {
        units.filter { $0.level == level && $0.classes.contains(.rectification) }.sorted { ($0.rank ?? 0) > ($1.rank ?? 0) }
    }
}

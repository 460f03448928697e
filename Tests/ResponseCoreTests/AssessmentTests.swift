import Foundation
import Testing
@testable import ResponseCore

@Suite("Assessment: rates, composite, ranking, classes")
struct AssessmentTests {
    func unit(_ code: String, _ kind: OrgUnit.Kind, population: Int? = nil, active: Bool = true) -> OrgUnit {
        OrgUnit(code: code, tenantID: "c", name: code.uppercased(), kind: kind, population: population, active: active)
    }

    /// Counts for a unit with `n` assignments and ratings, `onTime` first contacts, `resolved` and `satisfied` ratings.
    func counts(n: Int, onTime: Int, resolved: Int, satisfied: Int, basically: Int = 0) -> UnitCounts {
        UnitCounts([.assigned: n, .respondedOnTime: onTime, .responded: n, .rated: n, .ratedResolved: resolved, .satisfied: satisfied,
                    .basicallySatisfied: basically, .replied: n, .repliedOnTime: onTime])
    }

    @Test("rates follow DOMAIN.md, the composite weighs them 30/35/35, and small samples are not ranked")
    func ratesAndComposite() throws {
        let settings = AssessmentSettings()
        let u = UnitAssessment(unit: unit("s1", .street, population: 50_000), counts: counts(n: 20, onTime: 18, resolved: 19, satisfied: 15, basically: 3), settings: settings)
        #expect(u.responseRate == 0.9)
        #expect(u.resolutionRate == 0.95)
        #expect(u.satisfactionRate == 0.9)
        #expect(abs((u.composite ?? 0) - (30 * 0.9 + 35 * 0.95 + 35 * 0.9)) < 1e-9)
        #expect(u.requestsPer10k == 4)
        let small = UnitAssessment(unit: unit("s2", .street), counts: counts(n: 9, onTime: 9, resolved: 9, satisfied: 9), settings: settings)
        #expect(small.responseRate == nil && small.composite == nil && small.insufficientData, "9 < the minimum sample of 10")
        #expect(small.requestsPer10k == nil, "no population, no per-capita figure")
        // Upheld returns leave the response denominator: a correct return is not a late response.
        var c = counts(n: 12, onTime: 10, resolved: 12, satisfied: 12)
        c[.returnUpheld] = 2
        #expect(UnitAssessment(unit: unit("s3", .street), counts: c, settings: settings).responseRate == 1.0)
    }

    @Test("streets and departments are ranked separately, with classes, change, zero-ticket and inactive units")
    func ranking() throws {
        var settings = AssessmentSettings()
        settings.advancedCount = 1
        settings.rectificationCount = 1
        settings.governancePriorityCount = 1
        let units = [
            unit("s-best", .street, population: 100_000), unit("s-mid", .street, population: 10_000), unit("s-worst", .street, population: 200_000),
            unit("s-empty", .street), unit("s-gone", .street, active: false), unit("s-gone-busy", .street, active: false),
            unit("water", .company), unit("police", .department),
        ]
        let now: [String: UnitCounts] = [
            "s-best": counts(n: 40, onTime: 40, resolved: 39, satisfied: 38),
            "s-mid": counts(n: 30, onTime: 27, resolved: 27, satisfied: 25),
            "s-worst": counts(n: 50, onTime: 30, resolved: 35, satisfied: 30),
            // Closed mid-month: it still answers for the tickets it had.
            "s-gone-busy": counts(n: 10, onTime: 8, resolved: 9, satisfied: 9),
            "water": counts(n: 20, onTime: 19, resolved: 18, satisfied: 18),
            "police": counts(n: 20, onTime: 10, resolved: 10, satisfied: 10),
        ]
        let before: [String: UnitCounts] = ["s-mid": counts(n: 30, onTime: 15, resolved: 20, satisfied: 20)]
        let report = AssessmentReport(tenantID: "c", period: AssessmentPeriod(month: "2026-11")!, previousPeriod: AssessmentPeriod(month: "2026-10"),
                                      counts: now, previous: before, units: units, settings: settings)
        let byCode = Dictionary(uniqueKeysWithValues: report.units.map { ($0.unit, $0) })
        #expect(report.units.filter { $0.level == .street }.prefix(4).map(\.unit) == ["s-best", "s-mid", "s-gone-busy", "s-worst"])
        #expect(byCode["s-best"]?.rank == 1 && byCode["s-best"]?.rankedOf == 4)
        #expect(byCode["s-best"]?.classes.contains(.advanced) == true)
        #expect(byCode["s-worst"]?.classes.contains(.rectification) == true)
        #expect(report.bottom(level: .street).map(\.unit) == ["s-worst"])
        #expect(byCode["s-mid"]?.classes.contains(.improving) == true, "up \(byCode["s-mid"]?.change ?? 0) points")
        #expect(byCode["s-mid"]?.classes.contains(.governancePriority) == true, "30 per 10,000 residents, the most concentrated")
        #expect(byCode["s-empty"] != nil && byCode["s-empty"]?.rank == nil && byCode["s-empty"]?.insufficientData == true, "a unit with zero tickets is listed, not ranked")
        #expect(byCode["s-gone"] == nil, "an inactive unit without tickets is left out")
        #expect(byCode["water"]?.rank == 1 && byCode["police"]?.rank == 2 && byCode["police"]?.rankedOf == 2, "companies rank with departments")
        #expect(report.filtered(level: .department).units.map(\.unit) == ["water", "police"])
    }

    @Test("periods: months, spans, the previous period")
    func periods() throws {
        let nov = try #require(AssessmentPeriod(month: "2026-11"))
        #expect(nov.from == "2026-11-01" && nov.to == "2026-12-01")
        #expect(nov.previous == AssessmentPeriod(month: "2026-10"))
        #expect(AssessmentPeriod(month: "2027-01")?.previous?.month == "2026-12")
        #expect(AssessmentPeriod(month: "2026-13") == nil && AssessmentPeriod(month: "26-11") == nil)
        let span = try #require(AssessmentPeriod(fromDay: "2026-11-10", toDay: "2026-11-20"))
        #expect(span.previous == AssessmentPeriod(fromDay: "2026-10-31", toDay: "2026-11-10"))
        #expect(AssessmentPeriod(fromDay: "2026-11-20", toDay: "2026-11-10") == nil)
    }

    @Test("facts are dated in the city's zone, and first contacts count on the day of the assignment")
    func factDays() throws {
        let days = DayKeys(identifier: "Asia/Shanghai")
        // 2026-11-30 16:30 UTC is 2026-12-01 00:30 in Beijing.
        let late = Date(timeIntervalSince1970: 1_796_056_200)
        #expect(days.key(late) == "2026-12-01")
        #expect(DayKeys(identifier: "UTC").key(late) == "2026-11-30")
        let assigned = late.addingTimeInterval(-3600)  // 2026-11-30 23:30 Beijing
        let contact = TicketEvent(sequence: 4, ticketID: "t", tenantID: "c", type: .contacted, at: late, actor: .system, fromStatus: .accepted, toStatus: .contacted,
                                  payload: ["first": "true", "onTime": "true", "unit": "s1", "assignedAt": TicketStateMachine.stamp(assigned)])
        #expect(AssessmentFact.facts(of: contact, days: days).map { "\($0.day) \($0.metric.rawValue)" } == ["2026-11-30 responded", "2026-11-30 responded_on_time"])
        let reply = TicketEvent(sequence: 5, ticketID: "t", tenantID: "c", type: .replied, at: late, actor: .system, fromStatus: .contacted, toStatus: .replied,
                                payload: ["unit": "s1", "onTime": "false"])
        #expect(AssessmentFact.facts(of: reply, days: days).map(\.day) == ["2026-12-01"])
        #expect(AssessmentFact.combine([
            AssessmentFact(unit: "a", day: "d", metric: .rated), AssessmentFact(unit: "a", day: "d", metric: .rated, value: 2),
            AssessmentFact(unit: "b", day: "d", metric: .rated),
        ]) == [AssessmentFact(unit: "a", day: "d", metric: .rated, value: 3), AssessmentFact(unit: "b", day: "d", metric: .rated)])
    }
}

import Foundation
import ResponseCore
import ResponseInsight
import ResponseStore
import Testing

/// The engines the replay runs on: SQLite always, PostgreSQL when CI provides one.
enum ReplayEngine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    static let postgresURL = ProcessInfo.processInfo.environment["SWIFT_RESPONSE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var available: [ReplayEngine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
    var testDescription: String { rawValue }
}

/// A small deterministic random source, so the synthetic month is the same on every run.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        return state
    }
}

@Suite("Assessment replayed from the event log")
struct AssessmentReplayTests {
    static let zone = "Asia/Shanghai"
    /// 2026-10-25 09:00 Beijing: the month before is in the data too.
    static let start = Date(timeIntervalSince1970: 1_792_890_000)

    enum Step: Sendable {
        case act(TicketAction, Actor)
        case followUp(FollowUpOutcome)
    }

    @Test("a synthetic month through the live store: the replay of its events matches the live figures exactly", arguments: ReplayEngine.available)
    func replayMatchesLive(engine: ReplayEngine) async throws {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let tenant = Tenant(id: "replay-" + suffix, name: "Replay City", timeZone: Self.zone)
        var path: String?
        let store: SQLTicketStore
        switch engine {
        case .sqlite:
            path = FileManager.default.temporaryDirectory.appendingPathComponent("sr-replay-\(suffix).sqlite").path
            store = try await SQLTicketStore.open(url: path!, contacts: .ephemeral())
        case .postgres:
            store = try await SQLTicketStore.open(url: try #require(ReplayEngine.postgresURL), contacts: .ephemeral())
        }
        defer { if let path { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } } }
        try await store.running { store in
            try await store.migrate()
            try await run(store, tenant)
        }
    }

    func run(_ store: SQLTicketStore, _ tenant: Tenant) async throws {
        try await store.saveTenant(tenant)
        for u in [
            OrgUnit(code: "s1", tenantID: tenant.id, name: "街道一", kind: .street, population: 80_000),
            OrgUnit(code: "s2", tenantID: tenant.id, name: "街道二", kind: .street, population: 50_000),
            OrgUnit(code: "s3", tenantID: tenant.id, name: "街道三", kind: .street, population: 30_000),
            OrgUnit(code: "s-empty", tenantID: tenant.id, name: "无诉求街道", kind: .street, population: 10_000),
            OrgUnit(code: "water", tenantID: tenant.id, name: "自来水公司", kind: .company),
            OrgUnit(code: "dept", tenantID: tenant.id, name: "城管委", kind: .department),
        ] { try await store.saveUnit(u) }
        let policy = DeadlinePolicy.standard(calendar: BusinessCalendar(timeZone: Self.zone, holidays: ["2026-11-02"]))
        let rules = AccountabilityPolicy.standard
        @Sendable func context(_ at: Date, _ actor: Actor) -> TicketStateMachine.Context { .init(now: at, actor: actor, city: .test(policy, accountability: rules)) }
        let dispatcher = Actor(name: "d", role: .dispatcher), agent = Actor(name: "a", role: .agent), supervisor = Actor(name: "s", role: .supervisor)
        func h(_ unit: String) -> Actor { Actor(name: "h-" + unit, role: .handler, unitCode: unit) }

        // The script: every ticket's steps at their instants, run in global time order with a
        // sweep every six hours, as a live server would see them.
        var rng = SeededRandom(state: 42)
        var plan: [(at: Date, ticket: Int, step: Step)] = []
        var numbers: [Int: String] = [:]
        let count = 240
        let span = 38 * 86_400.0
        for i in 0..<count {
            let t0 = Self.start.addingTimeInterval(span * Double(i) / Double(count))
            let (ticket, _) = try await store.createTicket(
                NewTicket(kind: i % 8 == 6 ? .consultation : .complaint, channel: .phone, title: "诉求 \(i)", description: "合成数据",
                          urgency: i % 13 == 0 ? .urgent : .normal, complainant: Complainant(name: "居民\(i)", phone: i % 5 == 0 ? nil : "1380000\(String(format: "%04d", i))")),
                tenant: tenant, actor: agent, now: t0)
            numbers[i] = ticket.number
            let lead = ["s1", "s2", "s3"][i % 3]
            var t = t0
            func at(_ hours: Double) -> Date { t = t.addingTimeInterval(hours * 3600 * Double.random(in: 0.5...1.5, using: &rng)); return t }
            var steps: [(Date, Step)] = []
            func add(_ hours: Double, _ action: TicketAction, _ actor: Actor) { steps.append((at(hours), .act(action, actor))) }
            switch i % 8 {
            case 0:
                add(0.2, .dispatch(leadUnit: lead, coUnits: [], note: nil), dispatcher); add(1, .accept, h(lead)); add(5, .contact(note: "called"), h(lead))
                add(40, .reply(text: "fixed", resolved: true), h(lead))
                steps.append((at(20), .followUp(.rated(Evaluation(contacted: true, resolved: true, satisfaction: i % 3 == 0 ? .basicallySatisfied : .satisfied)))))
            case 1:  // transferred mid-way: s1 returns it, the dispatcher re-routes to s2
                add(0.2, .dispatch(leadUnit: "s1", coUnits: [], note: nil), dispatcher); add(0.5, .giveBack(reason: .wrongLocation, note: nil), h("s1"))
                add(1, .dispatch(leadUnit: "s2", coUnits: [], note: nil), dispatcher); add(1, .accept, h("s2")); add(30, .contact(note: "called"), h("s2"))
                add(30, .reply(text: "done", resolved: true), h("s2"))
                steps.append((at(10), .followUp(.rated(Evaluation(contacted: true, resolved: true, satisfaction: .dissatisfied)))))
                add(5, .contact(note: "called again"), h("s2")); add(20, .reply(text: "redone", resolved: true), h("s2"))
                steps.append((at(10), .followUp(.rated(Evaluation(resolved: true, satisfaction: .satisfied)))))
            case 2:  // reopened twice, then nobody answers the follow-up
                add(0.2, .dispatch(leadUnit: lead, coUnits: [], note: nil), dispatcher); add(1, .accept, h(lead)); add(3, .contact(note: "c"), h(lead))
                for round in 0..<2 {
                    add(24, .reply(text: "r\(round)", resolved: true), h(lead))
                    steps.append((at(6), .followUp(.rated(Evaluation(resolved: false, satisfaction: .dissatisfied)))))
                    add(4, .contact(note: "again"), h(lead))
                }
                add(24, .reply(text: "final", resolved: true), h(lead))
                for _ in 0..<3 { steps.append((at(8), .followUp(.noAnswer(note: nil)))) }
            case 3:  // late everywhere, with an approved extension
                add(0.2, .dispatch(leadUnit: lead, coUnits: [], note: nil), dispatcher); add(4, .accept, h(lead)); add(30, .contact(note: "late"), h(lead))
                steps.append((at(2), .act(.requestExtension(until: t0.addingTimeInterval(40 * 86_400), reason: "works"), h(lead))))
                add(3, .decideExtension(approve: i % 2 == 0, note: nil), supervisor)
                add(24 * 12, .reply(text: "done late", resolved: false), h(lead))
                steps.append((at(6), .followUp(.rated(Evaluation(resolved: true, satisfaction: .basicallySatisfied)))))
            case 4:  // whistle: s3 summons the water company and a department
                add(0.2, .dispatch(leadUnit: "s3", coUnits: [], note: nil), dispatcher); add(0.5, .accept, h("s3"))
                add(0.5, .summon(units: ["water", "dept"], note: "burst main"), h("s3")); add(0.3, .acknowledgeSummons(unit: "water"), h("water"))
                add(3, .reportSummons(unit: "water", text: "valve closed"), h("water")); add(1, .rateSummons(unit: "water", score: 3 + i % 3, note: nil), h("s3"))
                add(2, .contact(note: "c"), h("s3")); add(10, .reply(text: "repaired", resolved: true), h("s3"))
                steps.append((at(5), .followUp(.rated(Evaluation(resolved: true, satisfaction: .satisfied)))))
            case 5:  // left open: the sweeper urges, notices and escalates
                add(0.2, .dispatch(leadUnit: "s2", coUnits: [], note: nil), dispatcher); add(1, .accept, h("s2"))
            case 6:
                add(0.1, .answer(text: "see the article"), agent)
            default:  // two disputes, then a supervisor's ruling moves it to a department
                add(0.1, .dispatch(leadUnit: "s1", coUnits: [], note: nil), dispatcher); add(0.2, .giveBack(reason: .notOurMandate, note: nil), h("s1"))
                add(0.2, .rejectReturn(note: "yours"), dispatcher); add(0.2, .giveBack(reason: .notOurMandate, note: nil), h("s1"))
                add(1, .arbitrate(leadUnit: "dept", coUnits: [], note: "ruling"), supervisor); add(1, .accept, h("dept")); add(2, .contact(note: "c"), h("dept"))
                add(48, .reply(text: "done", resolved: true), h("dept"))
            }
            plan += steps.map { ($0.0, i, $0.1) }
        }
        plan.sort { ($0.at, $0.ticket) < ($1.at, $1.ticket) }
        var nextSweep = Self.start
        var refused = 0
        for item in plan {
            while nextSweep <= item.at {
                let now = nextSweep
                var batch: SweepBatch
                repeat {
                    batch = try await store.sweep(now: now, limit: 50, tenantID: tenant.id) { _ in context(now, .system) }
                } while batch.claimed == 50
                nextSweep = nextSweep.addingTimeInterval(6 * 3600)
            }
            let number = try #require(numbers[item.ticket])
            let actions: [TicketAction]
            let actor: Actor
            switch item.step {
            case .act(let action, let who): (actions, actor) = ([action], who)
            case .followUp(let outcome):
                let current = try #require(try await store.ticket(number: number, tenantID: tenant.id))
                (actions, actor) = (FollowUpPlan.actions(for: outcome, ticket: current, policy: rules), agent)
            }
            do {
                _ = try await store.apply(actions, number: number, tenantID: tenant.id, expectedVersion: nil, context: context(item.at, actor)) { _ in }
            } catch is TransitionError {
                refused += 1  // e.g. an extension asked for after expiry: refused live, as it would be
            }
        }
        #expect(refused < plan.count / 10, "the script mostly follows legal paths (\(refused) refused)")

        let service = AssessmentService(store: store)
        for month in ["2026-10", "2026-11", "2026-12"] {
            let period = try #require(AssessmentPeriod(month: month))
            let live = try await service.report(tenantID: tenant.id, period: period, settings: rules.assessment)
            let replayed = try await service.replay(tenantID: tenant.id, period: period, timeZone: Self.zone, settings: rules.assessment)
            #expect(live == replayed, "\(month): live and replayed differ")
        }
        let november = try await service.report(tenantID: tenant.id, period: try #require(AssessmentPeriod(month: "2026-11")), settings: rules.assessment)
        let by = Dictionary(uniqueKeysWithValues: november.units.map { ($0.unit, $0) })
        // The figures are about the scenarios, not just equal to each other.
        #expect(by["s1"]?.counts[.returnUpheld] ?? 0 > 0, "s1's upheld returns are excused from its response rate")
        #expect(by["s2"]?.counts[.redone] ?? 0 > 0 && by["s1"]?.counts[.redone] ?? 0 > 0)
        #expect(by["s1"]?.counts[.notEvaluated] ?? 0 > 0, "unanswered follow-ups are counted apart")
        #expect(by["water"]?.counts[.summonsRated] ?? 0 > 0 && by["water"]?.whistleScore != nil, "the street rated the water company's help")
        #expect(by["dept"]?.counts[.summoned] ?? 0 > 0 && by["dept"]?.arrivalRate == 0, "the department never arrived")
        #expect(by["s2"]?.counts[.escalated] ?? 0 > 0, "open tickets were escalated")
        #expect(by["s-empty"]?.counts == UnitCounts() && by["s-empty"]?.rank == nil, "a unit with no tickets is listed, unranked")
        #expect(by["s1"]?.rank != nil && by["s2"]?.rank != nil && by["s3"]?.rank != nil)
        let rated = november.units.reduce(0) { $0 + $1.counts[.rated] }
        let sat = november.units.reduce(0) { $0 + $1.counts[.satisfied] + $1.counts[.basicallySatisfied] + $1.counts[.dissatisfied] }
        #expect(rated > 50 && rated == sat, "every rating has exactly one satisfaction level")
    }
}

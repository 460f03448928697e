import ArgumentParser
import Foundation
import ResponseCore
import ResponseInsight
import ResponseServer
import ResponseStore

/// `swift-response bench assessment` and `bench sweep`: the accountability loop at a million tickets.
struct BenchAssessmentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "assessment",
        abstract: "Assess one month over N synthetic tickets (each walked through the state machine): import rate, report seconds (median of 5), replay, peak RSS."
    )

    @Option(help: "Tickets in the month.") var tickets: Int = 1_000_000
    @Option(help: "PostgreSQL URL to run on instead of a fresh SQLite file (data stays, in a city named bench-…).") var postgres: String?
    @Option(help: "SQLite file (default: a fresh temporary file, removed afterwards).") var sqlite: String?
    @Flag(help: "Also replay the month from the event log and check it matches.") var replay = false
    @Option(help: "Measure a city an earlier run imported (with --sqlite or --postgres) instead of importing a new one.") var existingCity: String?

    func run() async throws {
        guard tickets > 0 else { throw ValidationError("--tickets must be positive") }
        let tenant = Tenant(id: existingCity ?? "bench-" + UUID().uuidString.prefix(6).lowercased(), name: "Bench City", timeZone: "Asia/Shanghai")
        let city = SyntheticHistory(tenant: tenant)
        let period = try requireMonth("2026-10")
        let existing = existingCity
        let days = DayKeys(identifier: tenant.timeZone)
        guard let start = days.start(of: period.from), let end = days.start(of: period.to) else { throw ValidationError("bad period") }
        try await withBenchStore(postgres: postgres, sqlite: sqlite) { store in
            say("bench assessment: \(existing == nil ? tickets : try await store.countTickets(tenantID: tenant.id)) tickets in \(period) on \(store.engine), \(city.units.count) units, city \(tenant.id); \(ProcessInfo.processInfo.activeProcessorCount) cores")
            if existing == nil { try await importMonth(store, city: city, start: start, end: end) }
            try await measure(store, city: city, period: period)
        }
    }

    func importMonth(_ store: SQLTicketStore, city: SyntheticHistory, start: Date, end: Date) async throws {
        let tenant = city.tenant
        try await store.saveTenant(tenant)
        for unit in city.units { try await store.saveUnit(unit) }
        var events = 0
        let imported = ContinuousClock.now
        let count = tickets, length = end.timeIntervalSince(start) - 86_400 * 12
        try await importInChunks(tickets, into: store, timeZone: tenant.timeZone) { i in
            city.monthTicket(i, of: count, start: start, length: length)
        } progress: { done, chunkEvents in
            events += chunkEvents
            if done % 100_000 == 0 || done == count {
                let s = (ContinuousClock.now - imported) / .seconds(1)
                FileHandle.standardError.write(Data("  imported \(done) tickets, \(events) events, \(Int(Double(done) / s)) tickets/s\n".utf8))
            }
        }
        let importSeconds = (ContinuousClock.now - imported) / .seconds(1)
        say(String(format: "import: %d tickets, %d events in %.1f s (%.0f tickets/s, %.0f events/s)", tickets, events, importSeconds, Double(tickets) / importSeconds, Double(events) / importSeconds))
    }

    func measure(_ store: SQLTicketStore, city: SyntheticHistory, period: AssessmentPeriod) async throws {
        let tenant = city.tenant
        let service = AssessmentService(store: store)
        var times: [Double] = []
        var report: AssessmentReport?
        for _ in 0..<5 {
            let (r, s) = try await timedAsync { try await service.report(tenantID: tenant.id, period: period, settings: city.city.accountability.assessment) }
            times.append(s)
            report = r
        }
        times.sort()
        guard let report else { return }
        let assigned = report.units.reduce(0) { $0 + $1.counts[.assigned] }
        let rated = report.units.reduce(0) { $0 + $1.counts[.rated] }
        say(String(format: "assessment of %@: median %.3f s, best %.3f s (5 runs); %d units, %d ranked; %d assignments, %d ratings",
                   period.description, times[2], times[0], report.units.count, report.units.filter { $0.rank != nil }.count, assigned, rated))
        if replay {
            let (replayed, s) = try await timedAsync { try await service.replay(tenantID: tenant.id, period: period, timeZone: tenant.timeZone, settings: city.city.accountability.assessment) }
            say(String(format: "replay from the event log: %.1f s, %@", s, replayed == report ? "matches the live counters" : "DIFFERS from the live counters"))
            if replayed != report { throw ExitCode.failure }
        }
        say("peak RSS \(BenchCommand.Intake.peakRSSMegabytes()) MB")
    }
}

struct BenchSweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "A deadline-sweeper pass over N open tickets of which a fraction is due: seconds, events/s, second (idle) pass, peak RSS."
    )

    @Option(help: "Open tickets.") var tickets: Int = 1_000_000
    @Option(help: "Fraction of them past their resolution deadline at the sweep.") var dueFraction: Double = 0.01
    @Option(help: "PostgreSQL URL to run on instead of a fresh SQLite file (data stays, in a city named bench-…).") var postgres: String?
    @Option(help: "SQLite file (default: a fresh temporary file, removed afterwards).") var sqlite: String?

    func run() async throws {
        guard tickets > 0, (0...1).contains(dueFraction) else { throw ValidationError("--tickets must be positive and --due-fraction within 0…1") }
        let tenant = Tenant(id: "bench-" + UUID().uuidString.prefix(6).lowercased(), name: "Bench City", timeZone: "Asia/Shanghai")
        let city = SyntheticHistory(tenant: tenant)
        let now = Date(timeIntervalSince1970: 1_795_600_000)  // 2026-11-25
        try await withBenchStore(postgres: postgres, sqlite: sqlite) { store in
            try await store.saveTenant(tenant)
            for unit in city.units { try await store.saveUnit(unit) }
            say("bench sweep: \(tickets) open tickets on \(store.engine), \(Int(dueFraction * 100))% past their deadline")
            let imported = ContinuousClock.now
            let every = max(1, Int((1 / max(dueFraction, 1e-9)).rounded()))
            let due = dueFraction > 0
            try await importInChunks(tickets, into: store, timeZone: tenant.timeZone) { i in
                // Due ones were filed 25 days ago (past 15 working days); the rest an hour ago.
                city.openTicket(i, at: due && i % every == 0 ? now.addingTimeInterval(-25 * 86_400) : now.addingTimeInterval(-3600 - Double(i % 600)))
            } progress: { done, _ in
                if done % 200_000 == 0 { FileHandle.standardError.write(Data("  imported \(done) tickets\n".utf8)) }
            }
            say(String(format: "import: %.1f s", (ContinuousClock.now - imported) / .seconds(1)))
            var settings = ServerConfiguration(tenant: tenant, policy: city.city.deadlines)
            settings.accountability = city.city.accountability
            let sweeper = DeadlineSweeper(store: store, configuration: settings, clock: ManualClock(now))
            let (first, s1) = try await timedAsync { try await sweeper.pass(tenantID: tenant.id) }
            say(String(format: "pass 1: %.2f s; %d due tickets, %d events (%@), %.0f events/s",
                       s1, first.claimed, first.events, first.steps.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "), Double(first.events) / s1))
            let (second, s2) = try await timedAsync { try await sweeper.pass(tenantID: tenant.id) }
            say(String(format: "pass 2 (same instant, nothing left): %.3f s; %d tickets looked at, %d events", s2, second.claimed, second.events))
            say("peak RSS \(BenchCommand.Intake.peakRSSMegabytes()) MB")
        }
    }
}

/// Imports `count` generated tickets in chunks, generating the next chunk while the store writes
/// the current one (the generator and the database each keep a core busy).
func importInChunks(
    _ count: Int, into store: SQLTicketStore, timeZone: String, chunk: Int = 20_000,
    make: @escaping @Sendable (Int) -> (Ticket, [TicketEvent]), progress: (Int, Int) -> Void
) async throws {
    func generate(_ first: Int) -> Task<[(Ticket, [TicketEvent])], Never> {
        Task { (first..<min(first + chunk, count)).map(make) }
    }
    var next: Task<[(Ticket, [TicketEvent])], Never>? = count > 0 ? generate(0) : nil
    var first = 0
    while let pending = next {
        let items = await pending.value
        let following = first + chunk
        next = following < count ? generate(following) : nil
        try await store.importHistory(items, timeZone: timeZone)
        first = following
        progress(min(first, count), items.reduce(0) { $0 + $1.1.count })
    }
    try await store.refreshStatistics()
}

/// A month period from text, or a validation error.
private func requireMonth(_ text: String) throws -> AssessmentPeriod {
    guard let p = AssessmentPeriod(month: text) else { throw ValidationError("bad month \(text)") }
    return p
}

/// Opens the benchmark's store (PostgreSQL when given, else a SQLite file), runs `body`, closes
/// it, and removes a temporary SQLite file.
func withBenchStore(postgres: String?, sqlite: String?, _ body: (SQLTicketStore) async throws -> Void) async throws {
    let temporary = postgres == nil && sqlite == nil
    let path = sqlite ?? FileManager.default.temporaryDirectory.appendingPathComponent("swift-response-bench-\(UUID().uuidString.prefix(8)).sqlite").path
    // A database the benchmark keeps is measured again later (--existing-city), and its keys
    // rotated ('keys rotate' finds them): they are kept beside it, like the demo's.
    let keys = try temporary ? ContactKeys.ephemeral() : Settings.keysBeside(database: postgres ?? path).0
    defer { if temporary { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } } }
    try await SQLTicketStore.withStore(url: postgres ?? path, contacts: keys) { store in
        try await store.migrate()
        try await body(store)
    }
}

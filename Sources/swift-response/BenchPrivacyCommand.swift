import ArgumentParser
import Foundation
import ResponseCore
import ResponseInsight
import ResponseServer
import ResponseStore

/// `swift-response bench privacy`: the cost of erasure at scale (docs/privacy.md#what-it-costs).
struct BenchPrivacyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy",
        abstract: "Import a month of N tickets with complainants, find one complainant's tickets, then purge every ticket's contact data: tickets/s, peak RSS, and the month's assessment before and after."
    )

    @Option(help: "Tickets in the month.") var tickets: Int = 200_000
    @Option(help: "PostgreSQL URL to run on instead of a fresh SQLite file (data stays, in a city named bench-…).") var postgres: String?
    @Option(help: "SQLite file (default: a fresh temporary file, removed afterwards).") var sqlite: String?
    @Option(help: "Tickets per purge transaction.") var batch: Int = 500

    func run() async throws {
        guard tickets > 0, (1...5_000).contains(batch) else { throw ValidationError("--tickets must be positive and --batch 1–5000") }
        let tenant = Tenant(id: "bench-" + UUID().uuidString.prefix(6).lowercased(), name: "Bench City", timeZone: "Asia/Shanghai")
        let city = SyntheticHistory(tenant: tenant)
        guard let period = AssessmentPeriod(month: "2026-10") else { throw ValidationError("bad month") }
        let days = DayKeys(identifier: tenant.timeZone)
        guard let start = days.start(of: period.from), let end = days.start(of: period.to) else { throw ValidationError("bad period") }
        let count = tickets, batch = batch
        try await withBenchStore(postgres: postgres, sqlite: sqlite) { store in
            say("bench privacy: \(count) tickets in \(period) on \(store.engine), city \(tenant.id); \(ProcessInfo.processInfo.activeProcessorCount) cores")
            try await store.saveTenant(tenant)
            for unit in city.units { try await store.saveUnit(unit) }
            let length = end.timeIntervalSince(start) - 86_400 * 12
            let (_, importSeconds) = try await timedAsync {
                try await importInChunks(count, into: store, timeZone: tenant.timeZone) { i in
                    city.monthTicket(i, of: count, start: start, length: length, contacts: true)
                } progress: { done, _ in
                    if done % 100_000 == 0 { FileHandle.standardError.write(Data("  imported \(done) tickets\n".utf8)) }
                }
            }
            say(String(format: "import: %.1f s (%.0f tickets/s)", importSeconds, Double(count) / importSeconds))
            let service = AssessmentService(store: store)
            let before = try await service.report(tenantID: tenant.id, period: period, settings: city.city.accountability.assessment)

            let phone = SyntheticHistory.caller(7).phone
            let (found, lookupSeconds) = try await timedAsync { try await store.tickets(ofComplainantPhone: phone, email: nil, tenantID: tenant.id) { _ in } }
            say(String(format: "one complainant's tickets by phone: %d of %d found in %.2f s (every sealed phone opened)", found.count, count, lookupSeconds))

            var configuration = ServerConfiguration()
            configuration.policy = city.city.deadlines
            let purge = RetentionPurge(store: store, configuration: configuration, clock: SystemClock())
            let (reports, purgeSeconds) = try await timedAsync {
                try await purge.pass(before: "2026-12-01", tenantID: tenant.id, batchSize: batch) { _, n in
                    if n % 50_000 < batch { FileHandle.standardError.write(Data("  erased \(n)\n".utf8)) }
                }
            }
            let erased = reports.first?.erased ?? 0
            say(String(format: "purge: contact data of %d tickets erased in %.1f s (%.0f tickets/s), batches of %d; %d repeat-caller rows deleted",
                       erased, purgeSeconds, Double(erased) / purgeSeconds, batch, reports.first?.repeatRows ?? 0))
            let left = try await store.tickets(ofComplainantPhone: phone, email: nil, tenantID: tenant.id) { _ in }
            let after = try await service.report(tenantID: tenant.id, period: period, settings: city.city.accountability.assessment)
            say("after the purge: \(left.count) tickets still hold the phone; the month's assessment \(after == before ? "is unchanged" : "CHANGED")")
            say("peak RSS \(BenchCommand.Intake.peakRSSMegabytes()) MB")
            if after != before || !left.isEmpty { throw ExitCode.failure }
        }
    }
}

import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer
import ResponseStore

/// `swift-response sweep`: one pass of the deadline sweeper, as the server runs it in the background.
struct SweepCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Run one deadline-sweeper pass: reminders, overdue notices, escalations, late summons (idempotent; safe beside running servers)."
    )

    @OptionGroup var database: DatabaseOptions
    @Option(help: "Sweep as if it were this instant (ISO 8601), e.g. to replay a missed night; default: now.") var at: String?
    @Option(help: "Tickets per transaction.") var batchSize: Int = 1_000
    @Option(help: "Only this city (default: every city in the database).") var city: String?

    func run() async throws {
        let settings = try Settings(database: database).configuration
        guard (1...5_000).contains(batchSize) else { throw ValidationError("--batch-size must be 1–5000") }
        var clock: any WallClock = SystemClock()
        if let at {
            guard let instant = try? Date(at, strategy: .iso8601) else { throw ValidationError("--at must be an ISO 8601 instant such as 2026-11-25T08:00:00+08:00") }
            clock = ManualClock(instant)
        }
        let fixedClock = clock
        try await withStore(settings) { store in
            let (pass, seconds) = try await timedAsync {
                try await DeadlineSweeper(store: store, configuration: settings, clock: fixedClock).pass(tenantID: city, batchSize: batchSize) { total in
                    if total.claimed >= 10_000 { FileHandle.standardError.write(Data("  … \(total.claimed) tickets looked at, \(total.events) events\n".utf8)) }
                }
            }
            let steps = pass.steps.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            say("sweep at \(fixedClock.now().formatted(.iso8601)): \(pass.claimed) due tickets looked at, \(pass.events) events on \(pass.tickets) tickets\(steps.isEmpty ? "" : " (\(steps))") in \(String(format: "%.2f", seconds)) s")
        }
    }
}

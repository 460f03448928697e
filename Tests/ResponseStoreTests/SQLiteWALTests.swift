import Foundation
import ResponseCore
import Testing
@testable import ResponseStore

@Suite("SQLite write-ahead log")
struct SQLiteWALTests {
    /// Without a checkpoint that catches up with the end of the log, the WAL grows without
    /// bound under steady intake (about 30 KB per ticket); the checkpointer must keep it short.
    @Test func theWALStaysShortUnderSteadyIntake() async throws {
        try await StoreHarness.with(.sqlite) { h in
            let path = try #require(h.path)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        for i in 0..<400 {
                            _ = try await h.file("占道施工 \(writer)-\(i)", description: String(repeating: "夜间施工噪音扰民，", count: 10), at: Date())
                        }
                    }
                }
                try await group.waitForAll()
            }
            // Let the checkpointer see the final state once.
            try await Task.sleep(for: .milliseconds(400))
            _ = try await h.file("one more", at: Date())
            let walBytes = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == 3201)
            #expect(walBytes < 40 * 1024 * 1024, "WAL is \(walBytes / 1024 / 1024) MB after 3,201 tickets")
        }
    }
}

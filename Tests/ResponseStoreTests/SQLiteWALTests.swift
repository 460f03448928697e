import Foundation
import ResponseCore
import SQLKit
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
            // One more pass of the checkpointer over the final state, then a write after it, so
            // the writer has run any checkpoint the pass queued and the WAL has restarted.
            let backend = try #require(h.store.backend as? SQLiteBackend)
            await backend.checkpointNow()
            _ = try await h.file("one more", at: Date())
            let walBytes = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == 3201)
            #expect(walBytes < 40 * 1024 * 1024, "WAL is \(walBytes / 1024 / 1024) MB after 3,201 tickets")
        }
    }
}

@Suite("SQLite connections")
struct SQLiteConnectionTests {
    /// A month of grid cells takes seconds on one connection, which answers one query at a time:
    /// request reads must not queue behind it.
    @Test("while an analytical read runs, request reads go to the other readers")
    func requestReadsAvoidAnAnalyticalRead() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sr-readers-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let backend = try await SQLiteBackend(path: path, readerCount: 3)
        // The cache size is the connection's own: it tells which reader answered.
        let seen = try await backend.analyticalRead { db in
            try await db.raw("PRAGMA cache_size=-1234").run()
            var sizes: [Int] = []
            for _ in 0..<9 {
                sizes.append(try await backend.reader.raw("PRAGMA cache_size").all().first?.decode(column: "cache_size", as: Int.self) ?? 0)
            }
            try await db.raw("PRAGMA cache_size=-2000").run()
            return sizes
        }
        #expect(seen.count == 9 && !seen.contains(-1234), "a request read went to the busy reader: \(seen)")
        try await backend.shutdown()
    }
}

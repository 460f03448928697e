import Foundation
import SQLKit
import Testing
@testable import ResponseStore

@Suite("Group commit on SQLite's one writer")
struct GroupCommitWriterTests {
    /// Holds the writer busy until the test opens it, so the next transactions form one batch.
    actor Gate {
        private var isOpen = false
        private var waiting: [CheckedContinuation<Void, Never>] = []
        private(set) var reached = false

        func pass() async {
            reached = true
            if isOpen { return }
            await withCheckedContinuation { waiting.append($0) }
        }

        func open() {
            isOpen = true
            for continuation in waiting { continuation.resume() }
            waiting = []
        }
    }

    struct Broken: Error {}

    static func rows(_ backend: SQLiteBackend) async throws -> [Int] {
        try await backend.reader.raw("SELECT x FROM t ORDER BY x").all(decodingColumn: "x", as: Int.self)
    }

    @Test("a failed job is undone and the rest of its batch commits; a job whose savepoint cannot be undone sinks its whole batch",
          .timeLimit(.minutes(1)))
    func savepoints() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sr-commit-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let backend = try await SQLiteBackend(path: path, readerCount: 1)
        await withDiscardingTaskGroup { loops in
            loops.addTask { await backend.runLoops() }
            defer { backend.closeLoops() }
            do {
                try await backend.transaction { db in try await db.raw("CREATE TABLE t (x INTEGER NOT NULL)").run() }

                /// Runs `jobs` as one batch behind a transaction that holds the writer.
                func batch(_ jobs: [@Sendable (any SQLDatabase) async throws -> Void]) async -> [Result<Void, any Error>] {
                    let gate = Gate()
                    return await withTaskGroup(of: (Int, Result<Void, any Error>).self) { group in
                        group.addTask { (-1, await Result { try await backend.transaction { _ in await gate.pass() } }) }
                        while !(await gate.reached) { await Task.yield() }
                        for (i, job) in jobs.enumerated() {
                            group.addTask { (i, await Result { try await backend.transaction(job) }) }
                        }
                        // The jobs are queued behind the held transaction once the queue holds them all.
                        while backend.queuedWork < jobs.count { await Task.yield() }
                        await gate.open()
                        var results = [Result<Void, any Error>](repeating: .success(()), count: jobs.count)
                        for await (i, r) in group where i >= 0 { results[i] = r }
                        return results
                    }
                }

                let first = await batch([
                    { db in try await db.raw("INSERT INTO t (x) VALUES (1)").run() },
                    { db in try await db.raw("INSERT INTO t (x) VALUES (2)").run(); throw Broken() },
                    { db in try await db.raw("INSERT INTO t (x) VALUES (3)").run() },
                ])
                #expect((try? first[0].get()) != nil && (try? first[2].get()) != nil)
                #expect(throws: Broken.self) { try first[1].get() }
                #expect(try await Self.rows(backend) == [1, 3], "the failed job's write is undone, the others commit")

                // A job that releases its own savepoint: the writer cannot roll it back.
                let second = await batch([
                    { db in try await db.raw("INSERT INTO t (x) VALUES (4)").run() },
                    { db in
                        try await db.raw("INSERT INTO t (x) VALUES (5)").run()
                        try await db.raw("RELEASE SAVEPOINT job").run()
                        throw Broken()
                    },
                ])
                #expect(throws: StoreError.self) { try second[0].get() }
                #expect(throws: Broken.self) { try second[1].get() }
                #expect(try await Self.rows(backend) == [1, 3], "nothing of a batch with a broken savepoint commits")
                try await backend.transaction { db in try await db.raw("INSERT INTO t (x) VALUES (6)").run() }
                #expect(try await Self.rows(backend) == [1, 3, 6], "the writer goes on")
            } catch {
                Issue.record(error)
            }
        }
        try await backend.shutdown()
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

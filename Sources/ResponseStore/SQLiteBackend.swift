import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit
import Synchronization

/// The embedded engine: one SQLite file in WAL mode, one writer connection fed by a group-commit
/// queue (``GroupCommitWriter``), and a
/// few reader connections that see every committed write without waiting for the writer.
public final class SQLiteBackend: SQLBackend {
    public let name = "sqlite"
    public let path: String
    private let writerConnection: SQLiteConnection
    private let writer: any SQLDatabase
    private let readers: [any SQLDatabase]
    private let readerConnections: [SQLiteConnection]
    private let nextReader = Atomic<Int>(0)
    private let writerQueue: GroupCommitWriter
    private let checkpointConnection: SQLiteConnection
    /// Runs the libsqlite3 calls of this file's connections, one thread each: a call blocks its
    /// thread, and on NIO's shared pool (a thread per core) one long read would hold up the
    /// other connections, the writer's included.
    private let threadPool: NIOThreadPool
    /// Analytical reads running on each reader: request reads go to a reader without one.
    private let analyticalUse: Mutex<[Int]>
    private let logger: Logger

    /// Opens (creating if needed) the database file at `path`.
    /// - Parameters:
    ///   - path: File name; its directory must exist.
    ///   - readerCount: Read connections to open beside the writer.
    public init(path: String, readerCount: Int = 3, logger: Logger = Logger(label: "swift-response.sqlite")) async throws {
        self.path = path
        self.logger = logger
        let readerCount = max(1, readerCount)
        let threadPool = NIOThreadPool(numberOfThreads: readerCount + 2)
        threadPool.start()
        func open() async throws -> SQLiteConnection {
            try await SQLiteConnection.open(storage: .file(path: path), threadPool: threadPool, logger: logger, on: MultiThreadedEventLoopGroup.singleton.any())
        }
        let writerConnection: SQLiteConnection
        do {
            writerConnection = try await open()
        } catch {
            try? await threadPool.shutdownGracefully()
            throw error
        }
        let writer = writerConnection.sql(queryLogLevel: .trace)
        var readerConnections: [SQLiteConnection] = []
        /// What a failed start leaves open.
        func release(_ readers: [SQLiteConnection]) async {
            for c in readers { try? await c.close() }
            try? await writerConnection.close()
            try? await threadPool.shutdownGracefully()
        }
        do {
            try await Self.configureWriter(writer)
            for _ in 0..<readerCount {
                let c = try await open()
                readerConnections.append(c)
                try await Self.configureReader(c.sql(queryLogLevel: .trace))
            }
            self.readerConnections = readerConnections
            self.readers = readerConnections.map { $0.sql(queryLogLevel: .trace) }
        } catch {
            await release(readerConnections)
            throw error
        }
        self.threadPool = threadPool
        self.analyticalUse = Mutex(Array(repeating: 0, count: readerCount))
        self.writerConnection = writerConnection
        self.writer = writer
        let queue = GroupCommitWriter(database: writer)
        self.writerQueue = queue
        let checkpointConnection: SQLiteConnection
        do {
            checkpointConnection = try await open()
        } catch {
            await release(readerConnections)
            throw error
        }
        self.checkpointConnection = checkpointConnection
    }

    /// The writer connection's settings.
    static func configureWriter(_ writer: any SQLDatabase) async throws {
        // WAL lets readers run beside the writer; NORMAL sync keeps every committed
        // transaction across a process crash (kill -9) and loses at most the last ones on
        // power loss, the usual server trade-off.
        _ = try await writer.raw("PRAGMA journal_mode=WAL").all()
        try await writer.raw("PRAGMA synchronous=NORMAL").run()
        try await writer.raw("PRAGMA busy_timeout=5000").run()
        try await writer.raw("PRAGMA foreign_keys=ON").run()
        try await writer.raw("PRAGMA temp_store=MEMORY").run()
        // Deleted and overwritten content (an erased complainant, a redacted text) is zeroed
        // in the pages being written anyway, so no copy of it lingers in the file.
        _ = try await writer.raw("PRAGMA secure_delete=FAST").all()
        // Checkpoints copy the WAL back into the database file. Done by the writer after a
        // commit (SQLite's default) they stall the requests of that commit, so a background
        // connection does the copying instead (see `checkpointLoop`); the size limit
        // truncates the WAL file when it restarts.
        _ = try await writer.raw("PRAGMA wal_autocheckpoint=0").all()
        _ = try await writer.raw("PRAGMA journal_size_limit=67108864").all()
    }

    /// A reader connection's settings: it waits for a busy database and never writes.
    static func configureReader(_ db: any SQLDatabase) async throws {
        try await db.raw("PRAGMA busy_timeout=5000").run()
        try await db.raw("PRAGMA query_only=1").run()
    }

    /// The writer, which owns the writer connection, and beside it the checkpointer; both end
    /// after ``closeLoops()``, the writer once its queue is empty.
    public func runLoops() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [checkpointConnection, writerQueue, logger] in
                await Self.checkpointLoop(checkpointConnection.sql(queryLogLevel: .trace), writer: writerQueue, logger: logger)
            }
            await writerQueue.run()
            group.cancelAll()
        }
    }

    public func closeLoops() { writerQueue.close() }

    /// Work waiting for the writer.
    var queuedWork: Int { writerQueue.queued }

    /// The file and its `-wal` beside it; one writer and the readers.
    public func storage() async throws -> StorageFigures {
        func size(_ file: String) -> Int64? {
            (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)?.int64Value
        }
        return StorageFigures(databaseBytes: size(path), walBytes: size(path + "-wal"), connectionsInUse: nil,
                              connectionsMax: readers.count + 1, queuedWrites: queuedWork)
    }

    /// The single writer owns its connection; nothing is closed under it.
    public var stuckSessions: Int { 0 }

    public func refreshStatistics() async throws {}

    public func indexedBy(_ index: String) -> SQLQueryString { "INDEXED BY \(ident: index)" }

    /// On the reader with fewest analytical reads, marked so request reads go elsewhere: a
    /// month of grid cells takes seconds, and a connection answers one query at a time.
    public func analyticalRead<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        let index = analyticalUse.withLock { use in
            let i = use.indices.min { use[$0] < use[$1] } ?? 0
            use[i] += 1
            return i
        }
        defer { analyticalUse.withLock { $0[index] -= 1 } }
        return try await body(readers[index])
    }

    /// The next reader in turn that runs no analytical read (any, when all do).
    public var reader: any SQLDatabase {
        let start = Int(UInt(bitPattern: nextReader.wrappingAdd(1, ordering: .relaxed).oldValue) % UInt(readers.count))
        let use = analyticalUse.withLock { $0 }
        for k in 0..<readers.count where use[(start + k) % readers.count] == 0 {
            return readers[(start + k) % readers.count]
        }
        return readers[start]
    }

    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await writerQueue.transaction(body)
    }

    public func withMigrationLock<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await transaction(body)
    }

    public var autoIncrementPrimaryKey: String { "INTEGER PRIMARY KEY AUTOINCREMENT" }

    // The trigram tokenizer indexes every three-character run, so Chinese (no spaces) and
    // English are searched the same way, as substrings.
    public var fullTextSearchSchema: [String] {
        [
            "CREATE VIRTUAL TABLE tickets_fts USING fts5(title, description, content='tickets', content_rowid='rowid', tokenize='trigram')",
            """
            CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
              INSERT INTO tickets_fts(rowid, title, description) VALUES (new.rowid, new.title, new.description);
            END
            """,
            """
            CREATE TRIGGER tickets_fts_update AFTER UPDATE OF title, description ON tickets BEGIN
              INSERT INTO tickets_fts(tickets_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
              INSERT INTO tickets_fts(rowid, title, description) VALUES (new.rowid, new.title, new.description);
            END
            """,
            """
            CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
              INSERT INTO tickets_fts(tickets_fts, rowid, title, description) VALUES ('delete', old.rowid, old.title, old.description);
            END
            """,
        ]
    }

    public var appendOnlyEventsSchema: [String] {
        [
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END",
        ]
    }

    // Only the payload of an event may change, and only on a ticket whose erasure is recorded;
    // the full-text index then really deletes the tokens of a redacted title or description.
    public var erasableEventsSchema: [String] {
        [
            "DROP TRIGGER events_no_update",
            """
            CREATE TRIGGER events_no_update BEFORE UPDATE OF id, tenant_id, ticket_id, seq, type, at, actor_name, actor_role, actor_unit, from_status, to_status
            ON events BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END
            """,
            """
            CREATE TRIGGER events_redact_erased_only BEFORE UPDATE OF payload ON events
            WHEN NOT EXISTS (SELECT 1 FROM events e WHERE e.ticket_id = old.ticket_id AND e.type = 'contacts_erased')
            BEGIN SELECT RAISE(ABORT, 'the event log is append-only: only the texts of a ticket whose contacts were erased may be redacted'); END
            """,
            "INSERT INTO tickets_fts (tickets_fts, rank) VALUES ('secure-delete', 1)",
        ]
    }

    public func appendOnlySchema(table: String) -> [String] {
        [
            "CREATE TRIGGER \(table)_no_update BEFORE UPDATE ON \(table) BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END",
            "CREATE TRIGGER \(table)_no_delete BEFORE DELETE ON \(table) BEGIN SELECT RAISE(ABORT, '\(table) is append-only'); END",
        ]
    }

    public func textMatch(_ term: String) -> SQLQueryString {
        // Trigrams need three characters; shorter terms (common in Chinese: 噪音, 停水) fall back
        // to LIKE, which is exact but scans.
        if term.count >= 3 {
            let phrase = "\"" + term.replacingOccurrences(of: "\"", with: "\"\"") + "\""
            return "tickets.rowid IN (SELECT rowid FROM tickets_fts WHERE tickets_fts MATCH \(bind: phrase))"
        }
        let pattern = Self.likePattern(term)
        return "(tickets.title LIKE \(bind: pattern) ESCAPE '\\' OR tickets.description LIKE \(bind: pattern) ESCAPE '\\')"
    }

    public var skipLocked: String { "" }

    public var forUpdate: String { "" }

    /// Keeps the WAL short without making commits wait. Every 100 ms a background
    /// connection copies what it can (PASSIVE, never blocks the writer). Under steady writes
    /// that copy never catches up with the end of the log, and the WAL only restarts from its
    /// beginning after a checkpoint that did; so once the log passes 4,000 pages the writer
    /// finishes the checkpoint itself between two transactions, which costs little because the
    /// background has already copied nearly everything.
    static func checkpointLoop(_ db: any SQLDatabase, writer: GroupCommitWriter, logger: Logger) async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .milliseconds(100))
            if Task.isCancelled { return }  // shutting down: the final checkpoint follows
            await checkpointPass(db, writer: writer, logger: logger)
        }
    }

    /// One pass of the checkpointer: a passive checkpoint on its own connection and, once the WAL
    /// has passed 4,000 pages, a second one queued on the writer between two transactions.
    static func checkpointPass(_ db: any SQLDatabase, writer: GroupCommitWriter, logger: Logger) async {
        do {
            guard let row = try await db.raw("PRAGMA wal_checkpoint(PASSIVE)").first() else { return }
            if try row.decode(column: "log", as: Int.self) > 4000 {
                writer.runOutsideTransaction { writerDB in
                    _ = try? await writerDB.raw("PRAGMA wal_checkpoint(PASSIVE)").all()
                }
            }
        } catch is CancellationError {
            return  // shut down mid-checkpoint: the final checkpoint follows
        } catch {
            logger.warning("WAL checkpoint failed: \(error)")
        }
    }

    /// Writes a consistent copy of the database to `path` (`VACUUM INTO`, on the checkpointer's
    /// connection: readers and the writer go on meanwhile). The file must not exist.
    func backup(to path: String) async throws {
        try await checkpointConnection.sql(queryLogLevel: .trace).raw("VACUUM INTO \(bind: path)").run()
    }

    /// Runs one checkpointer pass now (what the background loop does every 100 ms).
    func checkpointNow() async {
        await Self.checkpointPass(checkpointConnection.sql(queryLogLevel: .trace), writer: writerQueue, logger: logger)
    }

    public func shutdown() async throws {
        _ = try? await checkpointConnection.sql().raw("PRAGMA wal_checkpoint(TRUNCATE)").all()
        try? await checkpointConnection.close()
        for c in readerConnections { try? await c.close() }
        try await writerConnection.close()
        try await threadPool.shutdownGracefully()
    }
}

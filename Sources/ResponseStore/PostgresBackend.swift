import Foundation
import Logging
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit

/// The production engine: postgres-nio's `PostgresClient`, a pool of connections that runs as a
/// service (``runLoops()``). Several server instances may share one database; writers lock the
/// rows they change.
public final class PostgresBackend: SQLBackend {
    public let name = "postgres"
    private let client: PostgresClient
    private let database: PostgresClientDatabase
    private let maxConnections: Int
    private let stop = AsyncStream<Void>.makeStream()

    /// Connects to `url` (`postgres://user:password@host:5432/database`, `?sslmode=` as libpq).
    /// - Parameter maxConnections: Most connections open at once (as the AsyncKit pool it
    ///   replaced: 4 per core).
    public init(url: String, maxConnections: Int = 4 * System.coreCount, logger: Logger = Logger(label: "swift-response.postgres")) throws {
        var configuration = try PostgresClient.Configuration(SQLPostgresConfiguration(url: url).coreConfiguration)
        configuration.options.maximumConnections = maxConnections
        self.maxConnections = maxConnections
        client = PostgresClient(configuration: configuration, backgroundLogger: logger)
        database = PostgresClientDatabase(client: client, logger: logger)
    }

    public var reader: any SQLDatabase { database }

    public func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await inTransaction(begin: "BEGIN", settings: [], deadline: Self.transactionDeadline, body)
    }

    /// The longest a writing transaction may run before its connection is closed under it. A
    /// transaction takes milliseconds (a sweep or an import batch: seconds); one still running
    /// after this waits on a connection whose server is gone, and holds every filing queued
    /// behind it. Analytical reads and migrations have none.
    static let transactionDeadline: Duration = .seconds(30)

    /// Runs `body` in a transaction opened with `begin` (and `SET LOCAL` `settings`) on one
    /// connection: committed when it returns, rolled back when it throws.
    private func inTransaction<R: Sendable>(
        begin: SQLQueryString, settings: [SQLQueryString], deadline: Duration? = nil, _ body: @escaping @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        try await database.withSession(deadline: deadline) { db in
            try await db.raw(begin).run()
            do {
                for setting in settings { try await db.raw(setting).run() }
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    public func refreshStatistics() async throws {
        try await database.raw("ANALYZE").run()
    }

    public func indexedBy(_ index: String) -> SQLQueryString { "" }

    public func analyticalRead<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        // 4 MB (the default work_mem) sends a week of grid cells to an on-disk sort.
        try await inTransaction(begin: "BEGIN READ ONLY", settings: ["SET LOCAL work_mem = '64MB'", "SET LOCAL jit = off"], body)
    }

    public func withMigrationLock<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        // No deadline: a migration may rebuild an index of millions of rows.
        try await inTransaction(begin: "BEGIN", settings: []) { db in
            // A transaction-scoped advisory lock: a second instance starting at the same time
            // waits here, then finds the migrations applied.
            try await db.raw("SELECT pg_advisory_xact_lock(4242001)").run()
            return try await body(db)
        }
    }

    public var autoIncrementPrimaryKey: String { "BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY" }

    // pg_trgm indexes substrings for ILIKE; when the extension cannot be created (no privilege)
    // the migration still succeeds and search falls back to a scan.
    public var fullTextSearchSchema: [String] {
        [
            """
            DO $$ BEGIN
              CREATE EXTENSION IF NOT EXISTS pg_trgm;
              CREATE INDEX tickets_text_trgm ON tickets USING gin ((title || ' ' || description) gin_trgm_ops);
            EXCEPTION WHEN insufficient_privilege OR undefined_file THEN
              RAISE NOTICE 'pg_trgm unavailable: text search will scan';
            END $$
            """
        ]
    }

    public var appendOnlyEventsSchema: [String] {
        [
            """
            CREATE FUNCTION events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the event log is append-only'; END $$
            """,
            "CREATE TRIGGER events_no_change BEFORE UPDATE OR DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_append_only()",
        ]
    }

    // Only the payload of an event may change, and only on a ticket whose erasure is recorded.
    public var erasableEventsSchema: [String] {
        [
            "DROP TRIGGER events_no_change ON events",
            "CREATE TRIGGER events_no_delete BEFORE DELETE ON events FOR EACH ROW EXECUTE FUNCTION events_append_only()",
            """
            CREATE FUNCTION events_redact_erased_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
              IF (NEW.id, NEW.tenant_id, NEW.ticket_id, NEW.seq, NEW.type, NEW.at, NEW.actor_name, NEW.actor_role, NEW.actor_unit, NEW.from_status, NEW.to_status)
                 IS DISTINCT FROM (OLD.id, OLD.tenant_id, OLD.ticket_id, OLD.seq, OLD.type, OLD.at, OLD.actor_name, OLD.actor_role, OLD.actor_unit, OLD.from_status, OLD.to_status) THEN
                RAISE EXCEPTION 'the event log is append-only';
              END IF;
              IF NOT EXISTS (SELECT 1 FROM events e WHERE e.ticket_id = OLD.ticket_id AND e.type = 'contacts_erased') THEN
                RAISE EXCEPTION 'the event log is append-only: only the texts of a ticket whose contacts were erased may be redacted';
              END IF;
              RETURN NEW;
            END $$
            """,
            "CREATE TRIGGER events_redact_erased_only BEFORE UPDATE ON events FOR EACH ROW EXECUTE FUNCTION events_redact_erased_only()",
        ]
    }

    public func appendOnlySchema(table: String) -> [String] {
        [
            """
            CREATE FUNCTION \(table)_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION '\(table) is append-only'; END $$
            """,
            "CREATE TRIGGER \(table)_no_change BEFORE UPDATE OR DELETE ON \(table) FOR EACH ROW EXECUTE FUNCTION \(table)_append_only()",
        ]
    }

    public func textMatch(_ term: String) -> SQLQueryString {
        "(tickets.title || ' ' || tickets.description) ILIKE \(bind: Self.likePattern(term)) ESCAPE '\\'"
    }

    public var skipLocked: String { " FOR UPDATE SKIP LOCKED" }

    public var forUpdate: String { " FOR UPDATE" }

    /// The client's connection pool, until ``closeLoops()``; no query runs before it starts.
    public func runLoops() async {
        await withDiscardingTaskGroup { group in
            group.addTask { [client] in await client.run() }
            for await _ in stop.stream {}
            group.cancelAll()
        }
    }

    public func closeLoops() { stop.continuation.finish() }

    /// `pg_database_size`, and the WAL directory's size where the role may read it (superusers
    /// and members of `pg_monitor`).
    public func storage() async throws -> StorageFigures {
        let size = try await database.raw("SELECT pg_database_size(current_database()) AS n").first()?.decode(column: "n", as: Int64.self)
        let wal = try? await database.raw("SELECT COALESCE(SUM(size), 0)::BIGINT AS n FROM pg_ls_waldir()").first()?.decode(column: "n", as: Int64.self)
        return StorageFigures(databaseBytes: size, walBytes: wal, connectionsInUse: database.leases.count,
                              connectionsMax: maxConnections, queuedWrites: 0)
    }

    public var stuckSessions: Int { database.leases.stuck }

    /// The connections closed with ``runLoops()``.
    public func shutdown() async throws {}
}

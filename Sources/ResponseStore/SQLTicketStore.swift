import Foundation
import Logging
import ResponseCore
import SQLKit
import ServiceLifecycle

/// The store written once for both engines; ``SQLBackend`` supplies connections and the few
/// dialect-specific fragments.
///
/// The store's loops (batched intake; SQLite's writer and checkpointer) run in ``run()``, as a
/// service of a `ServiceGroup` or beside a body in ``running(_:)`` and
/// ``withStore(url:contacts:logger:_:)``: nothing starts a task of its own.
public final class SQLTicketStore: TicketStore, Service {
    public let backend: any SQLBackend
    /// Seals complainants' contact data before it reaches the database and keys repeat callers.
    public let contacts: ContactKeys
    let logger: Logger
    /// Tickets filed concurrently are written together: one counter update, one multi-row insert
    /// of tickets and one of events per batch, in one transaction.
    let intake: BatchQueue<IntakeRequest>

    public init(backend: any SQLBackend, contacts: ContactKeys, logger: Logger = Logger(label: "swift-response.store")) {
        self.backend = backend
        self.contacts = contacts
        self.logger = logger
        self.intake = BatchQueue<IntakeRequest>(maxBatch: 128)
    }

    /// Opens the store at `url`, runs its loops beside `body` and closes it when `body` returns
    /// or throws.
    public static func withStore<R>(
        url: String, contacts: ContactKeys, logger: Logger = Logger(label: "swift-response.store"),
        _ body: (SQLTicketStore) async throws -> R
    ) async throws -> R {
        try await open(url: url, contacts: contacts, logger: logger).running(body)
    }

    /// Runs the store's loops beside `body`; when `body` ends, the loops finish what is queued
    /// and the connections close.
    public func running<R>(_ body: (SQLTicketStore) async throws -> R) async throws -> R {
        let result = await withDiscardingTaskGroup(returning: Result<R, any Error>.self) { group in
            group.addTask { await self.runLoops() }
            let result: Result<R, any Error>
            do { result = .success(try await body(self)) } catch { result = .failure(error) }
            self.close()
            return result
        }
        do {
            try await shutdown()
        } catch {
            if case .success = result { throw error }
        }
        return try result.get()
    }

    /// The store's loops, as a service: they run until ``close()`` or the group's graceful
    /// shutdown, then finish the work queued before. Close the connections with ``shutdown()``
    /// once it has returned.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await self.runLoops()
        } onGracefulShutdown: {
            self.close()
        }
    }

    /// Batched intake, and beside it the engine's loops, which stop once intake has drained
    /// (its batches are written by them).
    func runLoops() async {
        let backend = self.backend, contacts = self.contacts
        await withDiscardingTaskGroup { group in
            group.addTask { await backend.runLoops() }
            await intake.run { batch in await Self.file(batch, backend: backend, contacts: contacts) }
            backend.closeLoops()
        }
    }

    /// Takes no new work; the loops finish what is queued and ``run()`` returns.
    public func close() {
        intake.close()
    }

    /// Opens the store named by `url`: `postgres://…` (or `postgresql://…`) for PostgreSQL,
    /// `sqlite:PATH`, `sqlite://PATH` or a plain file path for SQLite.
    /// - Parameter contacts: The keys that seal complainants' contact data (docs/privacy.md).
    public static func open(url: String, contacts: ContactKeys, logger: Logger = Logger(label: "swift-response.store")) async throws -> SQLTicketStore {
        switch DatabaseURL(url) {
        case .postgres(let normalized):
            return SQLTicketStore(backend: try PostgresBackend(url: normalized, logger: logger), contacts: contacts, logger: logger)
        case .sqlite(let path):
            guard !path.isEmpty else { throw StoreError.notFound("no SQLite file name in '\(url)'") }
            return SQLTicketStore(backend: try await SQLiteBackend(path: path, logger: logger), contacts: contacts, logger: logger)
        }
    }

    public var engine: String { backend.name }

    /// Closes the connections, once ``run()`` has returned.
    public func shutdown() async throws {
        try await backend.shutdown()
    }

    public func ping() async throws {
        _ = try await backend.reader.raw("SELECT 1 AS one").first()
    }

    // MARK: Migrations

    public func migrate() async throws {
        let backend = self.backend
        let logger = self.logger
        try await backend.withMigrationLock { db in
            try await db.raw(
                "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)"
            ).run()
            let applied = Set(try await db.raw("SELECT version FROM schema_migrations").all(decodingColumn: "version", as: Int64.self))
            for migration in Migration.all where !applied.contains(Int64(migration.version)) {
                logger.info("applying migration \(migration.version): \(migration.name)")
                for statement in migration.statements(backend) {
                    try await db.raw(SQLQueryString(statement)).run()
                }
                try await db.raw(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(bind: Int64(migration.version)), \(bind: migration.name), \(bind: Date().millisecondsSince1970))"
                ).run()
            }
        }
    }

    public func appliedMigrations() async throws -> [Int] {
        try await backend.reader.raw("SELECT version FROM schema_migrations ORDER BY version")
            .all(decodingColumn: "version", as: Int64.self).map { Int($0) }
    }

    // MARK: Tenants

    public func saveTenant(_ tenant: Tenant) async throws {
        try await backend.transaction { db in
            try await db.raw(
                """
                INSERT INTO tenants (id, name, time_zone) VALUES (\(bind: tenant.id), \(bind: tenant.name), \(bind: tenant.timeZone))
                ON CONFLICT (id) DO UPDATE SET name = excluded.name, time_zone = excluded.time_zone
                """
            ).run()
        }
    }

    public func tenant(_ id: String) async throws -> Tenant? {
        try await backend.reader.raw("SELECT id, name, time_zone FROM tenants WHERE id = \(bind: id)").first().map(Self.decodeTenant)
    }

    /// Brings the planner's statistics up to date after a bulk load (imports and benchmarks).
    public func refreshStatistics() async throws {
        try await backend.refreshStatistics()
    }

    public func tenants() async throws -> [Tenant] {
        try await backend.reader.raw("SELECT id, name, time_zone FROM tenants ORDER BY id").all().map(Self.decodeTenant)
    }

    static func decodeTenant(_ row: any SQLRow) throws -> Tenant {
        Tenant(id: try row.decode(column: "id", as: String.self), name: try row.decode(column: "name", as: String.self), timeZone: try row.decode(column: "time_zone", as: String.self))
    }
}

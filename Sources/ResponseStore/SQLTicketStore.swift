import Foundation
import Logging
import ResponseCore
import SQLKit

/// The store written once for both engines; ``SQLBackend`` supplies connections and the few
/// dialect-specific fragments.
public final class SQLTicketStore: TicketStore {
    public let backend: any SQLBackend
    /// Seals complainants' contact data before it reaches the database and keys repeat callers.
    public let contacts: ContactKeys
    let logger: Logger
    /// Tickets filed concurrently are written together: one counter update, one multi-row insert
    /// of tickets and one of events per batch, in one transaction.
    let intake: BatchQueue<IntakeRequest>
    private let intakeLoop: Task<Void, Never>

    public init(backend: any SQLBackend, contacts: ContactKeys, logger: Logger = Logger(label: "swift-response.store")) {
        self.backend = backend
        self.contacts = contacts
        self.logger = logger
        let intake = BatchQueue<IntakeRequest>(maxBatch: 128)
        self.intake = intake
        self.intakeLoop = Task { await intake.run { batch in await Self.file(batch, backend: backend, contacts: contacts) } }
    }

    /// Opens the store named by `url`: `postgres://…` (or `postgresql://…`) for PostgreSQL,
    /// `sqlite:PATH`, `sqlite://PATH` or a plain file path for SQLite.
    /// - Parameter contacts: The keys that seal complainants' contact data (docs/privacy.md).
    public static func open(url: String, contacts: ContactKeys, logger: Logger = Logger(label: "swift-response.store")) async throws -> SQLTicketStore {
        if url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") {
            let normalized = url.hasPrefix("postgresql://") ? "postgres://" + url.dropFirst("postgresql://".count) : url
            return SQLTicketStore(backend: try PostgresBackend(url: String(normalized), logger: logger), contacts: contacts, logger: logger)
        }
        var path = url
        for prefix in ["sqlite://", "sqlite:"] where path.hasPrefix(prefix) {
            path = String(path.dropFirst(prefix.count))
            break
        }
        guard !path.isEmpty else { throw StoreError.notFound("no SQLite file name in '\(url)'") }
        return SQLTicketStore(backend: try await SQLiteBackend(path: path, logger: logger), contacts: contacts, logger: logger)
    }

    public var engine: String { backend.name }

    public func shutdown() async throws {
        intake.close()
        await intakeLoop.value
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

import SQLKit

/// What differs between the two engines: how to reach them, and the few SQL fragments that
/// really differ (auto-increment keys, full-text search, append-only enforcement).
/// Everything else is written once in ``SQLTicketStore``.
public protocol SQLBackend: Sendable {
    /// `sqlite` or `postgres`, for logs and `/health`.
    var name: String { get }
    /// A database for reads; may be any pooled connection.
    var reader: any SQLDatabase { get }
    /// Runs `body` in one transaction on one connection; commits when it returns, rolls back
    /// when it throws.
    func transaction<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Runs a large analytical read, one that groups hundreds of thousands of aggregate rows.
    /// PostgreSQL runs it in a read-only transaction with room to hash in memory and without
    /// JIT compilation, which costs more than it saves on these queries; SQLite on a reader.
    func analyticalRead<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Brings the query planner's statistics up to date after a bulk load (PostgreSQL's
    /// `ANALYZE`; nothing on SQLite, whose queries name the index where the choice matters).
    func refreshStatistics() async throws
    /// Runs `body` holding the engine's migration lock, so two instances never migrate at once.
    func withMigrationLock<R: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R
    /// Column definition of an auto-incrementing 64-bit primary key.
    var autoIncrementPrimaryKey: String { get }
    /// Statements that make full-text search over tickets' title and description fast.
    var fullTextSearchSchema: [String] { get }
    /// Statements that refuse UPDATE and DELETE on the event log.
    var appendOnlyEventsSchema: [String] { get }
    /// Replaces the events' append-only rule (migration 17): the payload of an event may be
    /// redacted, and only on a ticket whose contact erasure is itself recorded.
    var erasableEventsSchema: [String] { get }
    /// Triggers that refuse UPDATE and DELETE on `table` (an audit log).
    func appendOnlySchema(table: String) -> [String]
    /// A predicate that holds when `term` occurs in the ticket's title or description.
    func textMatch(_ term: String) -> SQLQueryString
    /// Names the index a query must use, after its table (`INDEXED BY` on SQLite, whose planner
    /// has no statistics and can pick a scan of the whole city; empty on PostgreSQL).
    func indexedBy(_ index: String) -> SQLQueryString
    /// Suffix that locks the selected row for the rest of the transaction (empty on SQLite,
    /// whose writer already holds the database).
    var forUpdate: String { get }
    /// Suffix that locks the selected rows and skips rows another transaction holds, so several
    /// server instances claim disjoint work (`FOR UPDATE SKIP LOCKED`; empty on SQLite).
    var skipLocked: String { get }
    /// Runs the engine's own loops (SQLite: the group-commit writer and the WAL checkpointer)
    /// until ``closeLoops()``; the writer finishes what is queued first. Returns at once when the
    /// engine has none (PostgreSQL).
    func runLoops() async
    /// Ends ``runLoops()`` once the work queued before is done.
    func closeLoops()
    /// The database's size, write-ahead log and connections, for `/metrics`.
    func storage() async throws -> StorageFigures
    /// Writing sessions that still run long after their deadline closed their connection: the
    /// store cannot write and the process should be restarted (0 on SQLite).
    var stuckSessions: Int { get }
    /// Closes every connection, after ``runLoops()`` has returned.
    func shutdown() async throws
}

extension SQLBackend {
    /// `%` and `_` are wildcards in LIKE; escape them (and the escape) so a search for `50%`
    /// means what it says.
    static func likePattern(_ term: String) -> String {
        var out = "%"
        for ch in term {
            if ch == "\\" || ch == "%" || ch == "_" { out.append("\\") }
            out.append(ch)
        }
        return out + "%"
    }
}

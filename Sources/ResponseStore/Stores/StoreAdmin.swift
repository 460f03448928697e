import Foundation
import ResponseCore

/// The database itself: its engine, schema and health.
public protocol StoreAdmin: Sendable {
    /// `sqlite` or `postgres`.
    var engine: String { get }
    /// Brings the schema up to date; safe to call on every start.
    func migrate() async throws
    /// Versions of the applied migrations.
    func appliedMigrations() async throws -> [Int]
    /// Round-trips to the database, for `/health`.
    func ping() async throws
}

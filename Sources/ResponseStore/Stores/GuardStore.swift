import Foundation
import ResponseCore

/// What guards the doors: streaks of failed logins (``LoginThrottle``), kept in the database so
/// every instance sees the same ones.
public protocol GuardStore: Sendable {
    /// The streaks of the given keys (`user:NAME`, `address:IP`) that have one.
    func loginRecords(keys: [String]) async throws -> [String: LoginThrottle.Record]
    /// Counts one failed login against each key under its rule, in one transaction (a row
    /// locked per key, so concurrent failures on several instances all count).
    func recordLoginFailure(_ keys: [(key: String, rule: LoginThrottle)], now: Date) async throws
    /// Forgets a key's streak (a successful login; an admin lifting a lock).
    func clearLoginRecord(key: String) async throws
    /// Keys locked at `now`, with their records, the latest failure first.
    func loginLocks(now: Date, limit: Int) async throws -> [(key: String, record: LoginThrottle.Record)]
}

/// The tickets clients filed under an `Idempotency-Key` (``IdempotencyClaim``).
public protocol IdempotencyStore: Sendable {
    /// What was filed under a key: the hash of its body and the ticket's number.
    func idempotencyRecord(tenantID: String, scope: String, key: String) async throws -> (bodyHash: String, number: String)?
    /// Forgets keys recorded before `cutoff`.
    func purgeIdempotencyKeys(before cutoff: Date) async throws
}

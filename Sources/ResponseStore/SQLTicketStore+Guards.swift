import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func loginRecords(keys: [String]) async throws -> [String: LoginThrottle.Record] {
        guard !keys.isEmpty else { return [:] }
        let rows = try await backend.reader.raw(
            "SELECT throttle_key, failures, last_failure_at, locked_until FROM login_throttle WHERE throttle_key IN \(SQLQueryString.bindList(keys))"
        ).all()
        var out: [String: LoginThrottle.Record] = [:]
        for row in rows { out[try row.decode(column: "throttle_key", as: String.self)] = try Self.loginRecord(row) }
        return out
    }

    public func recordLoginFailure(_ keys: [(key: String, rule: LoginThrottle)], now: Date) async throws {
        let forUpdate = backend.forUpdate
        try await backend.transaction { db in
            for (key, rule) in keys.sorted(by: { $0.key < $1.key }) {  // one lock order for every instance
                try await db.raw(
                    "INSERT INTO login_throttle (throttle_key, failures, last_failure_at) VALUES (\(bind: key), 0, 0) ON CONFLICT (throttle_key) DO NOTHING"
                ).run()
                let row = try await db.raw(
                    "SELECT throttle_key, failures, last_failure_at, locked_until FROM login_throttle WHERE throttle_key = \(bind: key)\(unsafeRaw: forUpdate)"
                ).first()
                let old = try row.map(Self.loginRecord).flatMap { $0.failures == 0 ? nil : $0 }
                let new = rule.failed(old, now: now)
                try await db.raw(
                    """
                    UPDATE login_throttle SET failures = \(bind: new.failures), last_failure_at = \(bind: new.lastFailure.millisecondsSince1970),
                    locked_until = \(bind: new.lockedUntil?.millisecondsSince1970) WHERE throttle_key = \(bind: key)
                    """
                ).run()
            }
            // Streaks quiet for a day are over (the longest `forgetAfter` a setting may sensibly have).
            let cutoff = now.addingTimeInterval(-86_400).millisecondsSince1970
            try await db.raw(
                "DELETE FROM login_throttle WHERE last_failure_at < \(bind: cutoff) AND (locked_until IS NULL OR locked_until < \(bind: now.millisecondsSince1970))"
            ).run()
        }
    }

    public func clearLoginRecord(key: String) async throws {
        try await backend.transaction { db in
            try await db.raw("DELETE FROM login_throttle WHERE throttle_key = \(bind: key)").run()
        }
    }

    public func loginLocks(now: Date, limit: Int) async throws -> [(key: String, record: LoginThrottle.Record)] {
        try await backend.reader.raw(
            """
            SELECT throttle_key, failures, last_failure_at, locked_until FROM login_throttle WHERE locked_until > \(bind: now.millisecondsSince1970)
            ORDER BY last_failure_at DESC LIMIT \(literal: max(1, min(limit, 1000)))
            """
        ).all().map { (try $0.decode(column: "throttle_key", as: String.self), try Self.loginRecord($0)) }
    }

    static func loginRecord(_ row: any SQLRow) throws -> LoginThrottle.Record {
        LoginThrottle.Record(
            failures: Int(try row.decode(column: "failures", as: Int64.self)),
            lastFailure: Date(millisecondsSince1970: try row.decode(column: "last_failure_at", as: Int64.self)),
            lockedUntil: try row.decode(column: "locked_until", as: Int64?.self).map(Date.init(millisecondsSince1970:)))
    }
}

extension SQLTicketStore {
    public func idempotencyRecord(tenantID: String, scope: String, key: String) async throws -> (bodyHash: String, number: String)? {
        // The writer's connection on SQLite would see a claim committed a moment ago as surely;
        // a reader does too (WAL), and is not queued behind intake.
        guard let row = try await backend.reader.raw(
            """
            SELECT body_hash, ticket_number FROM idempotency_keys
            WHERE tenant_id = \(bind: tenantID) AND scope = \(bind: scope) AND idempotency_key = \(bind: key)
            """
        ).first() else { return nil }
        return (try row.decode(column: "body_hash", as: String.self), try row.decode(column: "ticket_number", as: String.self))
    }

    public func purgeIdempotencyKeys(before cutoff: Date) async throws {
        try await backend.transaction { db in
            try await db.raw("DELETE FROM idempotency_keys WHERE created_at < \(bind: cutoff.millisecondsSince1970)").run()
        }
    }

    /// Records the claims of a batch of new tickets, in their intake transaction; a key already
    /// taken fails it (the primary key), and the face then answers from the first filing.
    static func insert(claims: [(claim: IdempotencyClaim, ticket: Ticket)], on db: any SQLDatabase) async throws {
        guard !claims.isEmpty else { return }
        let rows = claims.map { c in
            SQLQueryString.bindList([c.ticket.tenantID, c.claim.scope, c.claim.key, c.claim.bodyHash, c.ticket.number,
                                     c.ticket.createdAt.millisecondsSince1970] as [any Encodable & Sendable])
        }
        try await insert(rows, into: "idempotency_keys", columns: "tenant_id, scope, idempotency_key, body_hash, ticket_number, created_at", size: 100, on: db)
    }
}

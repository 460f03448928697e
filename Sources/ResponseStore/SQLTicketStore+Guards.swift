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

    @discardableResult
    public func clearLoginRecord(key: String) async throws -> Bool {
        try await backend.transaction { db in
            let had = try await db.raw("SELECT throttle_key FROM login_throttle WHERE throttle_key = \(bind: key)").first() != nil
            try await db.raw("DELETE FROM login_throttle WHERE throttle_key = \(bind: key)").run()
            return had
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

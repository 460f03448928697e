import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    static let userColumns = "username, tenant_id, display_name, role, unit_code, password_hash, active, created_at"

    public func createUser(_ user: User) async throws {
        try await backend.transaction { db in
            if try await db.raw("SELECT username FROM users WHERE username = \(bind: user.username)").first() != nil {
                throw StoreError.conflict("user \(user.username) already exists")
            }
            try await db.raw(
                """
                INSERT INTO users (\(unsafeRaw: Self.userColumns)) VALUES (\(bind: user.username), \(bind: user.tenantID), \(bind: user.displayName),
                  \(bind: user.role.rawValue), \(bind: user.unitCode), \(bind: user.passwordHash), \(bind: TicketRow.int(user.active)),
                  \(bind: user.createdAt.millisecondsSince1970))
                """
            ).run()
        }
    }

    /// Saves `user`. A new password, a new role or unit, or a deactivation ends every session of
    /// the user in the same transaction: whoever held one signs in again under the new terms.
    public func updateUser(_ user: User) async throws {
        let found = try await backend.transaction { db in
            let before = try await db.raw(
                "SELECT password_hash, role, unit_code, active FROM users WHERE username = \(bind: user.username)"
            ).first()
            if let before,
               try before.decode(column: "password_hash", as: String.self) != user.passwordHash
                || before.decode(column: "role", as: String.self) != user.role.rawValue
                || before.decode(column: "unit_code", as: String?.self) != user.unitCode
                || (try before.decode(column: "active", as: Int64.self) != 0) != user.active {
                try await db.raw("DELETE FROM sessions WHERE username = \(bind: user.username)").run()
            }
            return try await db.raw(
                """
                UPDATE users SET display_name = \(bind: user.displayName), role = \(bind: user.role.rawValue), unit_code = \(bind: user.unitCode),
                  password_hash = \(bind: user.passwordHash), active = \(bind: TicketRow.int(user.active))
                WHERE username = \(bind: user.username) RETURNING username
                """
            ).all().count
        }
        guard found == 1 else { throw StoreError.notFound("no user \(user.username)") }
    }

    public func user(username: String) async throws -> User? {
        try await backend.reader.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE username = \(bind: username)").first().map(Self.decodeUser)
    }

    public func users(tenantID: String?) async throws -> [User] {
        if let tenantID {
            return try await backend.reader.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users WHERE tenant_id = \(bind: tenantID) ORDER BY username").all().map(Self.decodeUser)
        }
        return try await backend.reader.raw("SELECT \(unsafeRaw: Self.userColumns) FROM users ORDER BY username").all().map(Self.decodeUser)
    }

    static func decodeUser(_ row: any SQLRow) throws -> User {
        let role = try row.decode(column: "role", as: String.self)
        guard let parsed = Role(rawValue: role) else { throw StoreError.conflict("unknown role \(role) in the database") }
        return User(
            username: try row.decode(column: "username", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            displayName: try row.decode(column: "display_name", as: String.self),
            role: parsed,
            unitCode: try row.decode(column: "unit_code", as: String?.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self),
            active: try row.decode(column: "active", as: Int64.self) != 0,
            createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self))
        )
    }

    public func createSession(tokenHash: String, username: String, now: Date, expires: Date) async throws {
        try await backend.transaction { db in
            // Expired sessions are swept here rather than by a job: logins are rare enough. Only
            // the signing-in user's city is swept, so one city's clock (a test's, or a server
            // instance's that runs ahead) never ends another city's sessions.
            try await db.raw(
                """
                DELETE FROM sessions WHERE expires_at < \(bind: now.millisecondsSince1970)
                AND username IN (SELECT username FROM users WHERE tenant_id = (SELECT tenant_id FROM users WHERE username = \(bind: username)))
                """
            ).run()
            try await db.raw(
                "INSERT INTO sessions (token_hash, username, created_at, expires_at) VALUES (\(bind: tokenHash), \(bind: username), \(bind: now.millisecondsSince1970), \(bind: expires.millisecondsSince1970))"
            ).run()
        }
    }

    public func sessionUser(tokenHash: String, now: Date) async throws -> User? {
        let columns = Self.userColumns.split(separator: ",").map { "users." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        return try await backend.reader.raw(
            """
            SELECT \(unsafeRaw: columns) FROM sessions JOIN users ON users.username = sessions.username
            WHERE sessions.token_hash = \(bind: tokenHash) AND sessions.expires_at > \(bind: now.millisecondsSince1970) AND users.active = 1
            """
        ).first().map(Self.decodeUser)
    }

    public func deleteSession(tokenHash: String) async throws {
        try await backend.transaction { db in
            try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
        }
    }

    static let keyColumns = "id, tenant_id, name, role, key_hash, created_at, revoked_at"

    public func createAPIKey(_ key: APIKey) async throws {
        try await backend.transaction { db in
            try await db.raw(
                """
                INSERT INTO api_keys (\(unsafeRaw: Self.keyColumns)) VALUES (\(bind: key.id), \(bind: key.tenantID), \(bind: key.name), \(bind: key.role.rawValue),
                  \(bind: key.keyHash), \(bind: key.createdAt.millisecondsSince1970), \(bind: key.revokedAt?.millisecondsSince1970))
                """
            ).run()
        }
    }

    public func apiKey(hash: String) async throws -> APIKey? {
        try await backend.reader.raw("SELECT \(unsafeRaw: Self.keyColumns) FROM api_keys WHERE key_hash = \(bind: hash)").first().map(Self.decodeKey)
    }

    public func apiKeys(tenantID: String) async throws -> [APIKey] {
        try await backend.reader.raw("SELECT \(unsafeRaw: Self.keyColumns) FROM api_keys WHERE tenant_id = \(bind: tenantID) ORDER BY created_at").all().map(Self.decodeKey)
    }

    public func revokeAPIKey(id: String, tenantID: String, at: Date) async throws -> Bool {
        try await backend.transaction { db in
            try await db.raw(
                "UPDATE api_keys SET revoked_at = \(bind: at.millisecondsSince1970) WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND revoked_at IS NULL RETURNING id"
            ).all().count == 1
        }
    }

    static func decodeKey(_ row: any SQLRow) throws -> APIKey {
        APIKey(
            id: try row.decode(column: "id", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .integration,
            keyHash: try row.decode(column: "key_hash", as: String.self),
            createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Date.init(millisecondsSince1970:))
        )
    }
}

import Foundation

/// A person who logs in to the hotline. The password is only ever held as a bcrypt hash.
public struct User: Codable, Sendable, Equatable {
    public var username: String
    public var tenantID: String
    public var displayName: String
    public var role: Role
    /// The unit a handler works for; required for handlers, ignored otherwise.
    public var unitCode: String?
    public var passwordHash: String
    public var active: Bool
    public var createdAt: Date

    public init(username: String, tenantID: String, displayName: String, role: Role, unitCode: String?, passwordHash: String, active: Bool = true, createdAt: Date) {
        self.username = username
        self.tenantID = tenantID
        self.displayName = displayName
        self.role = role
        self.unitCode = unitCode
        self.passwordHash = passwordHash
        self.active = active
        self.createdAt = createdAt
    }

    /// The actor recorded in events this user causes.
    public var actor: Actor { Actor(name: username, role: role, unitCode: role == .handler ? unitCode : nil) }

    /// Problems with a new user's name, role and unit.
    public static func validationErrors(username: String, role: Role, unitCode: String?) -> [FieldError] {
        var errors: [FieldError] = []
        if !OrgUnit.isValidCode(username) || username.count > 40 {
            errors.append(FieldError(field: "username", message: "1–40 characters of a–z, 0–9, '-', '_' or '.'"))
        }
        if !Role.loginRoles.contains(role) {
            errors.append(FieldError(field: "role", message: "one of \(Role.loginRoles.map(\.rawValue).joined(separator: ", "))"))
        }
        if role == .handler && (unitCode ?? "").isEmpty {
            errors.append(FieldError(field: "unitCode", message: "a handler must belong to a unit"))
        }
        return errors
    }

    /// Minimum password rules: long enough to resist guessing, short enough for bcrypt (72 bytes).
    public static func passwordErrors(_ password: String) -> [FieldError] {
        if password.count < 8 { return [FieldError(field: "password", message: "at least 8 characters")] }
        if password.utf8.count > 72 { return [FieldError(field: "password", message: "at most 72 bytes")] }
        return []
    }
}

/// A key that lets an integration (another system) call the API without a person's login.
public struct APIKey: Codable, Sendable, Equatable {
    public var id: String
    public var tenantID: String
    public var name: String
    public var role: Role
    /// Hash of the secret; the secret itself is shown once, at creation.
    public var keyHash: String
    public var createdAt: Date
    public var revokedAt: Date?

    public init(id: String, tenantID: String, name: String, role: Role, keyHash: String, createdAt: Date, revokedAt: Date? = nil) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.role = role
        self.keyHash = keyHash
        self.createdAt = createdAt
        self.revokedAt = revokedAt
    }
}

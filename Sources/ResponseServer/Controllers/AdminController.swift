import HTTPTypes
import Foundation
import Hummingbird
import ResponseCore
import ResponseStore

/// `/api/v1/users` and `/api/v1/api-keys`: admin only.
struct AdminController: ServerFace {
    let server: ServerServices

    struct NewUser: Decodable, Sendable {
        var username: String
        var password: String
        var role: Role
        var unitCode: String?
        var displayName: String?
    }

    struct NewKey: Decodable, Sendable {
        var name: String
    }

    struct KeyView: Encodable, Sendable {
        var id: String
        var name: String
        var role: Role
        var createdAt: Date
        var revokedAt: Date?
        /// The secret, present only in the response that created it.
        var key: String?
    }

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/users", summary: "List users", tag: "admin", access: .permission(.manageUsers), response: "UserList", handler: listUsers)
        api.add(.post, "/api/v1/users", summary: "Create a user", tag: "admin", access: .permission(.manageUsers), request: "NewUser", response: "User", status: 201, handler: createUser)
        api.add(.get, "/api/v1/api-keys", summary: "List API keys (without secrets)", tag: "admin", access: .permission(.manageAPIKeys), response: "APIKeyList", handler: listKeys)
        api.add(.post, "/api/v1/api-keys", summary: "Create an API key; the secret is shown once", tag: "admin", access: .permission(.manageAPIKeys),
                request: "NewAPIKey", response: "APIKey", status: 201, handler: createKey)
        api.add(.delete, "/api/v1/api-keys/{id}", summary: "Revoke an API key", tag: "admin", access: .permission(.manageAPIKeys), response: "APIKey", handler: revokeKey)
    }

    @Sendable func listUsers(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[AuthController.UserView]> {
        let identity = try context.require(.manageUsers)
        return JSONResponse(value: try await store.users(tenantID: identity.tenantID).map(AuthController.UserView.init))
    }

    @Sendable func createUser(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<AuthController.UserView> {
        let identity = try context.require(.manageUsers)
        let input = try await request.decodeJSON(as: NewUser.self, context: context)
        var errors = User.validationErrors(username: input.username, role: input.role, unitCode: input.unitCode) + User.passwordErrors(input.password)
        if let unit = input.unitCode, input.role == .handler, try await store.unit(code: unit, tenantID: identity.tenantID) == nil {
            errors.append(FieldError(field: "unitCode", message: "no unit \(unit)"))
        }
        guard errors.isEmpty else { throw ValidationError(errors) }
        let hash = try await Secrets.hashPassword(input.password, cost: configuration.bcryptCost)
        let user = User(
            username: input.username, tenantID: identity.tenantID, displayName: input.displayName ?? input.username,
            role: input.role, unitCode: input.role == .handler ? input.unitCode : nil, passwordHash: hash, createdAt: clock.now()
        )
        try await store.createUser(user)
        return JSONResponse(status: .created, value: AuthController.UserView(user))
    }

    @Sendable func listKeys(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[KeyView]> {
        let identity = try context.require(.manageAPIKeys)
        let keys = try await store.apiKeys(tenantID: identity.tenantID)
        return JSONResponse(value: keys.map { KeyView(id: $0.id, name: $0.name, role: $0.role, createdAt: $0.createdAt, revokedAt: $0.revokedAt) })
    }

    @Sendable func createKey(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<KeyView> {
        let identity = try context.require(.manageAPIKeys)
        let input = try await request.decodeJSON(as: NewKey.self, context: context)
        let (key, secret) = try APIKey.issue(name: input.name, tenantID: identity.tenantID, now: clock.now())
        try await store.createAPIKey(key)
        return JSONResponse(status: .created, value: KeyView(id: key.id, name: key.name, role: key.role, createdAt: key.createdAt, key: secret))
    }

    @Sendable func revokeKey(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[String: String]> {
        let identity = try context.require(.manageAPIKeys)
        let id = try context.parameters.require("id")
        guard try await store.revokeAPIKey(id: id, tenantID: identity.tenantID, at: clock.now()) else {
            throw Problem.notFound("no active API key \(id)")
        }
        // Forget the key at once rather than when its cache entry expires.
        if let key = try await store.apiKeys(tenantID: identity.tenantID).first(where: { $0.id == id }) { cache.remove(key.keyHash) }
        return JSONResponse(value: ["id": id, "status": "revoked"])
    }
}

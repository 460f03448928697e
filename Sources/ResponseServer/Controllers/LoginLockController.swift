import Foundation
import Hummingbird
import ResponseCore
import ResponseStore

/// `/api/v1/login-locks`: the user names and addresses locked out by failed logins
/// (``LoginGuard``), and lifting a lock. Admins only; an admin sees and lifts the locks of the
/// city's own users and of addresses.
struct LoginLockController: ServerFace {
    let server: ServerServices

    struct LockView: Encodable, Sendable {
        /// `user:NAME` or `address:IP`: what `DELETE /api/v1/login-locks/{key}` takes.
        var key: String
        var failures: Int
        var lastFailureAt: Date
        var lockedUntil: Date?
    }

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/login-locks", summary: "User names and addresses locked out by failed logins", tag: "admin",
                access: .permission(.manageUsers), response: "LoginLockList", handler: list)
        api.add(.delete, "/api/v1/login-locks/{key}", summary: "Lift a login lock (key user:NAME or address:IP) and forget its failures", tag: "admin",
                access: .permission(.manageUsers), response: "LoginLock", handler: lift)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[LockView]> {
        let identity = try context.require(.manageUsers)
        let names = Set(try await store.users(tenantID: identity.tenantID).map { LoginGuard.userKey($0.username) })
        let locks = try await store.loginLocks(now: clock.now(), limit: 1000)
        return JSONResponse(value: locks.filter { $0.key.hasPrefix("address:") || names.contains($0.key) }.map {
            LockView(key: $0.key, failures: $0.record.failures, lastFailureAt: $0.record.lastFailure, lockedUntil: $0.record.lockedUntil)
        })
    }

    @Sendable func lift(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<LockView> {
        let identity = try context.require(.manageUsers)
        let key = try context.parameters.require("key")
        if key.hasPrefix("user:") {
            let name = String(key.dropFirst("user:".count))
            guard try await store.user(username: name)?.tenantID == identity.tenantID else { throw Problem.notFound("no user \(name) in this city") }
        } else if !key.hasPrefix("address:") {
            throw Problem(.badRequest, type: "invalid-key", detail: "a login lock's key is user:NAME or address:IP")
        }
        guard let record = try await store.loginRecords(keys: [key])[key] else { throw Problem.notFound("no failed logins recorded for \(key)") }
        try await store.clearLoginRecord(key: key)
        return JSONResponse(value: LockView(key: key, failures: record.failures, lastFailureAt: record.lastFailure, lockedUntil: record.lockedUntil))
    }
}

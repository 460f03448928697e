import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdBcrypt
import ResponseCore
import ResponseStore

/// `/api/v1/auth`: log in with a password, get a bearer token.
struct AuthController: ServerFace {
    let server: ServerServices

    struct Credentials: Decodable, Sendable {
        var username: String
        var password: String
    }

    struct UserView: Codable, Sendable {
        var username: String
        var displayName: String
        var role: Role
        var unitCode: String?
        var tenantID: String
        var active: Bool

        init(_ user: User) {
            username = user.username
            displayName = user.displayName
            role = user.role
            unitCode = user.unitCode
            tenantID = user.tenantID
            active = user.active
        }
    }

    struct Session: Encodable, Sendable {
        var token: String
        var tokenType = "Bearer"
        var expiresAt: Date
        var user: UserView
    }

    struct Me: Encodable, Sendable {
        var name: String
        var role: Role
        var unitCode: String?
        var tenantID: String
    }

    /// A valid bcrypt hash of a random string: checking against it when the user does not exist
    /// makes "no such user" take as long as "wrong password".
    static let decoyHash = Bcrypt.hash(Secrets.randomPassword(), cost: 10)

    func register(on api: RouteRegistry) {
        api.add(.post, "/api/v1/auth/login", summary: "Log in; returns a bearer token", tag: "auth", access: .public,
                request: "Credentials", response: "Session", handler: login)
        api.add(.post, "/api/v1/auth/logout", summary: "End the current session", tag: "auth", access: .signedIn,
                response: "Empty", handler: logout)
        api.add(.get, "/api/v1/auth/me", summary: "Who am I", tag: "auth", access: .signedIn, response: "Me", handler: me)
    }

    @Sendable func login(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<Session> {
        let credentials = try await request.decodeJSON(as: Credentials.self, context: context)
        return JSONResponse(value: try await signIn(credentials, address: context.addressKey))
    }

    /// Checks a password and opens a session: the one way in for the API and the console's form,
    /// through the throttle of the name and the address (``LoginGuard``).
    func signIn(_ credentials: Credentials, address: String) async throws -> Session {
        guard credentials.username.utf8.count <= 100, credentials.password.utf8.count <= 200 else {
            throw Problem(.unauthorized, type: "login-failed", detail: "wrong user name or password")
        }
        let user = try await logins.attempt(username: credentials.username, address: address, now: clock.now()) {
            let user = try await store.user(username: credentials.username)
            let matches = try await Secrets.verifyPassword(credentials.password, hash: user?.passwordHash ?? Self.decoyHash)
            let accepted = matches && user?.active == true
            return (accepted, accepted ? user : nil)
        }
        guard let user, user.active else {
            throw Problem(.unauthorized, type: "login-failed", detail: "wrong user name or password")
        }
        let token = Secrets.newToken(prefix: "srs_")
        let now = clock.now()
        let expires = now.addingTimeInterval(configuration.sessionLifetime)
        try await store.createSession(tokenHash: Secrets.hashToken(token), username: user.username, now: now, expires: expires)
        return Session(token: token, expiresAt: expires, user: UserView(user))
    }

    @Sendable func logout(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[String: String]> {
        _ = try context.requireIdentity()
        // The session signed out is the one this request used: a bearer token, or the console's
        // cookie (a logout through the API must end a cookie session too).
        if let token = AuthMiddleware.credential(request) ?? request.cookies[AuthMiddleware.sessionCookie]?.value, !token.isEmpty {
            let hash = Secrets.hashToken(token)
            try await store.deleteSession(tokenHash: hash)
            cache.remove(hash)
        }
        return JSONResponse(value: [:])
    }

    @Sendable func me(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<Me> {
        let identity = try context.requireIdentity()
        return JSONResponse(value: Me(name: identity.name, role: identity.role, unitCode: identity.unitCode, tenantID: identity.tenantID))
    }
}

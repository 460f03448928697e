import HTTPTypes
import Foundation
import Hummingbird
import ResponseCore
import ResponseStore
import Synchronization

/// Resolves `Authorization: Bearer <session token>`, `X-API-Key: <key>` or the console's session
/// cookie to an ``Identity``. Routes decide what the identity may do; this middleware only says who
/// it is. It sits on the route groups of the API and of the console's pages; Open311 resolves its
/// `api_key` itself (``apiKeyIdentity(for:)``), answering in GeoReport's own errors.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let store: any TicketStore
    let clock: any WallClock
    let cache: IdentityCache
    /// Whether a change made with the session cookie needs the console's header (the API's
    /// group): a cross-site form can carry the cookie but cannot set a custom header.
    let csrf: Bool

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        if let token = Self.credential(request) {
            context.identity = try await identity(for: token)
            if context.identity == nil { throw Problem(.unauthorized, type: "unauthorized", detail: "the token or API key is unknown, expired or revoked") }
        } else if let cookie = request.cookies[Self.sessionCookie]?.value, !cookie.isEmpty {
            // The console's session cookie. A stale one simply means "not signed in": the
            // console sends the browser to its login page, the portal does not care.
            context.identity = try await identity(for: cookie)
            if context.identity != nil, csrf, Self.changesState(request.method), request.headers[Self.csrfHeader] != Self.csrfValue {
                throw Problem.forbidden("changes made with the console's cookie need the header X-Requested-With: swift-response")
            }
        }
        return try await next(request, context)
    }

    /// The console's session cookie (HttpOnly, SameSite=Strict).
    static let sessionCookie = "sr_session"
    static let csrfHeader = HTTPField.Name.requestedWith
    static let csrfValue = "swift-response"

    static func changesState(_ method: HTTPRequest.Method) -> Bool {
        ![.get, .head, .options].contains(method)
    }

    static func credential(_ request: Request) -> String? {
        if let key = request.headers[.apiKey], !key.isEmpty { return key }
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    func identity(for token: String) async throws -> Identity? {
        let hash = Secrets.hashToken(token)
        let now = clock.now()
        if let cached = cache.get(hash, now: now) { return cached }
        var found: Identity? = nil
        if let user = try await store.sessionUser(tokenHash: hash, now: now) {
            found = Identity(name: user.username, tenantID: user.tenantID, role: user.role, unitCode: user.unitCode)
        } else if let key = try await store.apiKey(hash: hash), key.revokedAt == nil {
            found = Identity(name: Identity.keyPrefix + key.name, tenantID: key.tenantID, role: key.role, unitCode: nil)
        }
        if let found { cache.put(hash, found, now: now) }
        return found
    }

    /// The identity of an API key; `nil` for anything else, a staff session token included
    /// (Open311's `api_key` takes keys only).
    func apiKeyIdentity(for key: String) async throws -> Identity? {
        try await identity(for: key).flatMap { $0.isAPIKey ? $0 : nil }
    }
}

/// A short-lived memory of resolved credentials, so a busy client does not cost a database read
/// per request. Entries live 30 seconds: a revoked key or ended session stops working within that.
final class IdentityCache: Sendable {
    private let entries = Mutex<[String: (Identity, Date)]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval = 30) { self.lifetime = lifetime }

    func get(_ hash: String, now: Date) -> Identity? {
        entries.withLock { e in
            guard let (identity, stored) = e[hash] else { return nil }
            if now.timeIntervalSince(stored) > lifetime {
                e[hash] = nil
                return nil
            }
            return identity
        }
    }

    func put(_ hash: String, _ identity: Identity, now: Date) {
        entries.withLock { e in
            if e.count > 10_000 { e.removeAll() }  // bound memory under a flood of distinct tokens
            e[hash] = (identity, now)
        }
    }

    func remove(_ hash: String) {
        _ = entries.withLock { $0.removeValue(forKey: hash) }
    }
}

extension AppRequestContext {
    /// The caller, or 401.
    func requireIdentity() throws -> Identity {
        guard let identity else { throw Problem.unauthorized }
        return identity
    }

    /// The caller if their role holds `permission`, else 401/403.
    func require(_ permission: Permission) throws -> Identity {
        let identity = try requireIdentity()
        guard identity.role.allows(permission) else {
            throw Problem.forbidden("the \(identity.role.rawValue) role may not \(permission.rawValue)")
        }
        return identity
    }
}

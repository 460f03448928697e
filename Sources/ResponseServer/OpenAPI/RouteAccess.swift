import ResponseCore

/// Who may call a route, as the OpenAPI document says it: for a route behind a permission, the
/// roles ``Role/allows(_:)`` grants it, the same table the handler checks, so the document
/// cannot drift from what the server does.
enum RouteAccess: Sendable {
    /// Anyone, with an optional note (a rate limit, a code the caller must hold).
    case `public`(String? = nil)
    /// Anyone signed in, person or key (logging out, who am I).
    case signedIn
    /// The roles holding `permission`, with an optional note (handlers see their unit).
    case permission(Permission, String? = nil)

    static let `public` = RouteAccess.public(nil)

    var description: String {
        switch self {
        case .public(let note): note.map { "public (\($0))" } ?? "public"
        case .signedIn: "any signed-in user"
        case .permission(let permission, let note):
            Role.allCases.filter { $0 != .system && $0 != .complainant && $0.allows(permission) }.map(\.rawValue).joined(separator: ", ") + (note.map { "; \($0)" } ?? "")
        }
    }
}

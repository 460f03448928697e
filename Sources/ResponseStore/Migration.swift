/// One named, versioned schema change. Migrations run in order at start; each runs once.
struct Migration: Sendable {
    var version: Int
    var name: String
    /// The statements, given the engine so the few dialect-specific parts can differ.
    var statements: @Sendable (any SQLBackend) -> [String]

    /// Every migration of the product, oldest first. Never edit a released one: add a new one.
    static let all: [Migration] = foundation + insight + privacy + guards
}

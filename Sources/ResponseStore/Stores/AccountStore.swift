import Foundation
import ResponseCore

/// Users, their sessions and API keys.
public protocol AccountStore: Sendable {
    /// Adds a user; ``StoreError/conflict(_:)`` when the name is taken.
    func createUser(_ user: User) async throws
    func updateUser(_ user: User) async throws
    func user(username: String) async throws -> User?
    func users(tenantID: String?) async throws -> [User]
    func createSession(tokenHash: String, username: String, now: Date, expires: Date) async throws
    /// The user of a live session, or `nil` when the token is unknown, expired or the user inactive.
    func sessionUser(tokenHash: String, now: Date) async throws -> User?
    func deleteSession(tokenHash: String) async throws
    func createAPIKey(_ key: APIKey) async throws
    func apiKey(hash: String) async throws -> APIKey?
    func apiKeys(tenantID: String) async throws -> [APIKey]
    func revokeAPIKey(id: String, tenantID: String, at: Date) async throws -> Bool
}

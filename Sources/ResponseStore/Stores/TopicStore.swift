import Foundation
import ResponseCore

/// Topics of the month, with every version kept.
public protocol TopicStore: Sendable {
    /// Adds a topic (`expectedVersion` nil) or replaces the version the caller read; every
    /// version is kept in an append-only log. ``StoreError/conflict(_:)`` when it moved on.
    func saveTopic(_ topic: Topic, expectedVersion: Int?) async throws -> Topic
    /// A city's topics, newest month first; only `month`'s when given.
    func topics(tenantID: String, month: String?) async throws -> [Topic]
    func topic(id: String, tenantID: String) async throws -> Topic?
    /// Every version of a topic, oldest first.
    func topicHistory(id: String, tenantID: String) async throws -> [Topic]
}

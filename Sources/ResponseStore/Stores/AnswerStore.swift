import Foundation
import ResponseCore

/// Built answers (briefs, hotspot views) kept while they hold.
public protocol AnswerStore: Sendable {
    /// Keeps a built answer (a brief, a hotspot view), replacing an older one of the same name.
    func saveAnswer(_ answer: StoredAnswer) async throws
    /// The answer last kept under a name, if any. Importing history or rebuilding the
    /// aggregates drops a city's answers.
    func storedAnswer(tenantID: String, name: String) async throws -> StoredAnswer?
}

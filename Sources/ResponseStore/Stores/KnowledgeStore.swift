import Foundation
import ResponseCore

/// The knowledge base.
public protocol KnowledgeStore: Sendable {
    /// Adds or replaces a knowledge-base article (its use count is kept).
    func saveArticle(_ article: KnowledgeArticle) async throws
    func articles(tenantID: String) async throws -> [KnowledgeArticle]
    func article(id: String, tenantID: String) async throws -> KnowledgeArticle?
    /// Removes an article; `false` when there was none.
    func deleteArticle(id: String, tenantID: String) async throws -> Bool
}

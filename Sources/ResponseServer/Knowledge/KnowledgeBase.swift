import Foundation
import ResponseCore
import ResponseDispatch
import ResponseStore

/// The searchable knowledge base of every city: an in-memory ``KnowledgeIndex`` per city, built
/// from the store on first use and rebuilt after an edit.
actor KnowledgeBase {
    private let store: any TicketStore
    private var indexes: [String: KnowledgeIndex] = [:]
    /// Category code → its ancestors, per city, so an article filed under a first-level category
    /// answers questions classified deeper.
    private var ancestors: [String: [String: [String]]] = [:]

    init(store: any TicketStore) { self.store = store }

    func search(_ query: String, tenantID: String, category: String?, now: Date, includeExpired: Bool = false, limit: Int) async throws -> [KnowledgeIndex.Hit] {
        let index = try await index(tenantID)
        let up = try await categoryAncestors(tenantID)
        return index.search(query, category: category, categoryAncestors: category.flatMap { up[$0] } ?? [], now: now,
                            includeExpired: includeExpired, limit: limit)
    }

    /// Forgets a city's index after its articles or categories change.
    func invalidate(tenantID: String) {
        indexes[tenantID] = nil
        ancestors[tenantID] = nil
    }

    private func index(_ tenantID: String) async throws -> KnowledgeIndex {
        if let index = indexes[tenantID] { return index }
        let index = KnowledgeIndex(articles: try await store.articles(tenantID: tenantID))
        indexes[tenantID] = index
        return index
    }

    private func categoryAncestors(_ tenantID: String) async throws -> [String: [String]] {
        if let a = ancestors[tenantID] { return a }
        let categories = try await store.categories(tenantID: tenantID)
        let parent = Dictionary(categories.map { ($0.code, $0.parentCode) }, uniquingKeysWith: { a, _ in a })
        var result: [String: [String]] = [:]
        for c in categories {
            result[c.code] = CategoryTaxonomy.ancestors(of: c.code) { parent[$0] ?? nil }
        }
        ancestors[tenantID] = result
        return result
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import ResponseCore
import ResponseDispatch
import ResponseStore

/// `/api/v1/knowledge`: the articles call-takers answer consultations with. Everyone signed in
/// reads and searches; admins edit. `/api/v1/public/knowledge` searches the valid ones without login.
struct KnowledgeController: ServerFace {
    let server: ServerServices

    struct ArticleInput: Decodable, Sendable {
        var title: String
        var body: String
        var categories: [String]?
        var validUntil: Date?
    }

    /// A search result or list entry: the article and, for a search, its score.
    struct ArticleView: Encodable, Sendable {
        var id: String
        var title: String
        var body: String
        var categories: [String]
        var validUntil: Date?
        var valid: Bool
        var uses: Int
        var updatedAt: Date
        var updatedBy: String
        var score: Double?

        init(_ a: KnowledgeArticle, now: Date, score: Double? = nil) {
            id = a.id; title = a.title; body = a.body; categories = a.categories; validUntil = a.validUntil
            valid = a.isValid(at: now); uses = a.uses; updatedAt = a.updatedAt; updatedBy = a.updatedBy; self.score = score
        }
    }

    static let searchQuery: [APIRoute.QueryParameter] = [
        .init(name: "q", description: "words or characters to search for (Chinese or English); without it, every article", schemaType: "string"),
        .init(name: "category", description: "only articles for this category (or its parents), or for none", schemaType: "string"),
        .init(name: "expired", description: "true: include articles past their valid-until", schemaType: "boolean"),
        .init(name: "limit", description: "1–100, default 20", schemaType: "integer"),
    ]

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/knowledge", summary: "Search the knowledge base (Chinese and English full text), or list it", tag: "knowledge",
                access: .permission(.readTickets), response: "ArticleList", query: Self.searchQuery) { request, context in
            let identity = try context.require(.readTickets)
            return JSONResponse(value: try await self.search(request, tenantID: identity.tenantID, publicOnly: false))
        }
        api.add(.get, "/api/v1/knowledge/{id}", summary: "One article", tag: "knowledge", access: .permission(.readTickets), response: "Article") { _, context in
            let identity = try context.require(.readTickets)
            let id = try context.parameters.require("id")
            guard let a = try await store.article(id: id, tenantID: identity.tenantID) else { throw Problem.notFound("no article \(id)") }
            return JSONResponse(value: ArticleView(a, now: clock.now()))
        }
        api.add(.post, "/api/v1/knowledge", summary: "Write an article", tag: "knowledge", access: .permission(.manageReferenceData), request: "ArticleInput",
                response: "Article", status: 201) { request, context in
            try await self.save(request, context, id: nil)
        }
        api.add(.put, "/api/v1/knowledge/{id}", summary: "Edit an article (its use count is kept)", tag: "knowledge", access: .permission(.manageReferenceData),
                request: "ArticleInput", response: "Article") { request, context in
            try await self.save(request, context, id: try context.parameters.require("id"))
        }
        api.add(.delete, "/api/v1/knowledge/{id}", summary: "Remove an article", tag: "knowledge", access: .permission(.manageReferenceData), response: "Empty") { _, context in
            let identity = try context.require(.manageReferenceData)
            let id = try context.parameters.require("id")
            guard try await store.deleteArticle(id: id, tenantID: identity.tenantID) else { throw Problem.notFound("no article \(id)") }
            await knowledge.invalidate(tenantID: identity.tenantID)
            return JSONResponse(value: [String: String]())
        }
        api.add(.get, "/api/v1/public/knowledge", summary: "Search the city's valid articles without logging in (self-service answers)",
                tag: "public", access: .public, response: "ArticleList", query: Self.searchQuery.filter { $0.name != "expired" }) { request, _ in
            JSONResponse(value: try await self.search(request, tenantID: configuration.tenant.id, publicOnly: true))
        }
    }

    func search(_ request: Request, tenantID: String, publicOnly: Bool) async throws -> [ArticleView] {
        let params = request.uri.queryParameters
        let q = params["q"].map(String.init)?.trimmingCharacters(in: .whitespaces) ?? ""
        let category = params["category"].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
        let expired = !publicOnly && (params["expired"] == "true" || params["expired"] == "1")
        var errors: [FieldError] = []
        if q.count > 200 { errors.append(FieldError(field: "q", message: "at most 200 characters")) }
        var limit = 20
        if let raw = params["limit"] {
            if let n = Int(raw), (1...100).contains(n) { limit = n } else { errors.append(FieldError(field: "limit", message: "an integer from 1 to 100")) }
        }
        if !errors.isEmpty { throw Problem.badRequest("invalid query parameters", errors: errors) }
        let now = clock.now()
        if q.isEmpty {
            // No query: the list, most used first (what the call-takers actually read out).
            let all = try await store.articles(tenantID: tenantID).filter { expired || $0.isValid(at: now) }
                .filter { a in category.map { a.categories.isEmpty || a.categories.contains($0) } ?? true }
                .sorted { $0.uses != $1.uses ? $0.uses > $1.uses : $0.id < $1.id }
            return all.prefix(limit).map { ArticleView($0, now: now) }
        }
        return try await knowledge.search(q, tenantID: tenantID, category: category, now: now, includeExpired: expired, limit: limit)
            .map { ArticleView($0.article, now: now, score: ($0.score * 1000).rounded() / 1000) }
    }

    func save(_ request: Request, _ context: AppRequestContext, id: String?) async throws -> JSONResponse<ArticleView> {
        let identity = try context.require(.manageReferenceData)
        let input = try await request.decodeJSON(as: ArticleInput.self, context: context)
        let now = clock.now()
        var existing: KnowledgeArticle? = nil
        if let id {
            existing = try await store.article(id: id, tenantID: identity.tenantID)
        }
        let article = KnowledgeArticle(
            id: id ?? "kb-" + UUID().uuidString.prefix(8).lowercased(), tenantID: identity.tenantID,
            title: input.title.trimmingCharacters(in: .whitespacesAndNewlines), body: input.body,
            categories: input.categories ?? [], validUntil: input.validUntil, uses: existing?.uses ?? 0, updatedAt: now, updatedBy: identity.name)
        var errors = article.problems()
        if let id, id.count > 64 || id.contains(where: { !($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) {
            errors.append(FieldError(field: "id", message: "letters, digits, - and _ only, at most 64"))
        }
        for (i, code) in article.categories.enumerated() where try await store.category(code: code, tenantID: identity.tenantID) == nil {
            errors.append(FieldError(field: "categories[\(i)]", message: "no category \(code)"))
        }
        if !errors.isEmpty { throw ValidationError(errors) }
        try await store.saveArticle(article)
        await knowledge.invalidate(tenantID: identity.tenantID)
        return JSONResponse(status: existing == nil ? .created : .ok, value: ArticleView(article, now: now))
    }
}

import Foundation

/// One answer in the city's knowledge base: what a call-taker reads out to close a consultation
/// on the spot, and what the public portal shows.
public struct KnowledgeArticle: Codable, Sendable, Equatable, Identifiable {
    public static let maxTitle = 200
    public static let maxBody = 20_000

    public var id: String
    public var tenantID: String
    public var title: String
    public var body: String
    /// Category codes the article answers (any level); empty for general articles.
    public var categories: [String]
    /// After this instant the article is stale: search hides it unless asked for expired ones.
    public var validUntil: Date?
    /// How many consultations were answered with it.
    public var uses: Int
    public var updatedAt: Date
    public var updatedBy: String

    public init(id: String, tenantID: String, title: String, body: String, categories: [String] = [], validUntil: Date? = nil,
                uses: Int = 0, updatedAt: Date, updatedBy: String) {
        self.id = id
        self.tenantID = tenantID
        self.title = title
        self.body = body
        self.categories = categories
        self.validUntil = validUntil
        self.uses = uses
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
    }

    /// Whether the article may still be read out at `now`.
    public func isValid(at now: Date) -> Bool { validUntil.map { now < $0 } ?? true }

    /// Field problems of an article about to be saved; empty when it is acceptable.
    public func problems() -> [FieldError] {
        var errors: [FieldError] = []
        let t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { errors.append(FieldError(field: "title", message: "is required")) }
        if title.count > Self.maxTitle { errors.append(FieldError(field: "title", message: "is longer than \(Self.maxTitle) characters")) }
        if body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty { errors.append(FieldError(field: "body", message: "is required")) }
        if body.count > Self.maxBody { errors.append(FieldError(field: "body", message: "is longer than \(Self.maxBody) characters")) }
        if categories.count > 20 { errors.append(FieldError(field: "categories", message: "has more than 20 codes")) }
        return errors
    }
}

import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    static let articleColumns = "id, tenant_id, title, body, categories, valid_until, uses, updated_at, updated_by"

    public func saveArticle(_ a: KnowledgeArticle) async throws {
        try await backend.transaction { db in
            // `uses` is counted by answers only (countUse): an edit never resets it.
            try await db.raw(
                """
                INSERT INTO kb_articles (id, tenant_id, title, body, categories, valid_until, uses, updated_at, updated_by)
                VALUES (\(bind: a.id), \(bind: a.tenantID), \(bind: a.title), \(bind: a.body), \(bind: a.categories.joined(separator: ",")),
                        \(bind: a.validUntil?.millisecondsSince1970), \(bind: Int64(a.uses)), \(bind: a.updatedAt.millisecondsSince1970), \(bind: a.updatedBy))
                ON CONFLICT (id) DO UPDATE SET title = excluded.title, body = excluded.body, categories = excluded.categories,
                  valid_until = excluded.valid_until, updated_at = excluded.updated_at, updated_by = excluded.updated_by
                """
            ).run()
        }
    }

    public func articles(tenantID: String) async throws -> [KnowledgeArticle] {
        try await backend.reader.raw(
            "SELECT \(unsafeRaw: Self.articleColumns) FROM kb_articles WHERE tenant_id = \(bind: tenantID) ORDER BY id"
        ).all().map(Self.decodeArticle)
    }

    public func article(id: String, tenantID: String) async throws -> KnowledgeArticle? {
        try await backend.reader.raw(
            "SELECT \(unsafeRaw: Self.articleColumns) FROM kb_articles WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)"
        ).first().map(Self.decodeArticle)
    }

    public func deleteArticle(id: String, tenantID: String) async throws -> Bool {
        try await backend.transaction { db in
            let found = try await db.raw("SELECT id FROM kb_articles WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)").first() != nil
            if found { try await db.raw("DELETE FROM kb_articles WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)").run() }
            return found
        }
    }

    /// One more use of an article, in the caller's transaction (an answer's, ``persist``).
    static func countUse(ofArticle id: String, tenantID: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE kb_articles SET uses = uses + 1 WHERE tenant_id = \(bind: tenantID) AND id = \(bind: id)").run()
    }

    static func decodeArticle(_ row: any SQLRow) throws -> KnowledgeArticle {
        let categories = try row.decode(column: "categories", as: String.self)
        return KnowledgeArticle(
            id: try row.decode(column: "id", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            title: try row.decode(column: "title", as: String.self),
            body: try row.decode(column: "body", as: String.self),
            categories: categories.isEmpty ? [] : categories.split(separator: ",").map(String.init),
            validUntil: try row.decode(column: "valid_until", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            uses: Int(try row.decode(column: "uses", as: Int64.self)),
            updatedAt: Date(millisecondsSince1970: try row.decode(column: "updated_at", as: Int64.self)),
            updatedBy: try row.decode(column: "updated_by", as: String.self)
        )
    }

    public func openLoad(tenantID: String, now: Date) async throws -> [AreaLoad] {
        let open = TicketStatus.open.map(\.rawValue)
        let rows = try await backend.reader.raw(
            """
            SELECT district_code, COUNT(*) AS open,
              SUM(CASE WHEN resolution_due IS NOT NULL AND resolution_due < \(bind: now.millisecondsSince1970) THEN 1 ELSE 0 END) AS overdue
            FROM tickets WHERE tenant_id = \(bind: tenantID) AND status IN (\(binds: open))
            GROUP BY district_code ORDER BY district_code
            """
        ).all()
        return try rows.map {
            AreaLoad(districtCode: try $0.decode(column: "district_code", as: String?.self),
                     open: Int(try $0.decode(column: "open", as: Int64.self)),
                     overdue: Int(try $0.decode(column: "overdue", as: Int64?.self) ?? 0))
        }
    }

    public func dailyVolume(tenantID: String, from: Date, to: Date, utcOffset: Int) async throws -> [DailyVolume] {
        // Day numbers are computed in SQL (integer division of shifted milliseconds) so only
        // days × categories rows leave the database.
        let offset = Int64(utcOffset) * 1000
        let rows = try await backend.reader.raw(
            """
            SELECT (created_at + \(literal: offset)) / 86400000 AS day, category_code, COUNT(*) AS n
            FROM tickets WHERE tenant_id = \(bind: tenantID) AND created_at >= \(bind: from.millisecondsSince1970)
              AND created_at < \(bind: to.millisecondsSince1970)
            GROUP BY (created_at + \(literal: offset)) / 86400000, category_code
            """
        ).all()
        return try rows.map {
            DailyVolume(day: Int(try $0.decode(column: "day", as: Int64.self)),
                        categoryCode: try $0.decode(column: "category_code", as: String?.self),
                        count: Int(try $0.decode(column: "n", as: Int64.self)))
        }
    }
}

/// Open tickets of one district (`nil`: not yet located).
public struct AreaLoad: Sendable, Equatable, Codable {
    public var districtCode: String?
    public var open: Int
    public var overdue: Int
    public init(districtCode: String?, open: Int, overdue: Int) {
        self.districtCode = districtCode
        self.open = open
        self.overdue = overdue
    }
}

/// Tickets filed on one local day (days since 1970-01-01 in the city's offset) in one category.
public struct DailyVolume: Sendable, Equatable {
    public var day: Int
    public var categoryCode: String?
    public var count: Int
    public init(day: Int, categoryCode: String?, count: Int) {
        self.day = day
        self.categoryCode = categoryCode
        self.count = count
    }
}

import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func saveTopic(_ topic: Topic, expectedVersion: Int?) async throws -> Topic {
        let body = String(decoding: try JSONEncoder.sorted.encode(topic), as: UTF8.self)
        return try await backend.transaction { db in
            var saved = topic
            if let expectedVersion {
                saved.version = expectedVersion + 1
                let savedBody = String(decoding: try JSONEncoder.sorted.encode(saved), as: UTF8.self)
                let rows = try await db.raw(
                    """
                    UPDATE topics SET month = \(bind: saved.month), body = \(bind: savedBody), updated_at = \(bind: saved.updatedAt.millisecondsSince1970), version = \(bind: Int64(saved.version))
                    WHERE id = \(bind: saved.id) AND tenant_id = \(bind: saved.tenantID) AND version = \(bind: Int64(expectedVersion)) RETURNING id
                    """
                ).all()
                guard rows.count == 1 else { throw StoreError.conflict("topic \(saved.id) was changed by someone else (or does not exist): reload it") }
                try await Self.logTopic(saved, body: savedBody, on: db)
                return saved
            }
            saved.version = 1
            try await db.raw(
                """
                INSERT INTO topics (id, tenant_id, month, body, updated_at, version)
                VALUES (\(bind: saved.id), \(bind: saved.tenantID), \(bind: saved.month), \(bind: body), \(bind: saved.updatedAt.millisecondsSince1970), 1)
                """
            ).run()
            try await Self.logTopic(saved, body: body, on: db)
            return saved
        }
    }

    static func logTopic(_ topic: Topic, body: String, on db: any SQLDatabase) async throws {
        try await db.raw(
            """
            INSERT INTO topic_log (topic_id, tenant_id, version, at, actor, body)
            VALUES (\(bind: topic.id), \(bind: topic.tenantID), \(bind: Int64(topic.version)), \(bind: topic.updatedAt.millisecondsSince1970), \(bind: topic.updatedBy), \(bind: body))
            """
        ).run()
    }

    public func topics(tenantID: String, month: String?) async throws -> [Topic] {
        let filter: SQLQueryString = month.map { " AND month = \(bind: $0)" } ?? ""
        return try await backend.reader.raw("SELECT body FROM topics WHERE tenant_id = \(bind: tenantID)\(filter) ORDER BY month DESC, id LIMIT 500")
            .all().map { try JSONDecoder().decode(Topic.self, from: Data(try $0.decode(column: "body", as: String.self).utf8)) }
    }

    public func topic(id: String, tenantID: String) async throws -> Topic? {
        try await backend.reader.raw("SELECT body FROM topics WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)").first()
            .map { try JSONDecoder().decode(Topic.self, from: Data(try $0.decode(column: "body", as: String.self).utf8)) }
    }

    public func topicHistory(id: String, tenantID: String) async throws -> [Topic] {
        try await backend.reader.raw("SELECT body FROM topic_log WHERE topic_id = \(bind: id) AND tenant_id = \(bind: tenantID) ORDER BY version")
            .all().map { try JSONDecoder().decode(Topic.self, from: Data(try $0.decode(column: "body", as: String.self).utf8)) }
    }

    public func newestTexts(tenantID: String, categories: [String], districts: [String], from: Date, to: Date, limit: Int) async throws -> [String] {
        var conditions: [SQLQueryString] = [
            "tenant_id = \(bind: tenantID)", "created_at >= \(bind: from.millisecondsSince1970)", "created_at < \(bind: to.millisecondsSince1970)",
        ]
        if !categories.isEmpty { conditions.append("category_code IN (\(binds: Array(categories.prefix(900))))") }
        if !districts.isEmpty { conditions.append("district_code IN (\(binds: Array(districts.prefix(100))))") }
        return try await backend.reader.raw(
            "SELECT title, description FROM tickets WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC LIMIT \(literal: max(1, min(limit, 50_000)))"
        ).all().map { try $0.decode(column: "title", as: String.self) + " " + $0.decode(column: "description", as: String.self) }
    }

}

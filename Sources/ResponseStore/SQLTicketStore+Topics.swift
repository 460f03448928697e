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

    public func countTickets(tenantID: String, categories: [String], districts: [String], words: [String], from: Date, to: Date) async throws -> Int {
        var conditions: [SQLQueryString] = [
            "tickets.tenant_id = \(bind: tenantID)", "tickets.created_at >= \(bind: from.millisecondsSince1970)", "tickets.created_at < \(bind: to.millisecondsSince1970)",
        ]
        if !categories.isEmpty { conditions.append("tickets.category_code IN (\(binds: Array(categories.prefix(900))))") }
        if !districts.isEmpty { conditions.append("tickets.district_code IN (\(binds: Array(districts.prefix(100))))") }
        for w in words.prefix(5) { conditions.append(backend.textMatch(w)) }
        let row = try await backend.reader.raw("SELECT COUNT(*) AS n FROM tickets WHERE \(conditions.joined(separator: " AND "))").first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }
}

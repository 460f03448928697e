import Foundation
import ResponseCore
import SQLKit

/// An answer built at one instant (a brief, a usual hotspot view), kept so it is served
/// rather than built again for every request.
public struct StoredAnswer: Sendable, Equatable {
    public var tenantID: String
    /// What it answers: a brief's day (`yyyy-MM-dd`) or month (`yyyy-MM`), or a view's name.
    public var name: String
    public var generatedAt: Date
    /// The answer as JSON; the store does not read it.
    public var body: Data

    public init(tenantID: String, name: String, generatedAt: Date, body: Data) {
        self.tenantID = tenantID
        self.name = name
        self.generatedAt = generatedAt
        self.body = body
    }

    /// Whether it was built less than `maxAge` before `now` (and not after it).
    public func isYoung(at now: Date, maxAge: TimeInterval) -> Bool {
        let age = now.timeIntervalSince(generatedAt)
        return age >= 0 && age < maxAge
    }
}

extension SQLTicketStore {
    public func saveAnswer(_ answer: StoredAnswer) async throws {
        try await backend.transaction { db in
            try await db.raw(
                """
                INSERT INTO stored_answers (tenant_id, name, generated_at, body)
                VALUES (\(bind: answer.tenantID), \(bind: answer.name), \(bind: answer.generatedAt.millisecondsSince1970), \(bind: String(decoding: answer.body, as: UTF8.self)))
                ON CONFLICT (tenant_id, name) DO UPDATE SET generated_at = excluded.generated_at, body = excluded.body
                WHERE excluded.generated_at >= stored_answers.generated_at
                """
            ).run()
        }
    }

    public func storedAnswer(tenantID: String, name: String) async throws -> StoredAnswer? {
        try await backend.reader.raw("SELECT generated_at, body FROM stored_answers WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name)")
            .first().map {
                StoredAnswer(tenantID: tenantID, name: name, generatedAt: Date(millisecondsSince1970: try $0.decode(column: "generated_at", as: Int64.self)),
                             body: Data(try $0.decode(column: "body", as: String.self).utf8))
            }
    }

    /// Drops the cities' stored answers, inside a transaction that changes their past.
    static func dropAnswers(of tenants: Set<String>, on db: any SQLDatabase) async throws {
        guard !tenants.isEmpty else { return }
        try await db.raw("DELETE FROM stored_answers WHERE tenant_id IN (\(binds: tenants.sorted()))").run()
    }
}

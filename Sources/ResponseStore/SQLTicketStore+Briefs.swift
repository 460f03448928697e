import Foundation
import ResponseCore
import SQLKit

/// A brief as built at one instant, kept so it is served rather than rebuilt.
public struct StoredBrief: Sendable, Equatable {
    public var tenantID: String
    /// The city day (`yyyy-MM-dd`) or month (`yyyy-MM`).
    public var period: String
    public var generatedAt: Date
    /// The brief as JSON; the store does not read it.
    public var body: Data

    public init(tenantID: String, period: String, generatedAt: Date, body: Data) {
        self.tenantID = tenantID
        self.period = period
        self.generatedAt = generatedAt
        self.body = body
    }
}

extension SQLTicketStore {
    public func saveBrief(_ brief: StoredBrief) async throws {
        try await backend.transaction { db in
            try await db.raw(
                """
                INSERT INTO briefs (tenant_id, period, generated_at, body)
                VALUES (\(bind: brief.tenantID), \(bind: brief.period), \(bind: brief.generatedAt.millisecondsSince1970), \(bind: String(decoding: brief.body, as: UTF8.self)))
                ON CONFLICT (tenant_id, period) DO UPDATE SET generated_at = excluded.generated_at, body = excluded.body
                WHERE excluded.generated_at >= briefs.generated_at
                """
            ).run()
        }
    }

    public func storedBrief(tenantID: String, period: String) async throws -> StoredBrief? {
        try await backend.reader.raw("SELECT generated_at, body FROM briefs WHERE tenant_id = \(bind: tenantID) AND period = \(bind: period)")
            .first().map {
                StoredBrief(tenantID: tenantID, period: period, generatedAt: Date(millisecondsSince1970: try $0.decode(column: "generated_at", as: Int64.self)),
                            body: Data(try $0.decode(column: "body", as: String.self).utf8))
            }
    }

    /// Drops the cities' stored briefs, inside a transaction that changes their past.
    static func dropBriefs(of tenants: Set<String>, on db: any SQLDatabase) async throws {
        guard !tenants.isEmpty else { return }
        try await db.raw("DELETE FROM briefs WHERE tenant_id IN (\(binds: tenants.sorted()))").run()
    }
}

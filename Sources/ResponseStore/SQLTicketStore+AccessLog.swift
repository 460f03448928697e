import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func recordAccess(_ records: [AccessRecord]) async throws {
        guard !records.isEmpty else { return }
        try await backend.transaction { db in
            for chunk in Self.chunks(records.map { r in
                SQLQueryString.bindList([r.id, r.tenantID, r.at.millisecondsSince1970, r.actor, r.role.rawValue, r.unit, r.ticket, r.route] as [any Encodable & Sendable])
            }) {
                try await db.raw(
                    "INSERT INTO access_log (id, tenant_id, at, actor, role, unit, ticket_number, route) VALUES \(chunk.joined(separator: ", "))"
                ).run()
            }
        }
    }

    public func accessLog(tenantID: String, ticket: String?, actor: String?, from: Date?, to: Date?, limit: Int) async throws -> [AccessRecord] {
        var conditions: [SQLQueryString] = ["tenant_id = \(bind: tenantID)"]
        if let ticket { conditions.append("ticket_number = \(bind: ticket)") }
        if let actor { conditions.append("actor = \(bind: actor)") }
        if let from { conditions.append("at >= \(bind: from.millisecondsSince1970)") }
        if let to { conditions.append("at < \(bind: to.millisecondsSince1970)") }
        let rows = try await backend.reader.raw(
            """
            SELECT id, tenant_id, at, actor, role, unit, ticket_number, route FROM access_log
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY at DESC, id LIMIT \(literal: max(1, min(limit, 1000)))
            """
        ).all()
        return try rows.map { row in
            guard let role = Role(rawValue: try row.decode(column: "role", as: String.self)) else { throw StoreError.conflict("unknown role in the access log") }
            return AccessRecord(
                id: try row.decode(column: "id", as: String.self), tenantID: try row.decode(column: "tenant_id", as: String.self),
                at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)),
                actor: Actor(name: try row.decode(column: "actor", as: String.self), role: role, unitCode: try row.decode(column: "unit", as: String?.self)),
                ticket: try row.decode(column: "ticket_number", as: String.self), route: try row.decode(column: "route", as: String.self))
        }
    }
}

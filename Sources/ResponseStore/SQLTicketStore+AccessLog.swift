import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func recordAccess(_ records: [AccessRecord]) async throws {
        guard !records.isEmpty else { return }
        try await backend.transaction { db in
            let rows = records.map { r in
                SQLQueryString.bindList([r.id, r.tenantID, r.at.millisecondsSince1970, r.actor, r.role.rawValue, r.unit, r.ticket, r.route] as [any Encodable & Sendable])
            }
            try await Self.insert(rows, into: "access_log", columns: "id, tenant_id, at, actor, role, unit, ticket_number, route", size: 150, on: db)
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

    public func accessSummary(tenantID: String, from: Date, to: Date, days: DayRange, top: Int) async throws -> AccessSummary {
        let window: SQLQueryString = "tenant_id = \(bind: tenantID) AND at >= \(bind: from.millisecondsSince1970) AND at < \(bind: to.millisecondsSince1970)"
        let lines = try await backend.reader.raw(
            """
            SELECT role, route, COUNT(*) AS n, COUNT(DISTINCT actor) AS people, COUNT(DISTINCT ticket_number) AS tickets
            FROM access_log WHERE \(window) GROUP BY role, route ORDER BY n DESC, role, route
            """
        ).all().map { row in
            AccessSummary.Line(
                role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .system, route: try row.decode(column: "route", as: String.self),
                records: Int(try row.decode(column: "n", as: Int64.self)), people: Int(try row.decode(column: "people", as: Int64.self)),
                tickets: Int(try row.decode(column: "tickets", as: Int64.self)))
        }
        let people = try await backend.reader.raw(
            """
            SELECT actor, role, MAX(unit) AS unit, COUNT(*) AS n, COUNT(DISTINCT ticket_number) AS tickets
            FROM access_log WHERE \(window) GROUP BY actor, role ORDER BY n DESC, actor LIMIT \(literal: max(1, min(top, 100)))
            """
        ).all().map { row in
            AccessSummary.Person(
                actor: try row.decode(column: "actor", as: String.self), role: Role(rawValue: try row.decode(column: "role", as: String.self)) ?? .system,
                unit: try row.decode(column: "unit", as: String?.self), records: Int(try row.decode(column: "n", as: Int64.self)),
                tickets: Int(try row.decode(column: "tickets", as: Int64.self)))
        }
        return AccessSummary(from: days.from, to: days.to, lines: lines, topPeople: people)
    }
}

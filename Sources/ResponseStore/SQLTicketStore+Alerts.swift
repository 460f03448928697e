import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func filings(tenantID: String, from: Date, to: Date, after: String?, limit: Int) async throws -> [Filing] {
        var conditions: [SQLQueryString] = [
            "tenant_id = \(bind: tenantID)", "created_at >= \(bind: from.millisecondsSince1970)", "created_at < \(bind: to.millisecondsSince1970)",
        ]
        if let after {
            // Keyset paging inside one instant: (created_at, id) after the last row read.
            conditions.append("(created_at > \(bind: from.millisecondsSince1970) OR id > \(bind: after))")
        }
        let rows = try await backend.reader.raw(
            """
            SELECT id, created_at, category_code, district_code, channel, complainant_phone, complainant_anonymous FROM tickets
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at, id LIMIT \(literal: max(1, min(limit, 50_000)))
            """
        ).all()
        return try rows.map {
            Filing(
                id: try $0.decode(column: "id", as: String.self),
                createdAt: Date(millisecondsSince1970: try $0.decode(column: "created_at", as: Int64.self)),
                category: try $0.decode(column: "category_code", as: String?.self) ?? "",
                district: try $0.decode(column: "district_code", as: String?.self) ?? "",
                channel: Channel(rawValue: try $0.decode(column: "channel", as: String.self)) ?? .other,
                caller: try $0.decode(column: "complainant_anonymous", as: Int64.self) != 0
                    ? nil : DemandFacts.callerKey(phone: try contacts.open(try $0.decode(column: "complainant_phone", as: String?.self)), hash: contacts.callerHash)?.key
            )
        }
    }

    public func saveAlert(_ alert: SpikeAlert, announce: Bool) async throws -> Bool {
        try await backend.transaction { db in
            let rows = try await db.raw(
                """
                INSERT INTO alerts (\(unsafeRaw: AlertRow.columnList), webhook_state, webhook_next_at)
                VALUES \(SQLQueryString.bindList(AlertRow.values(alert) + [announce ? "pending" : "none", announce ? alert.updatedAt.millisecondsSince1970 : nil]))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """
            ).all()
            return !rows.isEmpty
        }
    }

    public func claimAlertAnnouncements(tenantID: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [(alert: SpikeAlert, attempt: Int)] {
        try await backend.transaction { db in
            // Claimed by moving the next attempt past the lease: a second server finds nothing
            // due, and a server that dies mid-POST leaves it to be tried again after the lease.
            let rows = try await db.raw(
                """
                UPDATE alerts SET webhook_next_at = \(bind: now.addingTimeInterval(lease).millisecondsSince1970), webhook_attempts = webhook_attempts + 1
                WHERE id IN (
                  SELECT id FROM alerts WHERE tenant_id = \(bind: tenantID) AND webhook_state = 'pending' AND webhook_next_at <= \(bind: now.millisecondsSince1970)
                  ORDER BY webhook_next_at LIMIT \(literal: max(1, min(limit, 1000)))
                )
                RETURNING \(unsafeRaw: AlertRow.columnList), webhook_attempts
                """
            ).all()
            return try rows.map { (try AlertRow.decode($0), Int(try $0.decode(column: "webhook_attempts", as: Int64.self))) }
                .sorted { $0.0.detectedAt < $1.0.detectedAt }
        }
    }

    public func finishAlertAnnouncement(id: String, sent: Bool, nextAttempt: Date?) async throws {
        let state = sent ? "sent" : nextAttempt == nil ? "failed" : "pending"
        try await backend.transaction { db in
            try await db.raw(
                "UPDATE alerts SET webhook_state = \(bind: state), webhook_next_at = \(bind: sent ? nil : nextAttempt?.millisecondsSince1970) WHERE id = \(bind: id)"
            ).run()
        }
    }

    public func alerts(tenantID: String, from: Date, to: Date, status: SpikeAlert.Status?, limit: Int) async throws -> [SpikeAlert] {
        var conditions: [SQLQueryString] = [
            "tenant_id = \(bind: tenantID)", "detected_at >= \(bind: from.millisecondsSince1970)", "detected_at < \(bind: to.millisecondsSince1970)",
        ]
        if let status { conditions.append("status = \(bind: status.rawValue)") }
        return try await backend.reader.raw(
            "SELECT \(unsafeRaw: AlertRow.columnList) FROM alerts WHERE \(conditions.joined(separator: " AND ")) ORDER BY detected_at DESC, id LIMIT \(literal: max(1, min(limit, 1000)))"
        ).all().map(AlertRow.decode)
    }

    public func acknowledgeAlert(id: String, tenantID: String, by user: String, at now: Date) async throws -> SpikeAlert? {
        try await backend.transaction { db in
            try await db.raw(
                """
                UPDATE alerts SET status = \(bind: SpikeAlert.Status.acknowledged.rawValue), acknowledged_by = \(bind: user), updated_at = \(bind: now.millisecondsSince1970)
                WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) AND status = \(bind: SpikeAlert.Status.open.rawValue)
                """
            ).run()
            return try await db.raw("SELECT \(unsafeRaw: AlertRow.columnList) FROM alerts WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)")
                .first().map(AlertRow.decode)
        }
    }
}

/// A ticket's filing, as the early-warning detector reads it.
public struct Filing: Sendable, Equatable {
    public var id: String
    public var createdAt: Date
    /// Empty when not (yet) known.
    public var category: String
    public var district: String
    public var channel: Channel
    /// The caller as ``DemandFacts/caller`` keys them; `nil` when anonymous or without a phone.
    public var caller: String? = nil
}

/// The mapping between ``SpikeAlert`` and an `alerts` row.
enum AlertRow {
    static let columnList =
        "id, tenant_id, category_code, district_code, window_minutes, onset_at, detected_at, observed, expected, probability, status, acknowledged_by, updated_at"

    static func values(_ a: SpikeAlert) -> [any Encodable & Sendable] {
        [
            a.id, a.tenantID, a.category, a.district, Int64(a.windowMinutes), a.onset.millisecondsSince1970, a.detectedAt.millisecondsSince1970,
            Int64(a.observed), a.expected, a.probability, a.status.rawValue, a.acknowledgedBy, a.updatedAt.millisecondsSince1970,
        ]
    }

    static func decode(_ row: any SQLRow) throws -> SpikeAlert {
        func ms(_ c: String) throws -> Date { Date(millisecondsSince1970: try row.decode(column: c, as: Int64.self)) }
        var a = SpikeAlert(
            tenantID: try row.decode(column: "tenant_id", as: String.self), category: try row.decode(column: "category_code", as: String.self),
            district: try row.decode(column: "district_code", as: String.self), windowMinutes: Int(try row.decode(column: "window_minutes", as: Int64.self)),
            onset: try ms("onset_at"), detectedAt: try ms("detected_at"), observed: Int(try row.decode(column: "observed", as: Int64.self)),
            expected: try row.decode(column: "expected", as: Double.self), probability: try row.decode(column: "probability", as: Double.self),
            now: try ms("updated_at")
        )
        a.id = try row.decode(column: "id", as: String.self)
        a.status = SpikeAlert.Status(rawValue: try row.decode(column: "status", as: String.self)) ?? .open
        a.acknowledgedBy = try row.decode(column: "acknowledged_by", as: String?.self)
        return a
    }
}

extension SQLTicketStore {
    public func overdueByUnit(tenantID: String, now: Date, limit: Int) async throws -> [UnitOverdue] {
        // Read through (tenant, status, created_at): only open work, a small part of all tickets.
        let open = TicketStatus.allCases.filter(\.isOpenWork).map(\.rawValue)
        let rows = try await backend.reader.raw(
            """
            SELECT lead_unit, COUNT(*) AS n FROM tickets
            WHERE tenant_id = \(bind: tenantID) AND status IN (\(binds: open)) AND resolution_due < \(bind: now.millisecondsSince1970) AND lead_unit IS NOT NULL
            GROUP BY lead_unit ORDER BY n DESC, lead_unit LIMIT \(literal: max(1, min(limit, 1000)))
            """
        ).all()
        return try rows.map { UnitOverdue(unit: try $0.decode(column: "lead_unit", as: String.self), overdue: Int(try $0.decode(column: "n", as: Int64.self))) }
    }
}

/// How many open tickets of a unit are past their resolution deadline.
public struct UnitOverdue: Codable, Sendable, Equatable {
    public var unit: String
    public var unitName: String?
    public var overdue: Int
    public init(unit: String, unitName: String? = nil, overdue: Int) {
        self.unit = unit
        self.unitName = unitName
        self.overdue = overdue
    }
}

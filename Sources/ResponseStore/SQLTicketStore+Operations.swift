import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func workload(now: Date) async throws -> [CityWorkload] {
        var cities: [CityWorkload] = []
        for tenant in try await tenants() {
            cities.append(try await workload(tenantID: tenant.id, now: now))
        }
        return cities
    }

    public func storage() async throws -> StorageFigures {
        try await backend.storage()
    }

    public var stuckWrites: Int { backend.stuckSessions }

    /// One city's figures: each query reads one index, and the counts of open work read only
    /// the rows of open work (``SQLBackend/indexedBy(_:)`` keeps SQLite off the deadline index,
    /// which also holds every closed ticket).
    func workload(tenantID: String, now: Date) async throws -> CityWorkload {
        let db = backend.reader, at = now.millisecondsSince1970
        var city = CityWorkload(cityID: tenantID)
        let open = TicketStatus.open.map(\.rawValue), work = TicketStatus.allCases.filter(\.isOpenWork).map(\.rawValue)
        for row in try await db.raw(
            """
            SELECT status, COUNT(*) AS n FROM tickets \(backend.indexedBy("tickets_status"))
            WHERE tenant_id = \(bind: tenantID) AND status IN (\(binds: open)) GROUP BY status
            """
        ).all() {
            if let status = TicketStatus(rawValue: try row.decode(column: "status", as: String.self)) {
                city.byStatus[status] = try row.decode(column: "n", as: Int.self)
            }
        }
        city.overdue = try await db.raw(
            """
            SELECT COUNT(*) AS n FROM tickets \(backend.indexedBy("tickets_status"))
            WHERE tenant_id = \(bind: tenantID) AND status IN (\(binds: work)) AND resolution_due < \(bind: at)
            """
        ).first()?.decode(column: "n", as: Int.self) ?? 0
        for queue in TicketQuery.Queue.allCases {
            city.queues[queue] = try await db.raw(
                "SELECT COUNT(*) AS n FROM tickets WHERE tenant_id = \(bind: tenantID) AND \(ident: Self.column(of: queue)) IS NOT NULL"
            ).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let check = try await db.raw(
            "SELECT MIN(next_check_at) AS due FROM tickets WHERE tenant_id = \(bind: tenantID) AND next_check_at IS NOT NULL"
        ).first()?.decode(column: "due", as: Int64?.self)
        city.oldestDueCheck = check.flatMap { $0 <= at ? Date(millisecondsSince1970: $0) : nil }
        if let outbox = try await db.raw(
            "SELECT COUNT(*) AS n, MIN(next_attempt_at) AS due FROM notifications WHERE tenant_id = \(bind: tenantID) AND status = 'pending'"
        ).first() {
            city.outboxPending = try outbox.decode(column: "n", as: Int.self)
            city.oldestDueMessage = try outbox.decode(column: "due", as: Int64?.self).flatMap { $0 <= at ? Date(millisecondsSince1970: $0) : nil }
        }
        return city
    }
}

import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    /// A table whose rows hold sealed contact data.
    struct SealedTable: Sendable {
        var name: String
        var columns: [String]

        static let all = [
            SealedTable(name: "tickets", columns: ["complainant_name", "complainant_phone", "complainant_email"]),
            SealedTable(name: "notifications", columns: ["recipient"]),
        ]
    }

    /// Re-seals, under the current key, every row whose contact data another key sealed or that
    /// was written before sealing, in batches of `batchSize` rows, each batch its own short
    /// transaction: the server keeps filing while it runs. A row an action rewrote meanwhile is
    /// already sealed under the current key and is left alone.
    /// - Parameters:
    ///   - tenantID: Only this city's rows; every city's when `nil`.
    ///   - progress: Called after each batch with the rows re-sealed so far.
    /// - Returns: The rows re-sealed, tickets and notifications together.
    public func resealContacts(tenantID: String? = nil, batchSize: Int = 500, progress: @escaping @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        guard let current = contacts.current else { throw ContactKeyError("no key seals: rotation needs contact keys") }
        let batch = max(1, min(batchSize, 5_000))
        let city: SQLQueryString = tenantID.map { " AND tenant_id = \(bind: $0)" } ?? ""
        var total = 0
        for table in SealedTable.all {
            while true {
                let rows = try await backend.reader.raw(
                    """
                    SELECT id, contact_key, \(unsafeRaw: table.columns.joined(separator: ", ")) FROM \(ident: table.name)
                    WHERE contact_key IS NOT NULL AND contact_key <> \(bind: current)\(city) ORDER BY contact_key, id LIMIT \(literal: batch)
                    """
                ).all()
                guard !rows.isEmpty else { break }
                var updates: [(id: String, was: String, values: [String?])] = []
                for row in rows {
                    let values = try table.columns.map { try contacts.seal(try contacts.open(try row.decode(column: $0, as: String?.self))) }
                    updates.append((try row.decode(column: "id", as: String.self), try row.decode(column: "contact_key", as: String.self), values))
                }
                let planned = updates
                try await backend.transaction { db in
                    for u in planned {
                        let assignments = zip(table.columns, u.values).map { column, value -> SQLQueryString in "\(ident: column) = \(bind: value)" }
                        try await db.raw(
                            """
                            UPDATE \(ident: table.name) SET \(assignments.joined(separator: ", ")), contact_key = \(bind: current)
                            WHERE id = \(bind: u.id) AND contact_key = \(bind: u.was)
                            """
                        ).run()
                    }
                }
                total += rows.count
                progress(total)
            }
        }
        return total
    }

    /// How many rows hold contact data sealed under each key (`""`: written before sealing),
    /// of one city or of all.
    public func contactKeyUse(tenantID: String? = nil) async throws -> [String: Int] {
        var use: [String: Int] = [:]
        let city: SQLQueryString = tenantID.map { " AND tenant_id = \(bind: $0)" } ?? ""
        for table in SealedTable.all {
            let rows = try await backend.reader.raw(
                "SELECT contact_key, COUNT(*) AS n FROM \(ident: table.name) WHERE contact_key IS NOT NULL\(city) GROUP BY contact_key"
            ).all()
            for row in rows { use[try row.decode(column: "contact_key", as: String.self), default: 0] += Int(try row.decode(column: "n", as: Int64.self)) }
        }
        return use
    }
}

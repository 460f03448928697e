import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func repeats(tenantID: String, kind: RepeatKind, range: DayRange, minimum: Int, limit: Int) async throws -> [RepeatEntry] {
        let (days, months) = range.split()
        let limit = max(1, min(limit, 1000)), minimum = Int64(max(1, minimum))
        if let months, days.isEmpty, DayRange.month(months.from).map({ $0.to.prefix(7) == months.to }) == true {
            return try await monthRepeats(tenantID: tenantID, kind: kind, month: months.from, minimum: minimum, limit: limit)
        }
        // A rolling window: the days at either end from the daily rows, the whole months between
        // from the monthly rows. First the counts per caller or place, off indexes alone (most
        // appear once: their labels are never read), then the labels of those listed.
        func parts(_ columns: SQLQueryString, keys: [String]?) -> [SQLQueryString] {
            let only: SQLQueryString = keys.map { " AND key IN (\(binds: $0))" } ?? ""
            var parts: [SQLQueryString] = days.map {
                """
                SELECT \(columns) FROM demand_repeat_days
                WHERE tenant_id = \(bind: tenantID) AND kind = \(bind: kind.rawValue) AND day >= \(bind: $0.from) AND day < \(bind: $0.to)\(only)
                """
            }
            if let months {
                parts.append(
                    """
                    SELECT \(columns) FROM demand_repeats
                    WHERE tenant_id = \(bind: tenantID) AND kind = \(bind: kind.rawValue) AND month >= \(bind: months.from) AND month < \(bind: months.to)\(only)
                    """)
            }
            return parts
        }
        let counting = parts("key, tickets", keys: nil)
        guard !counting.isEmpty else { return [] }
        let counted = try await backend.reader.raw(
            """
            SELECT key, CAST(SUM(tickets) AS BIGINT) AS n FROM (\(counting.joined(separator: " UNION ALL "))) r
            GROUP BY key HAVING SUM(tickets) >= \(bind: minimum) ORDER BY n DESC, key LIMIT \(literal: limit)
            """
        ).all().map { (key: try $0.decode(column: "key", as: String.self), tickets: Int(try $0.decode(column: "n", as: Int64.self))) }
        guard !counted.isEmpty else { return [] }
        let labels = try await backend.reader.raw(
            """
            SELECT key, MAX(label) AS label, MAX(last_number) AS last_number
            FROM (\(parts("key, label, last_number", keys: counted.map(\.key)).joined(separator: " UNION ALL "))) r GROUP BY key
            """
        ).all().reduce(into: [String: (label: String, last: String)]()) {
            $0[try $1.decode(column: "key", as: String.self)] = (try $1.decode(column: "label", as: String.self), try $1.decode(column: "last_number", as: String.self))
        }
        return counted.map { RepeatEntry(key: $0.key, label: labels[$0.key]?.label ?? "", tickets: $0.tickets, lastNumber: labels[$0.key]?.last ?? "") }
    }

    /// One calendar month, in descending order off the (tenant, month, kind, tickets) index: no
    /// sort of the month.
    private func monthRepeats(tenantID: String, kind: RepeatKind, month: String, minimum: Int64, limit: Int) async throws -> [RepeatEntry] {
        let rows = try await backend.reader.raw(
            """
            SELECT key, label, tickets, last_number FROM demand_repeats
            WHERE tenant_id = \(bind: tenantID) AND month = \(bind: month) AND kind = \(bind: kind.rawValue) AND tickets >= \(bind: minimum)
            ORDER BY tickets DESC, key LIMIT \(literal: limit)
            """
        ).all()
        return try rows.map {
            RepeatEntry(key: try $0.decode(column: "key", as: String.self), label: try $0.decode(column: "label", as: String.self),
                        tickets: Int(try $0.decode(column: "tickets", as: Int64.self)), lastNumber: try $0.decode(column: "last_number", as: String.self))
        }
    }
}

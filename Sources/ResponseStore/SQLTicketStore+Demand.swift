import Foundation
import ResponseCore
import SQLKit
import Synchronization

/// One change to the demand aggregates: a ticket filed (+1), or moved between keys by a
/// re-classification or re-location (−1 at the old key, +1 at the new).
struct DemandChange {
    var tenantID: String
    var facts: DemandFacts
    var sign: Int64
    /// Repeat callers and places count filings only, never re-classifications.
    var countsRepeats: Bool
}

extension SQLTicketStore {
    /// Adds changes to the aggregates in the caller's transaction. Changes are combined per key
    /// first: one multi-row upsert may not touch a row twice (PostgreSQL refuses it).
    static func recordDemand(_ changes: [DemandChange], on db: any SQLDatabase) async throws {
        guard !changes.isEmpty else { return }
        struct PlaceKey: Hashable { var tenant, period, category, place: String }
        struct CellKey: Hashable { var tenant, category, day: String; var cell: Int64; var street: String }
        struct RepeatKey: Hashable { var tenant, period, kind, key: String }
        var daily: [PlaceKey: Int64] = [:], monthly: [PlaceKey: Int64] = [:], streets: [PlaceKey: Int64] = [:], cells: [CellKey: Int64] = [:]
        // Repeats are kept per month (whole months read fast) and per day (rolling windows).
        var repeats: [RepeatKey: (label: String, tickets: Int64, last: String)] = [:], repeatDays = repeats
        for change in changes {
            let f = change.facts
            daily[PlaceKey(tenant: change.tenantID, period: f.day, category: f.category, place: f.district), default: 0] += change.sign
            monthly[PlaceKey(tenant: change.tenantID, period: f.month, category: f.category, place: f.district), default: 0] += change.sign
            if !f.street.isEmpty { streets[PlaceKey(tenant: change.tenantID, period: f.day, category: f.category, place: f.street), default: 0] += change.sign }
            if let cell = f.cell {
                cells[CellKey(tenant: change.tenantID, category: f.category, day: f.day, cell: cell.id, street: f.street), default: 0] += change.sign
            }
            guard change.countsRepeats else { continue }
            for (kind, key, label) in [("caller", f.caller, f.callerLabel), ("address", f.address, f.addressLabel)] {
                guard let key, let label else { continue }
                func add(_ k: RepeatKey, to sums: inout [RepeatKey: (label: String, tickets: Int64, last: String)]) {
                    let before = sums[k]
                    sums[k] = (before?.label ?? label, (before?.tickets ?? 0) + change.sign, max(before?.last ?? "", f.number))
                }
                add(RepeatKey(tenant: change.tenantID, period: f.month, kind: kind, key: key), to: &repeats)
                add(RepeatKey(tenant: change.tenantID, period: f.day, kind: kind, key: key), to: &repeatDays)
            }
        }
        for (table, period, place, sums) in [("demand_daily", "day", "district_code", daily), ("demand_monthly", "month", "district_code", monthly),
                                             ("demand_streets", "day", "street_code", streets)] {
            let rows = sums.filter { $0.value != 0 }.map { k, v in SQLQueryString.bindList([k.tenant, k.period, k.category, k.place, v]) }
            try await Self.insert(
                rows, into: "\(ident: table)", columns: "tenant_id, \(ident: period), category_code, \(ident: place), tickets", size: 150,
                suffix: " ON CONFLICT (tenant_id, \(ident: place), \(ident: period), category_code) DO UPDATE SET tickets = \(ident: table).tickets + excluded.tickets",
                on: db
            )
        }
        let cellRows = cells.filter { $0.value != 0 }.map { k, v in SQLQueryString.bindList([k.tenant, k.category, k.day, k.cell, k.street, v]) }
        try await Self.insert(
            cellRows, into: "demand_cells", columns: "tenant_id, category_code, day, cell, street_code, tickets", size: 150,
            suffix: " ON CONFLICT (tenant_id, category_code, day, cell, street_code) DO UPDATE SET tickets = demand_cells.tickets + excluded.tickets", on: db
        )
        // Each table's conflict target names its primary key's columns in order.
        for (table, period, key, sums) in [("demand_repeats", "month", "tenant_id, month, kind, key", repeats),
                                           ("demand_repeat_days", "day", "tenant_id, kind, key, day", repeatDays)] {
            let rows = sums.map { k, v in SQLQueryString.bindList([k.tenant, k.period, k.kind, k.key, v.label, v.tickets, v.last]) }
            try await Self.insert(
                rows, into: "\(ident: table)", columns: "tenant_id, \(ident: period), kind, key, label, tickets, last_number", size: 150,
                suffix: """
                 ON CONFLICT (\(unsafeRaw: key)) DO UPDATE SET tickets = \(ident: table).tickets + excluded.tickets, \
                last_number = CASE WHEN excluded.last_number > \(ident: table).last_number THEN excluded.last_number ELSE \(ident: table).last_number END
                """, on: db
            )
        }
    }

    /// The change `apply` owes the aggregates when an action moved a ticket between keys.
    static func demandMove(from before: Ticket, to after: Ticket, days: DayKeys, callers: @escaping DemandFacts.CallerHash) -> [DemandChange] {
        let old = DemandFacts.of(before, days: days, callers: callers), new = DemandFacts.of(after, days: days, callers: callers)
        guard !old.sameKeys(as: new) else { return [] }
        return [
            DemandChange(tenantID: before.tenantID, facts: old, sign: -1, countsRepeats: false),
            DemandChange(tenantID: after.tenantID, facts: new, sign: 1, countsRepeats: false),
        ]
    }

    public func demandCounts(tenantID: String, range: DayRange, district: String?, street: String?) async throws -> [DemandCount] {
        if let street {
            // A street's own rows, day by day: few enough without a monthly table.
            let rows = try await backend.reader.raw(
                """
                SELECT category_code, CAST(SUM(CAST(tickets AS INTEGER)) AS BIGINT) AS n FROM demand_streets
                WHERE tenant_id = \(bind: tenantID) AND street_code = \(bind: street) AND day >= \(bind: range.from) AND day < \(bind: range.to)
                GROUP BY category_code
                """
            ).all()
            return try rows.compactMap { row in
                let n = Int(try row.decode(column: "n", as: Int64.self))
                return n > 0 ? DemandCount(category: try row.decode(column: "category_code", as: String.self), district: "", street: street, tickets: n) : nil
            }
        }
        let (days, months) = range.split()
        var parts: [(table: String, column: String, from: String, to: String)] = days.map { ("demand_daily", "day", $0.from, $0.to) }
        if let months { parts.append(("demand_monthly", "month", months.from, months.to)) }
        var sums: [DemandCount.Key: Int] = [:]
        for part in parts {
            var conditions: [SQLQueryString] = [
                "tenant_id = \(bind: tenantID)", "\(ident: part.column) >= \(bind: part.from)", "\(ident: part.column) < \(bind: part.to)",
            ]
            if let district { conditions.append("district_code = \(bind: district)") }
            let rows = try await backend.reader.raw(
                """
                SELECT category_code, district_code, CAST(SUM(CAST(tickets AS INTEGER)) AS BIGINT) AS n FROM \(ident: part.table)
                WHERE \(conditions.joined(separator: " AND ")) GROUP BY category_code, district_code
                """
            ).all()
            for row in rows {
                let key = DemandCount.Key(
                    category: try row.decode(column: "category_code", as: String.self), district: try row.decode(column: "district_code", as: String.self), street: ""
                )
                sums[key, default: 0] += Int(try row.decode(column: "n", as: Int64.self))
            }
        }
        return sums.filter { $0.value > 0 }.map { DemandCount(key: $0.key, tickets: $0.value) }
    }

    public func demandCells(tenantID: String, range: DayRange, categories: [String]?, cells: [Int64]?, minimumPerCell: Int) async throws -> [DemandCell] {
        var conditions: [SQLQueryString] = ["tenant_id = \(bind: tenantID)", "day >= \(bind: range.from)", "day < \(bind: range.to)"]
        if let categories {
            guard !categories.isEmpty else { return [] }
            conditions.append("category_code IN (\(binds: Array(categories.prefix(400))))")
        }
        if let cells {
            guard !cells.isEmpty else { return [] }
            conditions.append("cell IN (\(binds: Array(cells.prefix(400))))")
        }
        // SUM over 32-bit values: PostgreSQL sums BIGINT into NUMERIC, several times slower.
        // Some cells are read by place; left alone, SQLite reads them through the primary key's
        // city prefix, every cell of the city.
        let index: SQLQueryString = cells == nil ? "" : backend.indexedBy("demand_cells_place")
        let query: SQLQueryString = """
            SELECT category_code, cell, street_code, CAST(SUM(CAST(tickets AS INTEGER)) AS BIGINT) AS n FROM demand_cells \(index)
            WHERE \(conditions.joined(separator: " AND ")) GROUP BY category_code, cell, street_code
            HAVING SUM(CAST(tickets AS INTEGER)) >= \(literal: max(1, minimumPerCell))
            """
        return try await backend.analyticalRead { db in
            try await db.raw(query).all().compactMap { row in
                let n = Int(try row.decode(column: "n", as: Int64.self))
                guard n > 0 else { return nil }
                return DemandCell(category: try row.decode(column: "category_code", as: String.self), cell: GridCell(id: try row.decode(column: "cell", as: Int64.self)),
                                  street: try row.decode(column: "street_code", as: String.self), tickets: n)
            }
        }
    }

    public func recentTickets(tenantID: String, categories: [String], from: Date, to: Date, district: String?, limit: Int) async throws -> [TicketSummary] {
        // One indexed query per category, each reading its newest rows off (tenant, category,
        // created_at): a single IN query would sort every match of a busy category.
        let limit = max(1, min(limit, 5_000))
        var all: [TicketSummary] = []
        for code in categories.prefix(200) {
            var conditions: [SQLQueryString] = [
                "tenant_id = \(bind: tenantID)", "category_code = \(bind: code)",
                "created_at >= \(bind: from.millisecondsSince1970)", "created_at < \(bind: to.millisecondsSince1970)",
            ]
            if let district { conditions.append("district_code = \(bind: district)") }
            let rows = try await backend.reader.raw(
                """
                SELECT number, title, description, category_code, district_code, street_code, latitude, longitude, created_at FROM tickets
                WHERE \(conditions.joined(separator: " AND ")) ORDER BY created_at DESC LIMIT \(literal: limit)
                """
            ).all()
            all += try rows.map { row in
                TicketSummary(
                    number: try row.decode(column: "number", as: String.self), title: try row.decode(column: "title", as: String.self),
                    description: try row.decode(column: "description", as: String.self), category: try row.decode(column: "category_code", as: String?.self),
                    district: try row.decode(column: "district_code", as: String?.self), street: try row.decode(column: "street_code", as: String?.self),
                    latitude: try row.decode(column: "latitude", as: Double?.self), longitude: try row.decode(column: "longitude", as: Double?.self),
                    createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self))
                )
            }
        }
        all.sort { ($0.createdAt, $0.number) > ($1.createdAt, $1.number) }
        return Array(all.prefix(limit))
    }

    public func placedTickets(tenantID: String, categories: [String], from: Date, to: Date, bounds b: GeoBounds, limit: Int) async throws -> [PlacedTicket] {
        guard !categories.isEmpty else { return [] }
        // Every column read is in the index of category, time and place (migration 13): the box
        // is tested on its entries, and only the few inside are sorted. One query for all the
        // categories: a round trip each cost more than the walk on PostgreSQL. SQLite, without
        // statistics, would walk the period in the time index instead.
        let rows = try await backend.reader.raw(
            """
            SELECT number, latitude, longitude, created_at FROM tickets \(backend.indexedBy("tickets_category"))
            WHERE tenant_id = \(bind: tenantID) AND category_code IN (\(binds: Array(categories.prefix(400))))
              AND created_at >= \(bind: from.millisecondsSince1970) AND created_at < \(bind: to.millisecondsSince1970)
              AND latitude >= \(bind: b.south) AND latitude <= \(bind: b.north) AND longitude >= \(bind: b.west) AND longitude <= \(bind: b.east)
            ORDER BY created_at DESC, number DESC LIMIT \(literal: max(1, min(limit, 5_000)))
            """
        ).all()
        return try rows.map { row in
            PlacedTicket(
                number: try row.decode(column: "number", as: String.self), latitude: try row.decode(column: "latitude", as: Double.self),
                longitude: try row.decode(column: "longitude", as: Double.self),
                createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self))
            )
        }
    }

    public func rebuildDemand(tenantID: String, timeZone: String, progress: @escaping @Sendable (Int) -> Void) async throws -> Int {
        try await backend.transaction { db in
            for table in ["demand_daily", "demand_monthly", "demand_streets", "demand_cells", "demand_repeats", "demand_repeat_days", "stored_answers"] {
                try await db.raw("DELETE FROM \(ident: table) WHERE tenant_id = \(bind: tenantID)").run()
            }
        }
        let days = DayKeys(identifier: timeZone)
        let counted = Counted()
        try await forEachTicket(tenantID: tenantID, batchSize: 500) { tickets in
            let changes = tickets.map { DemandChange(tenantID: tenantID, facts: DemandFacts.of($0, days: days, callers: self.contacts.callerHash), sign: 1, countsRepeats: true) }
            try await self.backend.transaction { db in try await Self.recordDemand(changes, on: db) }
            progress(counted.add(tickets.count))
        }
        return counted.add(0)
    }
}

/// A running total shared with a `@Sendable` closure.
private final class Counted: Sendable {
    private let value = Mutex(0)
    func add(_ n: Int) -> Int { value.withLock { $0 += n; return $0 } }
}

/// Tickets filed with one category in one place.
public struct DemandCount: Sendable, Equatable {
    public struct Key: Hashable, Sendable {
        public var category: String
        public var district: String
        /// Empty unless counted by street.
        public var street: String
    }
    public var key: Key
    public var tickets: Int
    public var category: String { key.category }
    public var district: String { key.district }
    public var street: String { key.street }

    public init(category: String, district: String, street: String = "", tickets: Int) {
        self.init(key: Key(category: category, district: district, street: street), tickets: tickets)
    }

    init(key: Key, tickets: Int) {
        self.key = key
        self.tickets = tickets
    }
}

/// Tickets of one category in one grid cell (and street).
public struct DemandCell: Sendable, Equatable {
    public var category: String
    public var cell: GridCell
    public var street: String
    public var tickets: Int

    public init(category: String, cell: GridCell, street: String, tickets: Int) {
        self.category = category
        self.cell = cell
        self.street = street
        self.tickets = tickets
    }
}

/// Which repeat list.
public enum RepeatKind: String, Sendable, CaseIterable, Codable {
    case caller, address
}

/// A caller or place that filed many tickets in a month.
public struct RepeatEntry: Sendable, Equatable {
    /// A hash of the phone digits, or the normalised address.
    public var key: String
    /// The masked phone, or the address as written.
    public var label: String
    public var tickets: Int
    public var lastNumber: String
}

/// A box of coordinates.
public struct GeoBounds: Sendable, Equatable {
    public var south, west, north, east: Double
    public init(south: Double, west: Double, north: Double, east: Double) {
        self.south = south
        self.west = west
        self.north = north
        self.east = east
    }
}

/// The few fields analysis reads from a ticket (no personal data).
/// Where and when a ticket was filed.
public struct PlacedTicket: Sendable, Equatable {
    public var number: String
    public var latitude: Double
    public var longitude: Double
    public var createdAt: Date
}

public struct TicketSummary: Sendable, Equatable {
    public var number: String
    public var title: String
    public var description: String
    public var category: String?
    public var district: String?
    public var street: String?
    public var latitude: Double?
    public var longitude: Double?
    public var createdAt: Date
}

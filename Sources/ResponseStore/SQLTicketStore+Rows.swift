import Foundation
import ResponseCore
import SQLKit

/// Many rows at once: the one way the store writes a batch, on both engines.
extension SQLTicketStore {
    /// Rows in groups that stay far below both engines' limit on bound parameters.
    static func chunks<Row>(_ rows: [Row], size: Int = 150) -> [[Row]] {
        stride(from: 0, to: rows.count, by: size).map { Array(rows[$0..<min($0 + size, rows.count)]) }
    }

    /// `INSERT INTO table (columns) VALUES …` of many rows, one statement per `size` rows, each
    /// ending with `suffix` (an `ON CONFLICT` clause).
    static func insert(
        _ rows: [SQLQueryString], into table: SQLQueryString, columns: SQLQueryString, size: Int = 100,
        suffix: SQLQueryString = "", on db: any SQLDatabase
    ) async throws {
        for chunk in chunks(rows, size: size) {
            try await db.raw("INSERT INTO \(table) (\(columns)) VALUES \(chunk.joined(separator: ", "))\(suffix)").run()
        }
    }

    static func insert(events: some Sequence<TicketEvent>, on db: any SQLDatabase) async throws {
        try await insert(events.map { SQLQueryString.bindList(try EventRow.values($0)) }, into: "events", columns: "\(unsafeRaw: EventRow.columnList)", on: db)
    }

    static func insert(tickets: some Sequence<Ticket>, contacts: ContactKeys, on db: any SQLDatabase) async throws {
        try await insert(tickets.map { SQLQueryString.bindList(try TicketRow.values($0, contacts: contacts)) },
                         into: "tickets", columns: "\(unsafeRaw: TicketRow.columnList)", on: db)
    }
}

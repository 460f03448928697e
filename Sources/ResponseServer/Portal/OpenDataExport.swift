import Foundation
import ResponseCore
import ResponseStore

/// Reads a city's tickets as open-data records, for the API and the daily files alike.
public enum OpenDataExport {
    /// Units' and categories' names of a city, as records need them.
    public static func names(store: any TicketStore, tenantID: String) async throws -> PublicRecord.Names {
        PublicRecord.Names(
            units: Dictionary(try await store.units(tenantID: tenantID).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a }),
            categories: Dictionary(try await store.categories(tenantID: tenantID).map { ($0.code, (name: $0.name, parent: $0.parentCode)) },
                                   uniquingKeysWith: { a, _ in a }))
    }

    /// Emits every ticket filed in `from..<to` as a CSV line or a JSON line, in filing order,
    /// reading 500 at a time; returns how many.
    public static func write(
        store: any TicketStore, tenantID: String, from: Date, to: Date, names: PublicRecord.Names, policy: PublicRecord.Policy,
        timeZone: TimeZone, csv: Bool, emit: (String) -> Void
    ) async throws -> Int {
        var query = TicketQuery()
        query.sort = .createdAsc
        query.createdFrom = from
        query.createdTo = to
        query.limit = 500
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        var count = 0
        while true {
            let page = try await store.listTickets(query, tenantID: tenantID)
            var chunk = ""
            for ticket in page.tickets {
                let record = PublicRecord(ticket, names: names, policy: policy, timeZone: timeZone)
                chunk += (csv ? record.csvLine : String(decoding: try encoder.encode(record), as: UTF8.self)) + "\n"
            }
            if !chunk.isEmpty { emit(chunk) }
            count += page.tickets.count
            guard let next = page.next else { break }
            query.after = next
        }
        return count
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ResponseCore
import ResponseStore

/// `GET /api/v1/public/open-data`: the city's tickets as anonymised open data in the shape of
/// NYC 311 service requests (docs/open-data.md), as JSON pages or CSV, filed between two local days.
struct OpenDataController: ServerFace {
    let server: ServerServices
    let names = CityCache<PublicRecord.Names>(lifetime: 60)

    struct Page: Encodable, Sendable {
        var items: [PublicRecord]
        /// Pass as `after` for the next page; absent on the last.
        var next: String?
    }

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/public/open-data", summary: "Anonymised open data (NYC 311 shape) of tickets filed from one local day to another, paged; JSON or CSV",
                tag: "public", access: .public, response: "OpenDataPage", query: [
                    .init(name: "from", description: "first local day, yyyy-MM-dd (default: yesterday)", schemaType: "string"),
                    .init(name: "to", description: "day after the last, yyyy-MM-dd (default: the day after from)", schemaType: "string"),
                    .init(name: "format", description: "json (default) or csv", schemaType: "string"),
                    .init(name: "limit", description: "1–1000, default 500", schemaType: "integer"),
                    .init(name: "after", description: "the `next` of the previous page (CSV: the X-Next-Cursor header)", schemaType: "string"),
                ], handler: page)
    }

    @Sendable func page(_ request: Request, context: AppRequestContext) async throws -> Response {
        let city = try await cities.city(configuration.tenant.id)
        let zone = city.timeZone
        let params = request.uri.queryParameters
        func value(_ name: String) -> String? { params[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        var errors: [FieldError] = []
        let days = city.days
        func day(_ name: String) -> Date? {
            guard let text = value(name) else { return nil }
            guard text.count == 10, let date = days.start(ofValidDay: text) else {
                errors.append(FieldError(field: name, message: "a day such as 2026-11-25"))
                return nil
            }
            return date
        }
        let today = days.startOfDay(clock.now())
        let from = day("from") ?? days.adding(days: -1, to: today) ?? today
        let to = day("to") ?? days.adding(days: 1, to: from) ?? from
        if to <= from { errors.append(FieldError(field: "to", message: "must be after from")) }
        if to.timeIntervalSince(from) > 366 * 86_400 { errors.append(FieldError(field: "to", message: "at most 366 days after from")) }
        let format = value("format") ?? "json"
        if !["json", "csv"].contains(format) { errors.append(FieldError(field: "format", message: "json or csv")) }
        var query = TicketQuery()
        query.sort = .createdAsc
        query.createdFrom = from
        query.createdTo = to
        query.limit = 500
        if let raw = value("limit") {
            if let n = Int(raw), (1...1000).contains(n) { query.limit = n } else { errors.append(FieldError(field: "limit", message: "an integer from 1 to 1000")) }
        }
        if let raw = value("after") {
            if let cursor = TicketQuery.Cursor(token: raw) { query.after = cursor } else { errors.append(FieldError(field: "after", message: "not a cursor returned by this API")) }
        }
        guard errors.isEmpty else { throw Problem.badRequest("invalid query parameters", errors: errors) }

        let names = try await self.names.value(city.id, now: clock.now()) { try await OpenDataExport.names(store: store, tenantID: city.id) }
        let result = try await store.listTickets(query, tenantID: city.id)
        let records = result.tickets.map { PublicRecord($0, names: names, policy: configuration.disclosure, timeZone: zone) }
        var headers = HTTPFields()
        headers[.cacheControl] = "public, max-age=60"
        if format == "csv" {
            headers[.contentType] = "text/csv; charset=utf-8"
            if let next = result.next?.token { headers[.nextCursor] = next }
            let body = ([PublicRecord.columns.joined(separator: ",")] + records.map(\.csvLine)).joined(separator: "\n") + "\n"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(Page(items: records, next: result.next?.token)))))
    }
}

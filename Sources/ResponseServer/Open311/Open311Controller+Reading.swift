import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ResponseCore
import ResponseStore

/// Open311 reading: `GET requests`, one request, a token's request.
extension Open311Controller {
    @Sendable func requests(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        let form = call.form
        var query = TicketQuery()
        query.sort = .createdDesc
        if let ids = form["service_request_id"] {
            // A list of ids overrides every other parameter.
            query.numbers = Self.commaList(ids)
            if query.numbers.count > 1_000 { throw Failure.badRequest("at most 1000 service_request_id values") }
            query.limit = 1_000
        } else {
            if let codes = form["service_code"] {
                query.categories = Self.commaList(codes)
            }
            if let statuses = form["status"] {
                var wanted: Set<String> = []
                for s in Self.commaList(statuses).map({ $0.lowercased() }) {
                    guard s == "open" || s == "closed" else { throw Failure.badRequest("status must be open, closed or both, comma-separated") }
                    wanted.insert(s)
                }
                if wanted.count == 1 { query.statuses = TicketStatus.allCases.filter { wanted.contains(Open311Status.basic($0)) } }
            }
            let (from, to) = try window(call)
            query.createdFrom = from
            query.createdTo = to
            let size = try integer(call, "page_size", default: 1_000, range: 1...1_000)
            let page = try integer(call, "page", default: 1, range: 1...1_000_000)
            query.limit = size
            query.offset = (page - 1) * size
        }
        let tickets = try await store.listTickets(query, tenantID: call.tenant.id).tickets
        return (.ok, try await requestsDocument(tickets, call))
    }

    /// `a, b,,c` → `["a", "b", "c"]`.
    static func commaList(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func singleRequest(_ call: Call, _ number: String) async throws -> (HTTPResponse.Status, Open311Document) {
        guard let ticket = try await store.ticket(number: number, tenantID: call.tenant.id) else {
            throw Failure.notFound("service_request_id \(number) not found")
        }
        return (.ok, try await requestsDocument([ticket], call))
    }

    func token(_ call: Call, _ token: String) async throws -> (HTTPResponse.Status, Open311Document) {
        guard let number = try await store.open311Token(token, tenantID: call.tenant.id) else { throw Failure.notFound("token \(token) not found") }
        return (.ok, Open311Document(root: "service_requests", item: "request", items: [
            .object([("service_request_id", .string(number)), ("token", .string(token))]),
        ]))
    }

    /// `start_date`/`end_date` as the specification reads them: the last 90 days by default, a
    /// missing end 90 days after the start, and never more than 90 days.
    func window(_ call: Call) throws -> (Date, Date) {
        let span: TimeInterval = 90 * 86_400
        func parse(_ name: String) throws -> Date? {
            guard let text = call.form[name] else { return nil }
            guard let date = Open311Document.parseW3CDate(text, timeZone: call.timeZone) else {
                throw Failure.badRequest("\(name) must be a W3C datetime such as 2026-11-01T00:00:00+08:00")
            }
            return date
        }
        let start = try parse("start_date"), end = try parse("end_date")
        let to = end ?? start.map { $0.addingTimeInterval(span) } ?? clock.now().addingTimeInterval(1)
        let from = start ?? to.addingTimeInterval(-span)
        guard from < to else { throw Failure.badRequest("start_date must be before end_date") }
        guard to.timeIntervalSince(from) <= span + 1 else { throw Failure.badRequest("start_date and end_date may not span more than 90 days") }
        return (from, to)
    }

    func integer(_ call: Call, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = call.form[name] else { return value }
        guard let n = Int(text.trimmingCharacters(in: .whitespaces)), range.contains(n) else {
            throw Failure.badRequest("\(name) must be an integer from \(range.lowerBound) to \(range.upperBound)")
        }
        return n
    }

    /// Unit code → name, for `agency_responsible` and the feed's sentences.
    func unitNames(_ call: Call) async throws -> [String: String] {
        Dictionary(try await store.units(tenantID: call.tenant.id).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
    }

    /// `service_requests`: no contact field ever, and personal data scrubbed from the texts.
    func requestsDocument(_ tickets: [Ticket], _ call: Call) async throws -> Open311Document {
        let units = try await unitNames(call)
        let categories = Dictionary(try await store.categories(tenantID: call.tenant.id).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let items: [Open311Value] = tickets.map { t in
            // Rendered through the disclosure policy: texts redacted, coordinates rounded, and a
            // sensitive request without texts, address or coordinates.
            let shown = configuration.disclosure.publicView(t)
            var notes: String? = shown.reply
            if let parent = t.mergedInto { notes = "Duplicate of \(parent)." }
            let text = t.description.isEmpty ? shown.title : shown.description
            return .object([
                ("service_request_id", .string(t.number)),
                ("status", .string(Open311Status.basic(t.status))),
                ("status_notes", .string(notes)),
                ("service_name", .string(t.categoryCode.flatMap { categories[$0] })),
                ("service_code", .string(t.categoryCode)),
                ("description", .string(text)),
                ("agency_responsible", .string(t.leadUnit.map { units[$0] ?? $0 })),
                ("service_notice", .null),
                ("requested_datetime", call.date(t.createdAt)),
                ("updated_datetime", call.date(t.updatedAt)),
                ("expected_datetime", shown.resolutionDue.map(call.date) ?? .null),
                ("address", .string(shown.address)),
                ("address_id", .string(shown.streetCode ?? t.location.districtCode)),
                ("zipcode", .null),
                ("lat", shown.latitude.map(Open311Value.number) ?? .null),
                ("long", shown.longitude.map(Open311Value.number) ?? .null),
                ("media_url", .string(shown.mediaURL)),
            ])
        }
        return Open311Document(root: "service_requests", item: "request", items: items)
    }
}

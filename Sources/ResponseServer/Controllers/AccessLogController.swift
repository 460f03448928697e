import Foundation
import Hummingbird
import ResponseCore
import ResponseStore

/// The access log: every disclosure of a complainant's unmasked contact data is recorded (the
/// faces call ``record(_:to:route:store:now:)``) and supervisors read it.
struct AccessLogController {
    let store: any TicketStore
    let clock: any WallClock
    let configuration: ServerConfiguration

    /// The disclosures in `tickets` shown to `identity`: the tickets whose contacts the access
    /// rule let it see and that have any. Recorded before the answer leaves: a disclosure that
    /// cannot be logged is not made (the request fails).
    static func record(_ tickets: [Ticket], to identity: Identity, route: String, store: any TicketStore, now: Date) async throws {
        let access = TicketAccess(identity.actor)
        let shown = tickets.filter { t in
            access.maySeeContacts(t) && (t.complainant.name != nil || t.complainant.phone != nil || t.complainant.email != nil)
        }
        try await store.recordAccess(shown.map { AccessRecord(tenantID: $0.tenantID, at: now, actor: identity.actor, ticket: $0.number, route: route) })
    }

    struct Page: Encodable, Sendable {
        var items: [AccessRecord]
    }

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/access-log", summary: "Who saw which complainant's unmasked contact data, newest first",
                tag: "privacy", access: "supervisor", response: "AccessLog", query: [
                    .init(name: "ticket", description: "one ticket's number", schemaType: "string"),
                    .init(name: "user", description: "one user name (or key:NAME)", schemaType: "string"),
                    .init(name: "from", description: "first city day, yyyy-MM-dd", schemaType: "string"),
                    .init(name: "to", description: "day after the last, yyyy-MM-dd", schemaType: "string"),
                    .init(name: "limit", description: "1–1000 (default 200)", schemaType: "integer"),
                ], handler: list)
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<Page> {
        let identity = try context.require(.readAccessLog)
        let params = request.uri.queryParameters
        func value(_ name: String) -> String? { params[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        let tenant = try await store.tenant(identity.tenantID) ?? configuration.tenant
        let days = DayKeys(identifier: tenant.timeZone)
        var errors: [FieldError] = []
        func day(_ name: String) -> Date? {
            guard let text = value(name) else { return nil }
            guard let date = days.start(ofValidDay: text) else { errors.append(FieldError(field: name, message: "a day, yyyy-MM-dd")); return nil }
            return date
        }
        let from = day("from"), to = day("to")
        var limit = 200
        if let text = value("limit") {
            if let n = Int(text), (1...1000).contains(n) { limit = n } else { errors.append(FieldError(field: "limit", message: "1 to 1000")) }
        }
        if !errors.isEmpty { throw Problem.badRequest("invalid query parameters", errors: errors) }
        let items = try await store.accessLog(tenantID: identity.tenantID, ticket: value("ticket"), actor: value("user"), from: from, to: to, limit: limit)
        return JSONResponse(value: Page(items: items))
    }
}

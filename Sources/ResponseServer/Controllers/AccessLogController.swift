import Foundation
import Hummingbird
import ResponseCore
import ResponseStore

/// The access log: every disclosure of a complainant's unmasked contact data is recorded (the
/// faces call ``record(_:to:route:store:now:)``) and supervisors read it.
struct AccessLogController: ServerFace {
    let server: ServerServices

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
                tag: "privacy", access: .permission(.readAccessLog), response: "AccessLog", query: [
                    .init(name: "ticket", description: "one ticket's number", schemaType: "string"),
                    .init(name: "user", description: "one user name (or key:NAME)", schemaType: "string"),
                    .init(name: "from", description: "first city day, yyyy-MM-dd", schemaType: "string"),
                    .init(name: "to", description: "day after the last, yyyy-MM-dd", schemaType: "string"),
                    .init(name: "limit", description: "1–1000 (default 200)", schemaType: "integer"),
                ], handler: list)
        api.add(.get, "/api/v1/access-log/summary", summary: "The access log of a month or window summed up by role and face, with the people who saw most",
                tag: "privacy", access: .permission(.readAccessLog), response: "AccessSummary", query: QueryReader.windowParameters(defaultDays: 30), handler: summary)
    }

    @Sendable func summary(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<AccessSummary> {
        let identity = try context.require(.readAccessLog)
        let days = try await cities.city(identity.tenantID).days
        var q = QueryReader(params: request.uri.queryParameters)
        let (range, _) = q.window(today: days.key(clock.now()), defaultDays: 30)
        try q.check()
        guard let from = days.start(of: range.from), let to = days.start(of: range.to) else { throw Problem.badRequest("invalid days") }
        return JSONResponse(value: try await store.accessSummary(tenantID: identity.tenantID, from: from, to: to, days: range, top: 10))
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<Page> {
        let identity = try context.require(.readAccessLog)
        let days = try await cities.city(identity.tenantID).days
        var q = QueryReader(params: request.uri.queryParameters)
        let from = q.day("from", in: days), to = q.day("to", in: days)
        let limit = q.int("limit", default: 200, in: 1...1000)
        try q.check()
        let items = try await store.accessLog(tenantID: identity.tenantID, ticket: q.text("ticket"), actor: q.text("user"), from: from, to: to, limit: limit)
        return JSONResponse(value: Page(items: items))
    }
}

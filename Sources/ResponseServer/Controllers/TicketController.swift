import HTTPTypes
import Foundation
import Hummingbird
import ResponseCore
import ResponseDispatch
import ResponseStore

/// `/api/v1/tickets`: filing, reading, listing and every lifecycle action.
struct TicketController: ServerFace {
    let server: ServerServices

    func register(on api: RouteRegistry) {
        api.add(.post, "/api/v1/tickets", summary: "File a ticket", tag: "tickets", access: .permission(.createTicket),
                request: "NewTicket", response: "Ticket", status: 201, handler: create)
        api.add(.get, "/api/v1/tickets", summary: "List and search tickets (keyset pagination)", tag: "tickets", access: .permission(.readTickets, "handlers see their unit"),
                response: "TicketList", query: Self.listParameters, handler: list)
        api.add(.get, "/api/v1/tickets/{number}", summary: "One ticket with its full timeline", tag: "tickets", access: .permission(.readTickets, "handlers see their unit"),
                response: "Ticket", handler: get)
        api.add(.get, "/api/v1/tickets/{number}/notifications", summary: "Messages owed to the complainant, and whether they were sent",
                tag: "accountability", access: .permission(.followUp), response: "NotificationList", handler: notifications)
        api.add(.get, "/api/v1/tickets/{number}/suggestions", summary: "Top-3 categories and units, the catalogue's choice and a likely duplicate",
                tag: "dispatch", access: .permission(.dispatch), response: "Suggestions", handler: suggestions)
        // Every action clients may send has a summary; the sweeper's and the follow-up's steps have none.
        for kind in TicketAction.Kind.allCases {
            guard let summary = Self.summaries[kind], let body = ActionRequests.type(for: kind) else { continue }
            api.add(.post, "/api/v1/tickets/{number}/\(kind.rawValue)", summary: summary, tag: "lifecycle",
                    access: .permission(kind.permission), request: body.schemaName, response: "Ticket") { request, context in
                try await self.act(kind, request, context)
            }
        }
    }

    static let summaries: [TicketAction.Kind: String] = [
        .answer: "Answer a consultation on the spot (final)",
        .dispatch: "Route to a lead unit and co-units (from a return: the return is upheld)",
        .triage: "Correct the category or place (the models learn from it)",
        .rejectReturn: "Refuse a unit's return: the unit keeps the ticket and its deadlines",
        .arbitrate: "Rule on a second dispute: the named unit leads and may not return it again",
        .accept: "The lead unit signs for the ticket",
        .giveBack: "The lead unit returns a mis-routed ticket, with a reason, inside the return window",
        .contact: "Log contact with the complainant",
        .reply: "The unit's answer, and whether it solved the problem",
        .evaluate: "Record the complainant's rating",
        .reopen: "Send back to the unit (redo)",
        .merge: "Merge into another ticket as a duplicate",
        .urge: "Urge the unit (record only)",
        .extend: "Move the resolution deadline",
        .close: "Close the ticket",
        .comment: "Add a remark to the timeline for the lead unit (any state; no state change)",
        .requestExtension: "The lead unit asks for a later resolution deadline (`until`, `reason`), before expiry",
        .decideExtension: "A supervisor approves or refuses the pending extension (`approve`, `note`); the complainant is told",
        .summon: "The lead unit summons departments or companies (`units`): each must acknowledge within the arrival limit",
        .acknowledgeSummons: "A summoned unit acknowledges (arrives); handlers act for their own unit",
        .reportSummons: "A summoned unit reports what it did (`text`)",
        .rateSummons: "The lead unit rates a summoned unit's help (`unit`, `score` 1–5)",
        .eraseContacts: "Erase the complainant's name, phone and e-mail on her request (`reason`: the request's reference), and redact her from every text of the ticket and its history",
    ]

    static let listParameters: [APIRoute.QueryParameter] = [
        .init(name: "status", description: "comma-separated statuses", schemaType: "string"),
        .init(name: "unit", description: "lead unit code", schemaType: "string"),
        .init(name: "district", description: "district unit code", schemaType: "string"),
        .init(name: "category", description: "category code; includes sub-categories", schemaType: "string"),
        .init(name: "kind", description: "comma-separated kinds", schemaType: "string"),
        .init(name: "channel", description: "comma-separated channels", schemaType: "string"),
        .init(name: "createdFrom", description: "ISO 8601 time or yyyy-MM-dd, inclusive", schemaType: "string"),
        .init(name: "createdTo", description: "ISO 8601 time or yyyy-MM-dd, exclusive", schemaType: "string"),
        .init(name: "overdue", description: "true: only tickets past their resolution deadline", schemaType: "boolean"),
        .init(name: "q", description: "words that must all occur in title or description (Chinese or English)", schemaType: "string"),
        .init(name: "queue", description: "follow-up, extension (requests waiting for a supervisor) or escalated", schemaType: "string"),
        .init(name: "sort", description: "-created (default), created, due", schemaType: "string"),
        .init(name: "limit", description: "1–500, default 50", schemaType: "integer"),
        .init(name: "after", description: "cursor from the previous page's next", schemaType: "string"),
    ]

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<TicketView> {
        let identity = try context.require(.createTicket)
        let (new, claim) = try await request.decodeJSON(as: NewTicket.self, context: context, idempotencyScope: "api:" + identity.name)
        let city = try await cities.city(identity.tenantID)
        let now = clock.now()
        let filing = try await intake.file(new, city: city, actor: identity.actor, now: now, idempotency: claim)
        return JSONResponse(status: .created, value: TicketView(filing.ticket, for: identity, configuration: configuration, now: now, timeline: filing.events),
                            replayed: filing.replayed)
    }

    @Sendable func suggestions(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<SuggestionsView> {
        let identity = try context.require(.dispatch)
        let number = try context.parameters.require("number")
        guard let ticket = try await store.ticket(number: number, tenantID: identity.tenantID) else { throw Problem.notFound("no ticket \(number)") }
        let new = NewTicket(kind: ticket.kind, channel: ticket.channel, title: ticket.title, description: ticket.description,
                            categoryCode: ticket.categoryCode, urgency: ticket.urgency, location: ticket.location)
        let decision = try await dispatch.decide(new, tenantID: identity.tenantID, now: ticket.createdAt, excluding: ticket.number)
        var view = SuggestionsView(decision)
        // A returned ticket needs another unit than the one that sent it back.
        if ticket.status == .returned || ticket.status == .arbitration, let returning = ticket.leadUnit {
            view.units.removeAll { $0.code == returning }
        }
        return JSONResponse(value: view)
    }

    @Sendable func get(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<TicketView> {
        let identity = try context.require(.readTickets)
        let number = try context.parameters.require("number")
        guard let ticket = try await store.ticket(number: number, tenantID: identity.tenantID), TicketAccess(identity.actor).mayRead(ticket) else {
            throw Problem.notFound("no ticket \(number)")
        }
        let events = try await store.events(ticketID: ticket.id, tenantID: identity.tenantID)
        let now = clock.now()
        var view = TicketView(ticket, for: identity, configuration: configuration, now: now, timeline: events)
        view.duplicates = try await store.duplicates(of: ticket.number, tenantID: identity.tenantID)
        try await AccessLogController.record([ticket], to: identity, route: "GET /api/v1/tickets/{number}", store: store, now: now)
        return JSONResponse(value: view)
    }

    /// Who filed ticket `number`, read only where the access rule needs it (an integration's
    /// rating, reopening or remark). Filing never changes, so it is read before the action's
    /// transaction.
    @Sendable func notifications(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[NotificationRecord]> {
        let identity = try context.require(.followUp)
        let number = try context.parameters.require("number")
        guard let ticket = try await store.ticket(number: number, tenantID: identity.tenantID) else { throw Problem.notFound("no ticket \(number)") }
        let contacts = TicketAccess(identity.actor).maySeeContacts(ticket)
        let records = try await store.notifications(number: number, tenantID: identity.tenantID)
        return JSONResponse(value: records.map { configuration.disclosure.staffView($0, of: ticket, contacts: contacts) })
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<TicketList> {
        let identity = try context.require(.readTickets)
        var query = try Self.parseQuery(request.uri.queryParameters, now: clock.now())
        if identity.role == .handler { query.unit = identity.unitCode ?? "" }
        let page = try await store.listTickets(query, tenantID: identity.tenantID)
        let now = clock.now()
        try await AccessLogController.record(page.tickets, to: identity, route: "GET /api/v1/tickets", store: store, now: now)
        return JSONResponse(value: TicketList(items: page.tickets.map { TicketView($0, for: identity, configuration: configuration, now: now) }, next: page.next?.token))
    }

    static func parseQuery(_ params: Hummingbird.Parameters, now: Date) throws -> TicketQuery {
        var query = TicketQuery()
        var reader = QueryReader(params: params)
        query.statuses = reader.options("status", TicketStatus.self)
        query.kinds = reader.options("kind", TicketKind.self)
        query.channels = reader.options("channel", Channel.self)
        query.unit = reader.text("unit")
        query.district = reader.text("district")
        query.categoryPrefix = reader.text("category")
        query.createdFrom = reader.time("createdFrom")
        query.createdTo = reader.time("createdTo")
        switch reader.text("overdue") {
        case "true", "1": query.overdueAt = now
        case nil, "false", "0": break
        default: reader.errors.append(FieldError(field: "overdue", message: "true or false"))
        }
        if let q = reader.text("q") {
            if q.count > 200 { reader.errors.append(FieldError(field: "q", message: "at most 200 characters")) } else { query.text = q }
        }
        query.queue = reader.option("queue", TicketQuery.Queue.self) ?? query.queue
        query.sort = reader.option("sort", TicketQuery.Sort.self) ?? query.sort
        query.limit = reader.int("limit", default: query.limit, in: 1...500)
        if let after = reader.text("after") {
            if let cursor = TicketQuery.Cursor(token: after) { query.after = cursor } else {
                reader.errors.append(FieldError(field: "after", message: "not a cursor returned by this API"))
            }
        }
        try reader.check()
        return query
    }

    func act(_ kind: TicketAction.Kind, _ request: Request, _ context: AppRequestContext) async throws -> JSONResponse<TicketView> {
        let identity = try context.requireIdentity()
        let number = try context.parameters.require("number")
        let (action, version) = try await ActionRequests.decode(kind, request, context: context, for: identity)
        let (ticket, _) = try await desk.act(action, on: number, by: identity, version: version)
        let events = try await store.events(ticketID: ticket.id, tenantID: identity.tenantID)
        return JSONResponse(value: TicketView(ticket, for: identity, configuration: configuration, now: clock.now(), timeline: events))
    }
}

/// The body of `GET /api/v1/tickets/{number}/suggestions`.
struct SuggestionsView: Encodable, Sendable {
    struct Suggestion: Encodable, Sendable {
        var code: String
        var confidence: Double
    }

    var categories: [Suggestion]
    var units: [Suggestion]
    var leadUnit: String?
    var coUnits: [String]
    var confidence: Double
    var automatic: Bool
    var districtCode: String?
    var streetCode: String?
    var duplicateOf: String?
    var similarity: Double?
    var reasons: [String: String]

    init(_ d: DispatchDecision) {
        categories = d.categorySuggestions.map { Suggestion(code: $0.label, confidence: ($0.confidence * 1000).rounded() / 1000) }
        units = d.unitSuggestions.map { Suggestion(code: $0.label, confidence: ($0.confidence * 1000).rounded() / 1000) }
        leadUnit = d.leadUnit
        coUnits = d.coUnits
        confidence = (d.confidence * 1000).rounded() / 1000
        automatic = d.automatic
        districtCode = d.triage.districtCode
        streetCode = d.triage.streetCode
        duplicateOf = d.duplicate?.number
        similarity = d.duplicate?.similarity
        reasons = d.triage.notes
    }
}

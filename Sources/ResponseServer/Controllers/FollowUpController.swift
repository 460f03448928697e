import Foundation
import HTTPTypes
import Hummingbird
import ResponseCore
import ResponseStore

/// The follow-up (回访): the agents' queue and actions, the signed links, and the complainant's
/// rating through a link without logging in (JSON under `/api/v1/follow-up/…`, a small page
/// under `/follow-up/…`).
struct FollowUpController: ServerFace {
    let server: ServerServices

    /// What the agent reads out, and the three questions.
    static let script = FollowUpScript(
        greeting: "您好，这里是12345热线回访。关于您反映的诉求，想占用您一分钟时间。Hello, this is the 12345 hotline following up on your request; may I take a minute?",
        questions: [
            "承办单位是否与您联系？Did the unit in charge contact you? (contacted: true/false)",
            "您反映的问题是否已解决？Is the problem resolved? (resolved: true/false)",
            "您对办理结果是否满意：满意、基本满意、不满意？Are you satisfied, basically satisfied or dissatisfied? (satisfaction)",
        ],
        closing: "感谢您的评价，不满意或未解决的诉求将重新交办。Thank you; an unresolved or unsatisfactory answer goes back to the unit."
    )

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/follow-ups", summary: "The follow-up queue, oldest first, with the script to read", tag: "accountability",
                access: .permission(.followUp), response: "FollowUpQueue",
                query: [.init(name: "limit", description: "1–500, default 50", schemaType: "integer"),
                        .init(name: "after", description: "cursor from the previous page", schemaType: "string")], handler: queue)
        api.add(.post, "/api/v1/tickets/{number}/follow-up",
                summary: "Record a follow-up: the rating (an unresolved or dissatisfied one reopens to the same unit) or a call nobody answered",
                tag: "accountability", access: .permission(.followUp), request: "FollowUpBody", response: "Ticket", handler: record)
        api.add(.post, "/api/v1/tickets/{number}/follow-up-link", summary: "A signed, expiring link for the complainant to rate without logging in",
                tag: "accountability", access: .permission(.followUp), response: "FollowUpLink", handler: link)
        api.add(.get, "/api/v1/follow-up/{token}", summary: "What a follow-up link shows: the ticket's public summary and the questions",
                tag: "accountability", access: .public, response: "PublicFollowUp", handler: publicView)
        api.add(.post, "/api/v1/follow-up/{token}", summary: "The complainant's rating through a follow-up link", tag: "accountability",
                access: .public, request: "Rating", response: "PublicFollowUp", handler: publicRate)
        // The page behind the link in the message: plain HTML form, no script, no login.
        api.router.get("/follow-up/:token") { request, context in try await self.page(request, context) }
        api.router.post("/follow-up/:token") { request, context in try await self.page(request, context) }
    }

    @Sendable func queue(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<FollowUpQueue> {
        let identity = try context.require(.followUp)
        var query = TicketQuery()
        query.queue = .followUp
        query.sort = .createdAsc
        let params = request.uri.queryParameters
        if let raw = params["limit"].map(String.init), !raw.isEmpty {
            guard let n = Int(raw), (1...500).contains(n) else { throw Problem.badRequest("invalid query parameters", errors: [FieldError(field: "limit", message: "an integer from 1 to 500")]) }
            query.limit = n
        }
        if let raw = params["after"].map(String.init), !raw.isEmpty {
            guard let cursor = TicketQuery.Cursor(token: raw) else { throw Problem.badRequest("invalid query parameters", errors: [FieldError(field: "after", message: "not a cursor returned by this API")]) }
            query.after = cursor
        }
        let page = try await store.listTickets(query, tenantID: identity.tenantID)
        let now = clock.now()
        try await AccessLogController.record(page.tickets, to: identity, route: "GET /api/v1/follow-up", store: store, now: now)
        return JSONResponse(value: FollowUpQueue(script: Self.script, items: page.tickets.map { TicketView($0, for: identity, configuration: configuration, now: now) }, next: page.next?.token))
    }

    @Sendable func record(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<TicketView> {
        let identity = try context.require(.followUp)
        let number = try context.parameters.require("number")
        let body = try await request.decodeJSON(as: FollowUpBody.self, context: context)
        let outcome = try body.parsed()
        let (ticket, _) = try await apply(outcome, number: number, tenantID: identity.tenantID, actor: identity.actor, version: body.version)
        let events = try await store.events(ticketID: ticket.id, tenantID: identity.tenantID)
        return JSONResponse(value: TicketView(ticket, for: identity, configuration: configuration, now: clock.now(), timeline: events))
    }

    /// Records an outcome as the plan's actions, in one transaction, through the desk (the
    /// role's permissions, the access rule, the state machine).
    /// - Parameter rule: The face's own refusal of a ticket that is not waiting for a rating.
    func apply(
        _ outcome: FollowUpOutcome, number: String, tenantID: String, actor: Actor, version: Int?,
        rule: @escaping @Sendable (Ticket) throws -> Void = { ticket in
            guard ticket.awaitsRating else {
                throw Problem(.conflict, type: "not-in-follow-up", detail: "ticket \(ticket.number) is not waiting for a follow-up")
            }
        }
    ) async throws -> (Ticket, [TicketEvent]) {
        guard let current = try await store.ticket(number: number, tenantID: tenantID) else { throw Problem.notFound("no ticket \(number)") }
        let actions = FollowUpPlan.actions(for: outcome, ticket: current, policy: try await cities.city(tenantID).accountability)
        // The plan was made from the ticket as read; the version check refuses it if another
        // follow-up got there first.
        return try await desk.act(actions, on: number, tenantID: tenantID, by: actor, version: version ?? current.version, rule: rule)
    }

    @Sendable func link(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<FollowUpLinkView> {
        let identity = try context.require(.followUp)
        let number = try context.parameters.require("number")
        guard try await store.ticket(number: number, tenantID: identity.tenantID) != nil else { throw Problem.notFound("no ticket \(number)") }
        let link = FollowUpLink(city: try await cities.city(identity.tenantID), number: number, now: clock.now())
        let token = link.token(key: configuration.linkSecret)
        return JSONResponse(value: FollowUpLinkView(url: configuration.publicURL + "/follow-up/" + token, token: token, expiresAt: link.expires))
    }

    /// The ticket behind a token, or a problem saying why the link does not work.
    func resolve(_ token: String) async throws -> Ticket {
        let link: FollowUpLink
        do {
            link = try FollowUpLink(token: token, key: configuration.linkSecret, now: clock.now())
        } catch .expired {
            throw Problem(.gone, type: "link-expired", detail: "this follow-up link has expired; call 12345 to rate your request")
        } catch {
            throw Problem.notFound("this follow-up link is not valid")
        }
        guard let ticket = try await store.ticket(number: link.number, tenantID: link.tenantID) else { throw Problem.notFound("this follow-up link is not valid") }
        return ticket
    }

    @Sendable func publicView(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<PublicFollowUp> {
        let ticket = try await resolve(try context.parameters.require("token"))
        return JSONResponse(value: PublicFollowUp(ticket))
    }

    @Sendable func publicRate(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<PublicFollowUp> {
        let ticket = try await resolve(try context.parameters.require("token"))
        let rating = try await request.decodeJSON(as: Rating.self, context: context)
        let (after, _) = try await rate(ticket, rating.evaluation())
        return JSONResponse(value: PublicFollowUp(after))
    }

    func rate(_ ticket: Ticket, _ evaluation: Evaluation) async throws -> (Ticket, [TicketEvent]) {
        // Judged on the row as locked in the rating's transaction, not on the ticket as read.
        try await apply(.rated(evaluation), number: ticket.number, tenantID: ticket.tenantID, actor: Self.complainant, version: nil) { ticket in
            guard ticket.awaitsRating else {
                throw Problem(.conflict, type: "already-rated", detail: "request \(ticket.number) has already been rated or is not ready to be rated")
            }
        }
    }

    /// Who a rating through a link is recorded as: the complainant, whose only rights are the
    /// rating of a ticket waiting for it and what the rating leads to (``Role/complainant``).
    static let complainant = Actor(name: "complainant (follow-up link)", role: .complainant)

    func page(_ request: Request, _ context: AppRequestContext) async throws -> Response {
        let token = try context.parameters.require("token")
        var headers = HTTPFields()
        headers[.contentType] = "text/html; charset=utf-8"
        headers[.cacheControl] = "no-store"
        do {
            let ticket = try await resolve(token)
            if request.method == .post {
                let form = try await request.decodeForm(RatingForm.self)
                guard let resolved = form?.resolved.flatMap(Bool.init), let satisfaction = form?.satisfaction.flatMap(Evaluation.Satisfaction.init(rawValue:)) else {
                    return Response(status: .badRequest, headers: headers, body: .init(byteBuffer: ByteBuffer(string: FollowUpPage.form(ticket, token: token, error: "请回答全部问题 · Please answer every question."))))
                }
                let comment = form?.comment.flatMap { $0.isEmpty ? nil : String($0.prefix(2000)) }
                let (after, _) = try await rate(ticket, Evaluation(contacted: form?.contacted.flatMap(Bool.init), resolved: resolved, satisfaction: satisfaction, comment: comment))
                return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: FollowUpPage.thanks(after))))
            }
            let ready = ticket.awaitsRating
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: ready ? FollowUpPage.form(ticket, token: token, error: nil) : FollowUpPage.thanks(ticket))))
        } catch let problem as Problem {
            return Response(status: problem.status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: FollowUpPage.message(problem.detail ?? problem.title))))
        }
    }
}

/// The follow-up script: greeting, the three questions, closing.
struct FollowUpScript: Encodable, Sendable {
    var greeting: String
    var questions: [String]
    var closing: String
}

/// The body of `GET /api/v1/follow-ups`.
struct FollowUpQueue: Encodable, Sendable {
    var script: FollowUpScript
    var items: [TicketView]
    var next: String?
}

/// The body of `POST /api/v1/tickets/{number}/follow-up`.
struct FollowUpBody: Decodable, Sendable {
    /// `rated` or `no_answer`.
    var outcome: String
    var contacted: Bool?
    var resolved: Bool?
    var satisfaction: Evaluation.Satisfaction?
    var comment: String?
    var note: String?
    var version: Int?

    func parsed() throws -> FollowUpOutcome {
        switch outcome {
        case "rated":
            return .rated(try Rating(contacted: contacted, resolved: resolved, satisfaction: satisfaction, comment: comment).evaluation())
        case "no_answer":
            if let note, note.count > 2000 { throw ValidationError([FieldError(field: "note", message: "at most 2000 characters")]) }
            return .noAnswer(note: note)
        default:
            throw ValidationError([FieldError(field: "outcome", message: "rated or no_answer")])
        }
    }
}

/// A complainant's answers to the three questions.
struct Rating: Decodable, Sendable {
    var contacted: Bool?
    var resolved: Bool?
    var satisfaction: Evaluation.Satisfaction?
    var comment: String?

    func evaluation() throws -> Evaluation {
        var errors: [FieldError] = []
        if resolved == nil { errors.append(FieldError(field: "resolved", message: "is required")) }
        if satisfaction == nil { errors.append(FieldError(field: "satisfaction", message: "is required: \(Evaluation.Satisfaction.allCases.map(\.rawValue).joined(separator: ", "))")) }
        if let comment, comment.count > 2000 { errors.append(FieldError(field: "comment", message: "at most 2000 characters")) }
        guard errors.isEmpty, let resolved, let satisfaction else { throw ValidationError(errors) }
        return Evaluation(contacted: contacted, resolved: resolved, satisfaction: satisfaction, comment: comment)
    }
}

/// The body of `POST /api/v1/tickets/{number}/follow-up-link`.
struct FollowUpLinkView: Encodable, Sendable {
    var url: String
    var token: String
    var expiresAt: Date
}

/// What a follow-up link shows: no personal data, no internal notes.
struct PublicFollowUp: Encodable, Sendable {
    var number: String
    var title: String
    var status: TicketStatus
    var reply: String?
    /// Whether the link can still record a rating.
    var awaitingRating: Bool
    var questions: [String]
    var evaluation: Evaluation?

    init(_ t: Ticket) {
        number = t.number
        title = Redactor.redact(t.title, name: t.complainant.name)
        status = t.status
        reply = t.reply.map { Redactor.redact($0, name: t.complainant.name) }
        awaitingRating = t.awaitsRating
        questions = FollowUpController.script.questions
        evaluation = t.evaluation.map { var e = $0; e.comment = nil; return e }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import ResponseCore
import ResponseInsight
import ResponseStore

/// `/api/v1/public/…`: what residents use without an account — file a request, track it by its
/// number, and see the city's rates. Nothing personal leaves here: no names, phones, e-mails,
/// exact coordinates, actors or internal notes.
struct PublicController: ServerFace {
    let server: ServerServices
    /// Filing without an account is limited per address (the Open311 anonymous rate).
    let limiter: RateLimiter
    /// Public reads (tracking, the dashboard) are limited per address too (`open311.publicReadsPerMinute`).
    let readLimiter: RateLimiter
    /// The dashboard is public and costs a report: it is computed at most every 10 seconds.
    let dashboardCache = CityCache<Dashboard>(lifetime: 10)

    init(server: ServerServices) {
        self.server = server
        let configuration = server.configuration
        limiter = RateLimiter(perMinute: configuration.open311.anonymousRequestsPerMinute, burst: configuration.open311.burst)
        readLimiter = RateLimiter(perMinute: configuration.open311.publicReadsPerMinute, burst: configuration.open311.burst)
    }

    /// What a resident may send.
    struct Request311: Decodable, Sendable {
        var kind: TicketKind?
        var title: String
        var description: String?
        var location: Location?
        var name: String?
        var phone: String?
        var email: String?
        /// Keep my name and number from the unit.
        var anonymous: Bool?
    }

    struct Receipt: Encodable, Sendable {
        var number: String
        /// Given with the number to track the request: numbers alone are guessable.
        var trackingCode: String
        var status: TicketStatus
        /// The tracking page, number and code included.
        var track: String
    }

    /// One public step of a ticket's history.
    struct Step: Encodable, Sendable {
        var at: Date
        var type: EventType
        var status: TicketStatus
    }

    /// The body of `GET /api/v1/public/requests/{number}`, rendered through the disclosure
    /// policy: a sensitive request has no title, reply or place finer than its district.
    struct PublicTicket: Encodable, Sendable {
        var number: String
        var kind: TicketKind
        var title: String?
        var status: TicketStatus
        /// The texts and the place are withheld (a report, a sensitive category, or at the
        /// complainant's request).
        var sensitive: Bool
        var category: String?
        var district: String?
        var unit: String?
        var createdAt: Date
        var updatedAt: Date
        var resolutionDue: Date?
        var reply: String?
        var timeline: [Step]
        var mergedInto: String?
    }

    /// Event types a resident sees; the rest (remarks, urging, sweeps, internal disputes and
    /// summons) are the hotline's own business.
    static let publicEvents: Set<EventType> = [
        .created, .answered, .dispatched, .accepted, .contacted, .replied, .evaluated, .reopened, .merged, .extended,
        .extensionApproved, .closed,
    ]

    func register(on api: RouteRegistry) {
        api.add(.post, "/api/v1/public/requests", summary: "File a request without an account; returns the tracking number",
                tag: "public", access: .public("rate-limited per address"), request: "PublicRequest", response: "Receipt", status: 201, handler: file)
        api.add(.get, "/api/v1/public/requests/{number}", summary: "Track a request by its number and tracking code: status and public timeline, no personal data",
                tag: "public", access: .public("the tracking code; rate-limited per address"), response: "PublicTicket", query: [
                    .init(name: "code", description: "the tracking code given with the number (any case; spaces and dashes ignored)", schemaType: "string"),
                ]) { request, context in
            try self.take(readLimiter, context)
            let number = try context.parameters.require("number")
            let code = request.uri.queryParameters["code"].map(String.init) ?? ""
            return JSONResponse(value: try await self.track(number, code: code))
        }
        api.add(.get, "/api/v1/public/dashboard", summary: "The city's response, resolution and satisfaction rates this month and the last 30 days' volumes (refreshed every 10 s)",
                tag: "public", access: .public("rate-limited per address"), response: "Dashboard") { _, context in
            try self.take(readLimiter, context)
            return JSONResponse(value: try await dashboardCache.value(configuration.tenant.id, now: clock.now()) { try await self.dashboard() })
        }
    }

    @Sendable func file(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<Receipt> {
        let now = clock.now()
        try take(limiter, context)
        let (input, claim) = try await request.decodeJSON(as: Request311.self, context: context, idempotencyScope: "portal")
        let kind = input.kind ?? .complaint
        func clean(_ s: String?) -> String? { s.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } }
        let contact = Complainant(name: clean(input.name), phone: clean(input.phone), email: clean(input.email), anonymous: input.anonymous ?? false)
        let new = NewTicket(kind: kind, channel: .web, title: input.title.trimmingCharacters(in: .whitespacesAndNewlines),
                            description: input.description ?? "", location: input.location,
                            complainant: contact.name == nil && contact.phone == nil && contact.email == nil && !contact.anonymous ? nil : contact)
        let filing = try await intake.file(new, city: try await cities.city(configuration.tenant.id), actor: Actor(name: "portal", role: .integration), now: now,
                                           idempotency: claim)
        let ticket = filing.ticket
        let code = TrackingCode.make(number: ticket.number, tenantID: ticket.tenantID, secret: configuration.linkSecret)
        return JSONResponse(status: .created, value: Receipt(number: ticket.number, trackingCode: code, status: ticket.status,
                                                             track: "/portal/track/\(ticket.number)?code=\(code)"), replayed: filing.replayed)
    }

    /// 429 with the wait when the caller's address has used up its share of `limiter`.
    func take(_ limiter: RateLimiter, _ context: AppRequestContext) throws {
        if let wait = limiter.take(context.addressKey, now: clock.now()) {
            throw Problem.tooManyRequests("too many requests from this address: try again in \(wait) s", retryAfter: wait)
        }
    }

    /// A request as its complainant tracks it. A wrong or missing code answers exactly as an
    /// unknown number does: the answer never tells a guesser that a number exists.
    func track(_ number: String, code: String) async throws -> PublicTicket {
        let tenantID = configuration.tenant.id
        guard !number.exceeds(40), !code.exceeds(40), TrackingCode.matches(code, number: number, tenantID: tenantID, secret: configuration.linkSecret),
              let t = try await store.ticket(number: number, tenantID: tenantID) else {
            throw Problem.notFound("no request \(number) with this tracking code")
        }
        let events = try await store.events(ticketID: t.id, tenantID: tenantID)
        let units = Dictionary(try await store.units(tenantID: tenantID).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        let category = try await t.categoryCode.asyncMap { try await store.category(code: $0, tenantID: tenantID)?.name }
        let shown = configuration.disclosure.publicView(t)
        return PublicTicket(
            number: t.number, kind: t.kind, title: shown.title, status: t.status, sensitive: shown.sensitive,
            category: category ?? nil, district: t.location.districtCode.flatMap { units[$0] }, unit: t.leadUnit.flatMap { units[$0] },
            createdAt: t.createdAt, updatedAt: t.updatedAt, resolutionDue: shown.resolutionDue, reply: shown.reply,
            timeline: events.filter { Self.publicEvents.contains($0.type) }.map { Step(at: $0.at, type: $0.type, status: $0.toStatus) },
            mergedInto: t.mergedInto)
    }

    /// The body of `GET /api/v1/public/dashboard`.
    struct Dashboard: Encodable, Sendable {
        var city: String
        var period: String
        var responseRate: Double?
        var resolutionRate: Double?
        var satisfactionRate: Double?
        var assigned: Int
        var rated: Int
        var open: Int
        var volume: DeskController.Volume
    }

    func dashboard() async throws -> Dashboard {
        let place = try await cities.city(configuration.tenant.id), tenant = place.tenant
        let now = clock.now()
        let month = String(place.days.key(now).prefix(7))
        let period = AssessmentPeriod(month: month) ?? AssessmentPeriod(from: month + "-01", to: month + "-28")
        var settings = place.accountability.assessment
        let report = try await AssessmentService(store: store).report(tenantID: tenant.id, period: period, settings: settings)
        // The city as one unit: every lead unit's counts (districts would count their streets twice).
        var total = UnitCounts()
        for unit in report.units where unit.level != .district { total.add(unit.counts) }
        settings.minimumSample = 1
        let city = UnitAssessment(unit: OrgUnit(code: tenant.id, tenantID: tenant.id, name: tenant.name, kind: .district), counts: total, settings: settings)
        let open = try await store.openLoad(tenantID: tenant.id, now: now).reduce(0) { $0 + $1.open }
        return Dashboard(city: tenant.name, period: month, responseRate: city.responseRate, resolutionRate: city.resolutionRate,
                         satisfactionRate: city.satisfactionRate, assigned: total[.assigned], rated: total[.rated], open: open,
                         volume: try await DeskController.volume(store: store, tenant: tenant, days: 30, now: now))
    }
}

extension Optional {
    fileprivate func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}

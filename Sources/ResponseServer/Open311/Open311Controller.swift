import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ResponseCore
import ResponseStore

/// Open311 GeoReport v2, with service discovery and the FixMyStreet request-updates extension,
/// under `/open311/v2/`, served from the same tickets as `/api/v1`. Every response on these
/// paths, errors included, is a GeoReport document in the format the path's extension names.
struct Open311Controller {
    static let root = "/open311/v2"
    static let specification = "http://wiki.open311.org/GeoReport_v2"

    let store: any TicketStore
    let clock: any WallClock
    let configuration: ServerConfiguration
    let cities: CityDirectory
    let intake: TicketIntake
    let credentials: AuthMiddleware
    let keyLimiter: RateLimiter
    let addressLimiter: RateLimiter
    /// When this server started: the `changeset` of discovery.
    let started: Date
    /// Each city's services, rebuilt from the taxonomy at most every 10 seconds: every POST
    /// checks its service, and reading 500 categories per request halved intake throughput.
    let services = ServiceCache(lifetime: 10)

    init(store: any TicketStore, clock: any WallClock, configuration: ServerConfiguration, cities: CityDirectory, intake: TicketIntake, credentials: AuthMiddleware) {
        self.store = store
        self.clock = clock
        self.configuration = configuration
        self.cities = cities
        self.intake = intake
        self.credentials = credentials
        let settings = configuration.open311
        keyLimiter = RateLimiter(perMinute: settings.keyRequestsPerMinute, burst: settings.burst)
        addressLimiter = RateLimiter(perMinute: settings.anonymousRequestsPerMinute, burst: settings.burst)
        started = clock.now()
    }

    /// A refusal: the HTTP status and the description written into the errors document.
    struct Failure: Error {
        var status: HTTPResponse.Status
        var description: String
        var retryAfter: Int? = nil

        static func badRequest(_ description: String) -> Failure { Failure(status: .badRequest, description: description) }
        static func notFound(_ description: String) -> Failure { Failure(status: .notFound, description: description) }
        static func forbidden(_ description: String) -> Failure { Failure(status: .forbidden, description: description) }
    }

    /// What a handler works with: the parameters (query and form body together), the city and
    /// the caller.
    struct Call {
        var form: Open311Form
        var format: Open311Format
        var city: City
        var identity: Identity?

        var tenant: Tenant { city.tenant }
        var timeZone: TimeZone { city.timeZone }

        func date(_ d: Date) -> Open311Value { .string(Open311Document.w3cDate(d, timeZone: timeZone)) }
    }

    typealias Handler = @Sendable (Call, Request) async throws -> (HTTPResponse.Status, Open311Document)

    func register(on router: Router<AppRequestContext>) {
        let r = Self.root
        route(router, .get, r + "/discovery", discovery)
        route(router, .get, r + "/services", services)
        route(router, .get, r + "/services/{file}") { call, request in try await serviceDefinition(call, Self.file(request)) }
        route(router, .post, r + "/requests", postRequest)
        route(router, .get, r + "/requests", requests)
        route(router, .get, r + "/requests/{file}") { call, request in try await singleRequest(call, Self.file(request)) }
        route(router, .get, r + "/tokens/{file}") { call, request in try await token(call, Self.file(request)) }
        route(router, .get, r + "/servicerequestupdates", updates)
        route(router, .post, r + "/servicerequestupdates", postUpdate)
        for method in [HTTPRequest.Method.get, .post] {
            router.on(RouterPath(r + "/**"), method: method) { request, context in
                let format = Self.format(of: request.uri.path) ?? .xml
                return self.render(.errors([(404, "no such Open311 resource: \(request.uri.path)")]), format, status: .notFound)
            }
        }
    }

    /// Registers `path.xml` and `path.json`, or for a `{file}` path one route whose last
    /// segment carries the extension (service codes contain dots: `01.02.03.json`).
    private func route(_ router: Router<AppRequestContext>, _ method: HTTPRequest.Method, _ path: String, _ handler: @escaping Handler) {
        if path.hasSuffix("{file}") {
            router.on(RouterPath(path), method: method) { request, context in
                await self.respond(request, context, Self.format(of: request.uri.path), handler)
            }
        } else {
            for format in Open311Format.allCases {
                router.on(RouterPath(path + "." + format.rawValue), method: method) { request, context in
                    await self.respond(request, context, format, handler)
                }
            }
        }
    }

    /// `services/01.02.03.json` → `json`; `nil` for any other extension.
    static func format(of path: String) -> Open311Format? {
        guard let dot = path.lastIndex(of: "."), !path[dot...].contains("/") else { return nil }
        return Open311Format(rawValue: path[path.index(after: dot)...].lowercased())
    }

    /// The `{file}` parameter without its extension.
    static func file(_ request: Request) -> String {
        let last = request.uri.path.split(separator: "/").last.map(String.init) ?? ""
        let name = last.removingPercentEncoding ?? last
        guard let dot = name.lastIndex(of: ".") else { return name }
        return String(name[..<dot])
    }

    // MARK: Request pipeline

    private func respond(_ request: Request, _ context: AppRequestContext, _ format: Open311Format?, _ handler: Handler) async -> Response {
        guard let format else {
            return render(.errors([(404, "unknown format: end the path with .xml or .json")]), .xml, status: .notFound)
        }
        do {
            let call = try await prepare(request, context, format)
            let (status, document) = try await handler(call, request)
            return render(document, format, status: status)
        } catch {
            let failure = Self.failure(error)
            if failure.status == .internalServerError {
                context.logger.error("open311 \(request.method) \(request.uri.path) failed: \(String(reflecting: error))")
            }
            var response = render(.errors([(Int(failure.status.code), failure.description)]), format, status: failure.status)
            if let seconds = failure.retryAfter { response.headers[.retryAfter] = String(seconds) }
            return response
        }
    }

    /// Reads the parameters, resolves the key and the city, and applies the rate limit.
    private func prepare(_ request: Request, _ context: AppRequestContext, _ format: Open311Format) async throws -> Call {
        var bytes: [UInt8] = []
        if request.method == .post {
            let contentType = request.headers[.contentType]?.lowercased() ?? ""
            if contentType.hasPrefix("application/json") || contentType.hasPrefix("multipart/") {
                throw Failure.badRequest("send the parameters as application/x-www-form-urlencoded (UTF-8), as GeoReport v2 specifies")
            }
            let body = try await request.body.collect(upTo: context.maxBodySize)
            bytes = Array(body.readableBytesView)
            bytes.append(UInt8(ascii: "&"))
        }
        // Body first, so a field given in both places takes the body's value.
        bytes += Array((request.uri.query ?? "").utf8)
        let form = Open311Form(bytes: bytes)

        var identity: Identity? = nil
        if let key = form["api_key"] ?? request.headers[.apiKey] {
            // API keys only: a staff session token is not an Open311 key.
            guard let found = try await credentials.apiKeyIdentity(for: key) else { throw Failure.forbidden("api_key is not valid (unknown or revoked)") }
            identity = found
        }
        let now = clock.now()
        let caller = identity.map { "key:" + $0.tenantID + "/" + $0.name } ?? "address:" + (context.remoteAddress?.ipAddress ?? "unknown")
        if let wait = (identity == nil ? addressLimiter : keyLimiter).take(caller, now: now) {
            throw Failure(status: .tooManyRequests, description: "too many requests: try again in \(wait) s", retryAfter: wait)
        }

        // The jurisdiction named, else the key's city, else the configured one.
        let jurisdiction = form["jurisdiction_id"] ?? identity?.tenantID ?? configuration.tenant.id
        guard let city = try await cities.find(jurisdiction) else { throw Failure.notFound("jurisdiction_id \(jurisdiction) not found") }
        if let identity, identity.tenantID != city.id { throw Failure.forbidden("the api_key is not valid for jurisdiction_id \(jurisdiction)") }
        return Call(form: form, format: format, city: city, identity: identity)
    }

    /// Classifies an error the way `/api/v1` does (``ProblemMiddleware/problem(for:)``), in
    /// GeoReport's terms: what the API calls unprocessable (422) or an illegal transition is a
    /// 400 here, and the description carries the field messages.
    static func failure(_ error: any Error) -> Failure {
        if let failure = error as? Failure { return failure }
        let problem = ProblemMiddleware<AppRequestContext>.problem(for: error)
        let status = problem.status == .unprocessableContent || error is TransitionError ? .badRequest : problem.status
        let fields = (problem.errors ?? []).map { "\($0.field): \($0.message)" }
        return Failure(status: status, description: fields.isEmpty ? problem.detail ?? status.reasonPhrase : fields.joined(separator: "; "))
    }

    func render(_ document: Open311Document, _ format: Open311Format, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.rendered(format))))
    }

    // MARK: Discovery and services

    @Sendable func discovery(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        // The endpoint is the configured public address, never the request's Host header: a
        // forged Host would otherwise send apps (and their residents' reports) elsewhere.
        let changeset = call.date(started)
        let endpoint: Open311Value = .object([
            ("specification", .string(Self.specification)),
            ("url", .string(configuration.publicURL + Self.root)),
            ("changeset", changeset),
            ("type", .string("production")),
            ("formats", .list(item: "format", Open311Format.allCases.map { .string($0 == .xml ? "text/xml" : "application/json") })),
        ])
        return (.ok, Open311Document(root: "discovery", object: [
            ("changeset", changeset),
            ("contact", .string(configuration.open311.contact)),
            ("key_service", .string(configuration.open311.keyService)),
            ("endpoints", .list(item: "endpoint", [endpoint])),
        ]))
    }

    func catalogue(_ call: Call) async throws -> [Open311Service] {
        let now = clock.now()
        if let cached = services.get(call.tenant.id, now: now) { return cached }
        let built = Open311Service.catalogue(categories: try await store.categories(tenantID: call.tenant.id), settings: configuration.open311.services(city: call.tenant.id))
        services.put(call.tenant.id, built, now: now)
        return built
    }

    @Sendable func services(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        (.ok, Open311Document(root: "services", item: "service", items: try await catalogue(call).map(\.listEntry)))
    }

    func serviceDefinition(_ call: Call, _ code: String) async throws -> (HTTPResponse.Status, Open311Document) {
        guard let service = try await catalogue(call).first(where: { $0.code == code }) else { throw Failure.notFound("service_code \(code) not found") }
        return (.ok, service.definition)
    }

    // MARK: Filing

    @Sendable func postRequest(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        guard let identity = call.identity else { throw Failure.forbidden("api_key was not provided") }
        guard identity.role.allows(.createTicket) else { throw Failure.forbidden("this key may not file requests") }
        let form = call.form
        guard let code = form["service_code"] else { throw Failure.badRequest("service_code was not provided") }
        guard let service = try await catalogue(call).first(where: { $0.code == code }) else { throw Failure.badRequest("service_code \(code) not found") }

        var location = Location()
        switch (form["lat"], form["long"]) {
        case (let lat?, let long?):
            guard let la = Double(lat.trimmingCharacters(in: .whitespaces)), let lo = Double(long.trimmingCharacters(in: .whitespaces)) else {
                throw Failure.badRequest("lat and long must be decimal degrees (WGS84)")
            }
            location.latitude = la
            location.longitude = lo
        case (.some, nil): throw Failure.badRequest("long is required with lat")
        case (nil, .some): throw Failure.badRequest("lat is required with long")
        case (nil, nil): break
        }
        location.address = form["address_string"]
        if let id = form["address_id"] {
            // Address ids are the codes of the city's districts and streets (GET /api/v1/units).
            guard let unit = try await store.unit(code: id, tenantID: call.tenant.id), unit.active, unit.kind == .street || unit.kind == .district else {
                throw Failure.badRequest("address_id \(id) not found: use the code of a district or street/township")
            }
            if unit.kind == .street {
                location.streetCode = unit.code
                location.districtCode = unit.parentCode
            } else {
                location.districtCode = unit.code
            }
        }
        if location.latitude == nil && location.address == nil && location.streetCode == nil && location.districtCode == nil {
            throw Failure.badRequest("a location is required: lat and long, address_string or address_id")
        }

        let description = form["description"] ?? ""
        if description.count > 4_000 { throw Failure.badRequest("description is longer than 4000 characters") }
        var problems: [String] = []
        var answers: [String: [String]] = [:]
        for attribute in service.attributes {
            let given = form.attributes[attribute.code] ?? []
            if let problem = attribute.problem(with: given, timeZone: call.timeZone) { problems.append(problem) }
            if attribute.variable, !given.isEmpty { answers[attribute.code] = given }
        }
        if !problems.isEmpty { throw Failure.badRequest(problems.joined(separator: "; ")) }

        let name = [form["first_name"], form["last_name"]].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        let complainant = Complainant(name: name.isEmpty ? nil : name, phone: form["phone"], email: form["email"])
        let firstLine = description.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let new = NewTicket(
            kind: service.kind, channel: .open311,
            title: firstLine.isEmpty ? service.name : String(firstLine.prefix(80)),
            description: description, categoryCode: service.code, location: location,
            complainant: complainant, mediaURL: form["media_url"], attributes: answers.isEmpty ? nil : answers
        )
        let errors = new.validationErrors()
        if !errors.isEmpty {
            let names = ["complainant.email": "email", "complainant.phone": "phone", "complainant.name": "first_name/last_name", "mediaURL": "media_url",
                         "location.latitude": "lat", "location.longitude": "long", "location.address": "address_string"]
            throw Failure.badRequest(errors.map { "\(names[$0.field] ?? $0.field): \($0.message)" }.joined(separator: "; "))
        }
        let now = clock.now()
        let (ticket, _) = try await intake.file(new, city: call.city, actor: identity.actor, now: now)
        let notice = try await serviceNotice(ticket, call)
        var fields: [(String, Open311Value)] = []
        switch service.type {
        case .realtime:
            fields.append(("service_request_id", .string(ticket.number)))
        case .batch:
            let token = Secrets.newToken(prefix: "t_")
            try await store.saveOpen311Token(token, number: ticket.number, tenantID: call.tenant.id, at: now)
            fields.append(("token", .string(token)))
        case .blackbox:
            break
        }
        fields += [("service_notice", .string(notice)), ("account_id", .string(form["account_id"]))]
        return (.ok, Open311Document(root: "service_requests", item: "request", items: [.object(fields)]))
    }

    /// What the resident learns at once: where the request went and when the reply is due.
    func serviceNotice(_ ticket: Ticket, _ call: Call) async throws -> String {
        if let parent = ticket.mergedInto { return "The same problem was already reported as \(parent); this request joins it." }
        guard let lead = ticket.leadUnit else { return "Received; a dispatcher will send it to the unit responsible." }
        let unit = try await store.unit(code: lead, tenantID: call.tenant.id)?.name ?? lead
        guard let due = ticket.deadlines.resolution else { return "Sent to \(unit)." }
        return "Sent to \(unit); reply due by \(Open311Document.w3cDate(due, timeZone: call.timeZone))."
    }

    @Sendable func postUpdate(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        guard let identity = call.identity else { throw Failure.forbidden("api_key was not provided") }
        guard identity.role.allows(.comment) else { throw Failure.forbidden("this key may not post updates") }
        let form = call.form
        guard let number = form["service_request_id"] else { throw Failure.badRequest("service_request_id was not provided") }
        guard let text = form["description"] else { throw Failure.badRequest("description was not provided") }
        if text.count > 4_000 { throw Failure.badRequest("description is longer than 4000 characters") }
        let status = form["status"]?.lowercased()
        if let status, !Open311Status.accepted.contains(status) {
            throw Failure.badRequest("status must be open or closed, or an extended status such as fixed or in_progress")
        }
        if let url = form["media_url"], !NewTicket.isValidMediaURL(url) {
            throw Failure.badRequest("media_url must be an http or https URL")
        }
        guard let ticket = try await store.ticket(number: number, tenantID: call.tenant.id) else {
            throw Failure.notFound("service_request_id \(number) not found")
        }
        // A resident saying "still not solved" about an answered request sends it back to the
        // unit as a redo; anything else is a remark for the unit's timeline.
        let action: TicketAction
        if let status, Open311Status.reopening.contains(status), [.replied, .evaluated, .closed].contains(ticket.status), identity.role.allows(.reopen) {
            action = .reopen(reason: "Reported not solved through Open311: \(text)")
        } else {
            var details = ["channel": Channel.open311.rawValue]
            if let status { details["requestedStatus"] = status }
            if let url = form["media_url"] { details["mediaURL"] = url }
            action = .comment(text: text, details: details)
        }
        // The one access rule: a key remarks on, or reopens, only the requests it filed.
        let filedBy = TicketAccess.filer(in: try await store.events(ticketID: ticket.id, tenantID: call.tenant.id))
        guard TicketAccess(identity.actor).may(action.name, action.permission, on: ticket, filedBy: filedBy) else {
            throw Failure.forbidden("this api_key may post updates only on the requests it filed")
        }
        let context = call.city.context(now: clock.now(), actor: identity.actor)
        let (_, event) = try await store.apply(action, number: number, tenantID: call.tenant.id, expectedVersion: nil, context: context) { _ in }
        return (.ok, Open311Document(root: "service_request_updates", item: "request_update", items: [
            .object([("update_id", .string(Self.updateID(number, event.sequence)))]),
        ]))
    }

    static func updateID(_ number: String, _ sequence: Int) -> String { "\(number)-\(sequence)" }

    // MARK: Reading

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

    /// The event types the feed publishes: what units and the hotline did, not internal triage.
    static let publishedEvents: [EventType] = EventType.allCases.filter { type in
        // Some events are public only when they close the ticket (an unanswered follow-up).
        [TicketStatus.received, .closed].contains { to in
            Open311Status.extended(TicketEvent(sequence: 0, ticketID: "", tenantID: "", type: type, at: .distantPast, actor: .system, fromStatus: nil, toStatus: to)) != nil
        }
    }

    @Sendable func updates(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        let (from, to) = try window(call)
        let events = try await store.events(tenantID: call.tenant.id, types: Self.publishedEvents, from: from, to: to, limit: 1_000)
        let units = try await unitNames(call)
        // The tickets the updates speak of, once each: their texts pass the disclosure policy
        // (the complainant's name redacted; nothing of a sensitive request's reply).
        var query = TicketQuery()
        query.numbers = Array(Set(events.map(\.number)))
        query.limit = 1_000
        let tickets = query.numbers.isEmpty ? [:] : Dictionary(
            try await store.listTickets(query, tenantID: call.tenant.id).tickets.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        let disclosure = configuration.disclosure
        let items: [Open311Value] = events.compactMap { numbered in
            let e = numbered.event
            guard let status = Open311Status.extended(e), let ticket = tickets[numbered.number] else { return nil }
            return .object([
                ("update_id", .string(Self.updateID(numbered.number, e.sequence))),
                ("service_request_id", .string(numbered.number)),
                ("status", .string(status)),
                ("updated_datetime", call.date(e.at)),
                ("description", .string(Self.updateText(e, of: ticket, disclosure: disclosure, units: units))),
                ("media_url", .string(disclosure.isSensitive(ticket) ? nil : e.payload["mediaURL"])),
            ])
        }
        return (.ok, Open311Document(root: "service_request_updates", item: "request_update", items: items))
    }

    /// The public sentence of an update. Internal notes (contact logs, return notes) stay out:
    /// they may name the complainant. Answers and replies pass the disclosure policy.
    static func updateText(_ e: TicketEvent, of ticket: Ticket, disclosure: Disclosure, units: [String: String]) -> String {
        func name(_ code: String?) -> String { (code ?? e.actor.unitCode).map { units[$0] ?? $0 } ?? "The unit" }
        switch e.detail {
        case .answered(let text): return disclosure.publicText(text, of: ticket) ?? "Answered by the hotline."
        case .dispatched(let routing, _): return "Sent to \(name(routing.leadUnit))."
        case .arbitrated(let routing, _): return "Assigned to \(name(routing.leadUnit)) by a supervisor's ruling."
        case .returnRejected(_, let unit): return "\(name(unit)) remains responsible."
        case .accepted(let unit): return "\(name(unit)) accepted the request."
        case .returned(_, _, let unit): return "\(name(unit)) returned the request to the hotline for re-routing."
        case .contacted(_, _, _, let unit): return "\(name(unit)) contacted the resident."
        case .extended(let until, _, _): return "The reply is now due by \(until?.formatted(.iso8601) ?? "a later date")."
        case .replied(let text, _, _, let unit): return disclosure.publicText(text, of: ticket) ?? "\(name(unit)) replied."
        case .evaluated(let resolved, _, _, _, _):
            return resolved ? "The resident confirmed the problem is solved." : "The resident says the problem is not solved."
        case .reopened(_, let unit): return "Reopened and sent back to \(name(unit))."
        case .closed: return "Closed."
        case .merged(let into): return "Duplicate of \(into)."
        case .extensionApproved(let until, _, _, _, _): return "The reply is now due by \(until.map(TicketStateMachine.stamp) ?? "a later date")."
        case .followUpEnded: return "Closed: the resident could not be reached for a rating."
        case .created, .triaged, .urged, .commented, .overdue, .escalated, .extensionRequested, .extensionRefused, .summoned, .summonsAcknowledged,
             .summonsReported, .summonsRated, .summonsOverdue, .followUpAttempted, .contactsErased:
            return ""
        }
    }
}

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
struct Open311Controller: ServerFace {
    static let root = "/open311/v2"
    static let specification = "http://wiki.open311.org/GeoReport_v2"

    let server: ServerServices
    let credentials: AuthMiddleware
    let keyLimiter: RateLimiter
    let addressLimiter: RateLimiter
    /// When this server started: the `changeset` of discovery.
    let started: Date
    /// Each city's services, rebuilt from the taxonomy at most every 10 seconds: every POST
    /// checks its service, and reading 500 categories per request halved intake throughput.
    let services = ServiceCache(lifetime: 10)

    init(server: ServerServices, credentials: AuthMiddleware) {
        self.server = server
        self.credentials = credentials
        let settings = server.configuration.open311
        keyLimiter = RateLimiter(perMinute: settings.keyRequestsPerMinute, burst: settings.burst)
        addressLimiter = RateLimiter(perMinute: settings.anonymousRequestsPerMinute, burst: settings.burst)
        started = server.clock.now()
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
        let caller = identity.map { "key:" + $0.tenantID + "/" + $0.name } ?? context.addressKey
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
        // A key sent again with another request stays a 422, as on the API.
        let reused = problem.type.hasSuffix(Problem.idempotencyKeyReused)
        let status = (problem.status == .unprocessableContent && !reused) || error is TransitionError ? .badRequest : problem.status
        let fields = (problem.errors ?? []).map { "\($0.field): \($0.message)" }
        return Failure(status: status, description: fields.isEmpty ? problem.detail ?? status.reasonPhrase : fields.joined(separator: "; "))
    }

    func render(_ document: Open311Document, _ format: Open311Format, status: HTTPResponse.Status) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = format.contentType
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: document.rendered(format))))
    }
}

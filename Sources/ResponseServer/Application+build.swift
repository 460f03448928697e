import HTTPTypes
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import ResponseCore
import ResponseDispatch
import ResponseInsight
import ResponseStore
import ServiceLifecycle

/// Builds the application that `swift-response serve` runs and that tests start on a loopback
/// port: the same router, middleware and store wiring in both.
/// - Parameters:
///   - configuration: Host, port, city, deadline policy, limits.
///   - store: An opened and migrated store; the application does not close it.
///   - clock: Source of "now" for every timestamp and deadline.
///   - logger: Where request errors go.
///   - dispatch: The dispatcher engine; by default one built from `configuration` and `store`.
///   - notifier: Where complainant messages go; by default the one `configuration.notifications` names.
///   - liveFeed: The consoles' live feed, run as one of the application's services; by default one
///     looking every `configuration.liveInterval`.
///   - onServerRunning: Called with the bound port once the server listens (port 0 picks a free one).
public func buildApplication(
    configuration: ServerConfiguration,
    store: any TicketStore,
    clock: any WallClock = SystemClock(),
    logger: Logger = Logger(label: "swift-response"),
    dispatch: DispatchService? = nil,
    notifier: (any Notifier)? = nil,
    liveFeed: LiveFeed? = nil,
    services extra: [any Service] = [],
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let feed = liveFeed ?? LiveFeed(store: store, clock: clock, interval: configuration.liveInterval, logger: logger)
    // One directory of cities for the faces and the background services alike.
    let cities = CityDirectory(configuration: configuration, store: store)
    let metrics = ServerMetrics()
    let router = buildRouter(configuration: configuration, store: store, clock: clock, dispatch: dispatch, liveFeed: feed, cities: cities, metrics: metrics).router
    // Background work runs in the application's service group and stops with it.
    var services: [any Service] = [feed]
    if let interval = configuration.sweepInterval {
        let sweeper = DeadlineSweeper(store: store, configuration: configuration, clock: clock, cities: cities)
        services.append(PeriodicService(name: "deadline sweeper", interval: interval, logger: logger, metrics: metrics) {
            let pass = try await sweeper.pass()
            metrics.swept(events: pass.events)
            if pass.events > 0 {
                logger.info("deadline sweep: \(pass.events) events on \(pass.tickets) tickets \(pass.steps.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " "))")
            }
        })
    }
    if let interval = configuration.retentionInterval {
        let purge = RetentionPurge(store: store, configuration: configuration, clock: clock, cities: cities)
        services.append(PeriodicService(name: "retention purge", interval: interval, logger: logger, metrics: metrics) {
            for city in try await purge.pass() where city.erased > 0 || city.repeatRows > 0 {
                logger.info("retention purge of \(city.city): contact data of \(city.erased) tickets erased, \(city.repeatRows) repeat-caller rows")
            }
            // Idempotency keys are kept two days: long past any client's retries.
            try await store.purgeIdempotencyKeys(before: clock.now().addingTimeInterval(-IdempotencyClaim.keptFor))
        })
    }
    if let interval = configuration.notifications.relayInterval {
        let relay = NotificationRelay(store: store, notifier: notifier ?? NotificationRelay.notifier(for: configuration.notifications, signer: configuration.webhookSigner), configuration: configuration, clock: clock, cities: cities)
        services.append(PeriodicService(name: "notification relay", interval: interval, logger: logger, metrics: metrics) {
            let pass = try await relay.drain()
            metrics.delivered(sent: pass.sent, failed: pass.failed)
        })
    }
    if let interval = configuration.insight.interval {
        let warning = EarlyWarning(store: store, settings: configuration.insight, signer: configuration.webhookSigner, clock: clock, logger: logger)
        services.append(PeriodicService(name: "early warning", interval: interval, logger: logger, metrics: metrics) { try await warning.tick() })
    }
    if let interval = configuration.insight.storedRefresh {
        let service = InsightService(store: store), maxAge = configuration.insight.storedMaxAge
        services.append(PeriodicService(name: "stored answers refresh", interval: interval, logger: logger, metrics: metrics) {
            for city in try await store.tenants() {
                try await cityPart(city.id, of: "stored answers refresh", logger: logger) {
                    let started = ContinuousClock.now, days = DayKeys(identifier: city.timeZone)
                    let briefs = try await service.refreshBriefs(tenant: city, days: days, now: clock.now(), maxAge: maxAge, interval: interval)
                    let views = try await service.refreshHotspots(tenant: city, days: days, now: clock.now(), maxAge: maxAge, interval: interval)
                    logger.debug("stored answers of \(city.id) built: \((briefs + views).joined(separator: ", ")) in \(ContinuousClock.now - started)")
                }
            }
        })
    }
    if configuration.exitWhenStuck {
        // Crash-only: a store that cannot write is restarted by the supervisor (systemd's
        // Restart=always); acknowledged tickets are committed, the rest are retried by clients.
        services.append(PeriodicService(name: "store watchdog", interval: 5, logger: logger) {
            guard store.stuckWrites > 0 else { return }
            logger.critical("a database write is stuck on a closed connection: exiting (75) to be restarted")
            exit(75)
        })
    }
    services += extra
    let limits = configuration.connections, connections = ConnectionCapHandler.Counter()
    let http1 = HTTP1Channel.Configuration(
        additionalChannelHandlers: [
            ConnectionCapHandler(counter: connections, cap: limits.maxConnections),
            RequestBodyTimeoutHandler(timeout: limits.bodyTimeout),
        ],
        idleTimeout: TimeAmount(limits.headTimeout)
    )
    return Application(
        router: router,
        server: .http1(configuration: http1),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "swift-response"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}

/// The router with every route, and the list of documented routes it serves.
public func buildRouter(
    configuration: ServerConfiguration,
    store: any TicketStore,
    clock: any WallClock = SystemClock(),
    dispatch: DispatchService? = nil,
    liveFeed: LiveFeed? = nil,
    cities: CityDirectory? = nil,
    metrics: ServerMetrics? = nil
) -> (router: Router<AppRequestContext>, routes: [APIRoute]) {
    let router = Router(context: AppRequestContext.self)
    let metrics = metrics ?? ServerMetrics()
    let dispatch = dispatch ?? makeDispatchService(configuration: configuration, store: store)
    let cities = cities ?? CityDirectory(configuration: configuration, store: store)
    let cache = IdentityCache()
    // Every face: counted and timed (outermost, so that every answer is), security headers (outermost, so that problem responses carry them too),
    // problems for errors, the body limit.
    router.add(middleware: RequestMetricsMiddleware(metrics: metrics))
    if configuration.tracing { router.add(middleware: RequestTracingMiddleware()) }
    router.add(middleware: SecurityHeadersMiddleware())
    router.add(middleware: ProblemMiddleware())
    router.add(middleware: BodyLimitMiddleware(maxBodySize: configuration.maxBodySize))
    router.add(middleware: ClientAddressMiddleware(proxies: configuration.abuse.trustedProxies))
    // The API: bearer tokens, API keys or the console's cookie (whose changes need its header).
    let credentials = AuthMiddleware(store: store, clock: clock, cache: cache, csrf: true)
    let limits = RequestLimitMiddleware(settings: configuration.abuse, clock: clock)
    let apiGroup = router.group(RouterPath(APIRoute.apiPrefix)).add(middleware: credentials).add(middleware: limits)
    // The console's and the portal's pages: the session cookie. Open311, on the router itself,
    // resolves its api_key on its own.
    let pages = router.group().add(middleware: AuthMiddleware(store: store, clock: clock, cache: cache, csrf: false)).add(middleware: limits)

    let api = RouteRegistry(router: router, api: apiGroup, signedIn: router.group().add(middleware: credentials))
    // Readiness (the database answers: send traffic here) apart from liveness (the process
    // answers: do not restart it), so a database failover does not get every instance restarted.
    let ready: @Sendable (Request, AppRequestContext) async throws -> JSONResponse<Health> = { _, _ in
        // A database that is gone does not refuse: the pool waits for a connection. The probe
        // answers 503 within its limit instead of hanging the load balancer's check.
        do {
            let migrations = try await withTimeLimit(Health.probeLimit) {
                try await store.ping()
                return try await store.appliedMigrations()
            }
            return JSONResponse(value: Health(status: "ok", database: store.engine, migrations: migrations))
        } catch {
            throw Problem(.serviceUnavailable, type: "not-ready", detail: "the database does not answer")
        }
    }
    api.add(.get, "/health", summary: "Readiness: the database answers (as /health/ready)", tag: "system", access: .public, response: "Health", handler: ready)
    api.add(.get, "/health/ready", summary: "Readiness: the database answers; 503 while it does not", tag: "system", access: .public, response: "Health", handler: ready)
    api.add(.get, "/health/live", summary: "Liveness: the process answers and no write is stuck (no database call); 503 when it should be restarted",
            tag: "system", access: .public, response: "Liveness") { _, _ in
        // A write stuck on a connection closed under it holds every filing behind it: restart.
        guard store.stuckWrites == 0 else { throw Problem(.serviceUnavailable, type: "stuck", detail: "a database write is stuck: restart this instance") }
        return JSONResponse(value: ["status": "ok"])
    }
    api.add(.get, "/", summary: "Where things are (a browser is sent to the console)", tag: "system", access: .public, response: "Index") { request, context -> Response in
        if (request.headers[.accept] ?? "").contains("text/html") { return ConsoleController.redirect("/console") }
        return try JSONResponse(value: ["name": "SwiftResponse", "api": "/api/v1", "openapi": "/api/v1/openapi.json", "health": "/health",
                                        "login": "POST /api/v1/auth/login", "console": "/console", "portal": "/portal",
                                        "open311": Open311Controller.root + "/discovery.json"]).response(from: request, context: context)
    }
    // One intake for every channel that files tickets, one way for every action on a ticket.
    let server = ServerServices(
        store: store, clock: clock, configuration: configuration, cities: cities, dispatch: dispatch,
        intake: TicketIntake(store: store, configuration: configuration, dispatch: dispatch, metrics: metrics),
        desk: TicketDesk(store: store, clock: clock, cities: cities, dispatch: dispatch),
        knowledge: KnowledgeBase(store: store), identities: cache,
        logins: LoginGuard(settings: configuration.abuse, store: store), metrics: metrics
    )
    let auth = AuthController(server: server)
    auth.register(on: api)
    TicketController(server: server).register(on: api)
    ReferenceController(server: server).register(on: api)
    AdminController(server: server).register(on: api)
    LoginLockController(server: server).register(on: api)
    FollowUpController(server: server).register(on: api)
    AssessmentController(server: server).register(on: api)
    AccessLogController(server: server).register(on: api)
    Open311Controller(server: server, credentials: credentials).register(on: router)
    KnowledgeController(server: server).register(on: api)
    DeskController(server: server).register(on: api)
    PublicController(server: server).register(on: api)
    OpenDataController(server: server).register(on: api)
    InsightController(server: server).register(on: api)
    TopicController(server: server).register(on: api)
    MetricsController(server: server, logger: Logger(label: "swift-response")).register(on: api)
    // Without a running feed (a router built on its own) streams answer 503.
    let feed = liveFeed ?? LiveFeed(store: store, clock: clock, interval: configuration.liveInterval, logger: Logger(label: "swift-response"))
    LiveController(feed: feed, configuration: configuration).register(on: apiGroup)
    ConsoleController(server: server, auth: auth).register(on: pages)

    // The document is built once, after every route is registered, and served as bytes.
    var documented = api.routes
    documented.append(APIRoute(method: .get, path: "/api/v1/openapi.json", summary: "This OpenAPI 3.1 document", tag: "system",
                               access: RouteAccess.public.description, requestSchema: nil, responseSchema: nil, successStatus: 200, query: []))
    let document = ByteBuffer(bytes: OpenAPIDocument.json(routes: documented))
    router.get("/api/v1/openapi.json") { _, _ -> Response in
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: document))
    }
    // Unknown paths get a problem document too, not an empty 404.
    router.on("/**", method: .get) { _, _ -> Response in throw Problem.notFound("no such resource") }
    router.on("/**", method: .post) { _, _ -> Response in throw Problem.notFound("no such resource") }
    return (router, documented)
}

/// The dispatcher engine of a deployment: trained per city from the store's reference data and
/// recent tickets on first use.
public func makeDispatchService(configuration: ServerConfiguration, store: any TicketStore) -> DispatchService {
    DispatchService(
        settings: configuration.dispatch, layers: configuration.geoLayers, catalogues: configuration.catalogues,
        defaultCatalogue: configuration.defaultCatalogue
    ) { tenantID, limit in
        (try await store.units(tenantID: tenantID), try await store.categories(tenantID: tenantID), try await store.recentTickets(tenantID: tenantID, limit: limit))
    }
}

/// The body of `GET /health`.
struct Health: Encodable, Sendable {
    var status: String
    var database: String
    var migrations: [Int]

    /// How long readiness waits for the database before it answers 503.
    static let probeLimit: Duration = .seconds(3)
}

import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ResponseCore
import ResponseServer
import ResponseStore
import Synchronization

/// `swift-response bench console`: what the screens cost. The demo city plus a knowledge base of
/// thousands of articles is served on loopback; concurrent keep-alive clients request each
/// screen's calls (page render, live suggestions while typing, knowledge search, tracking, the
/// public dashboard, the supervisor's figures) and the command prints requests/s, latency
/// percentiles and peak memory per call; then intake with open live streams against without.
struct BenchConsoleCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "console", abstract: "Console and portal calls over HTTP: requests/s, p50/p95/p99, peak RSS; the cost of open live streams.")

    @Option(help: "Requests per call measured.") var requests: Int = 2_000
    @Option(help: "Concurrent HTTP clients.") var clients: Int = 8
    @Option(help: "Knowledge-base articles added to the demo's (made from the demo messages).") var articles: Int = 5_000
    @Option(help: "Live streams held open during the intake comparison (0 skips it).") var streams: Int = 100
    @Option(help: "Run against this PostgreSQL URL instead of a temporary SQLite file (the demo city is loaded into it).") var postgres: String?

    struct Call: Sendable {
        var name: String
        var method: HTTPRequest.Method
        var paths: [String]
        var bodies: [[UInt8]] = []
        var cookie = false
    }

    func run() async throws {
        guard requests > 0, clients > 0, articles >= 0, streams >= 0 else { throw ValidationError("counts must be positive") }
        var logger = Logger(label: "bench")
        logger.logLevel = .error
        let sqlitePath = FileManager.default.temporaryDirectory.appendingPathComponent("swift-response-console-\(UUID().uuidString.prefix(8)).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } }
        try await SQLTicketStore.withStore(url: postgres ?? sqlitePath, contacts: .ephemeral(), logger: logger) { store in
            try await store.migrate()
            try await measure(store: store, logger: logger)
        }
    }

    func measure(store: SQLTicketStore, logger: Logger) async throws {
        let configuration = try Self.serverConfiguration()
        let password = Secrets.randomPassword()
        let loaded = try await DemoCity.load(into: store, password: password, clock: SystemClock(), city: configuration.city(DemoCity.tenant), bcryptCost: 4)
        let messages = try DemoCity.messages()
        let kb = try await seedKnowledge(store: store, messages: messages)
        var query = TicketQuery()
        query.limit = 200
        let numbers = try await store.listTickets(query, tenantID: DemoCity.tenant.id).tickets.map(\.number)
        print("bench console: demo city (\(loaded.tickets) tickets, \(loaded.units) units), \(kb) knowledge articles, \(store.engine); \(requests) requests per call, \(clients) clients; \(ProcessInfo.processInfo.activeProcessorCount) cores")

        let portBox = Mutex<Int?>(nil)
        let app = buildApplication(configuration: configuration, store: store, logger: logger) { port in portBox.withLock { $0 = port } }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await app.runService() }
            let port = try await BenchCommand.boundPort { portBox.withLock { $0 } }
            let token = try await Self.login(port: port, user: "agent", password: password)
            let supervisor = try await Self.login(port: port, user: "supervisor", password: password)

            func json(_ object: [String: Any]) -> [UInt8] { Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data()) }
            let drafts = messages.prefix(200).map { json(["kind": "complaint", "title": $0.title, "description": $0.detail]) }
            let terms = ["停水", "供暖", "养老保险", "噪音", "water outage", "pension", "学校", "公交", "拖欠工资", "construction noise"]
            func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "" }
            let calls: [(Call, String)] = [
                (Call(name: "page /console/intake (render)", method: .get, paths: ["/console/intake"], cookie: true), token),
                (Call(name: "POST /api/v1/suggest (typing)", method: .post, paths: ["/api/v1/suggest"], bodies: drafts), token),
                (Call(name: "GET /api/v1/knowledge?q= (search)", method: .get, paths: terms.map { "/api/v1/knowledge?q=\(encode($0))&limit=10" }), token),
                (Call(name: "GET /api/v1/public/requests/{n}", method: .get, paths: numbers.map {
                    "/api/v1/public/requests/\($0)?code=" + TrackingCode.make(number: $0, tenantID: DemoCity.tenant.id, secret: configuration.linkSecret)
                }), ""),
                (Call(name: "GET /api/v1/public/dashboard", method: .get, paths: ["/api/v1/public/dashboard"]), ""),
                (Call(name: "GET /api/v1/stats/load", method: .get, paths: ["/api/v1/stats/load"]), supervisor),
                (Call(name: "GET /api/v1/stats/volume", method: .get, paths: ["/api/v1/stats/volume?days=30"]), supervisor),
                (Call(name: "GET /api/v1/tickets?sort=due (inbox)", method: .get, paths: ["/api/v1/tickets?status=dispatched,accepted,contacted,reopened&sort=due&limit=50"]), supervisor),
            ]
            for (call, credential) in calls {
                // One untimed request first: the dispatcher trains its models on first use.
                _ = try await Self.load(port: port, call: call, token: credential, requests: 1, clients: 1)
                let result = try await Self.load(port: port, call: call, token: credential, requests: requests, clients: clients)
                print(result.report(call.name))
            }

            if streams > 0 {
                try await measureStreams(port: port, token: token, supervisor: supervisor, bodies: messages.prefix(300).map {
                    json(["kind": "complaint", "channel": "phone", "title": $0.title, "description": $0.detail])
                })
            }
            print("  peak RSS of the process (server + clients): \(BenchCommand.Intake.peakRSSMegabytes()) MB")
            group.cancelAll()
        }
    }

    /// The demo city's server with the limits lifted: every client comes from one address.
    static func serverConfiguration() throws -> ServerConfiguration {
        var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, tenant: DemoCity.tenant, bcryptCost: 4)
        configuration.catalogues[DemoCity.tenant.id] = try DemoCity.catalogue()
        configuration.geoLayers = DemoCity.geoLayers()
        configuration.sweepInterval = nil
        configuration.notifications.relayInterval = nil
        configuration.open311.anonymousRequestsPerMinute = 100_000_000
        configuration.open311.burst = 100_000_000
        configuration.open311.publicReadsPerMinute = 100_000_000
        configuration.abuse.anonymousRequestsPerMinute = 100_000_000
        configuration.abuse.anonymousBurst = 100_000_000
        configuration.abuse.requestsPerMinute = 100_000_000
        configuration.abuse.requestBurst = 100_000_000
        return configuration
    }

    /// A knowledge base of realistic size: articles made from the demo's real messages.
    /// - Returns: How many articles the city has.
    func seedKnowledge(store: SQLTicketStore, messages: [(title: String, detail: String)]) async throws -> Int {
        let existing = try await store.articles(tenantID: DemoCity.tenant.id).count
        for i in existing..<max(existing, articles) {
            let m = messages[i % messages.count]
            try await store.saveArticle(KnowledgeArticle(id: "bench-\(i)", tenantID: DemoCity.tenant.id, title: m.title,
                                                         body: String(m.detail.prefix(600)), updatedAt: Date(), updatedBy: "bench"))
        }
        return try await store.articles(tenantID: DemoCity.tenant.id).count
    }

    /// Live streams: the same intake with and without open consoles polling the event log.
    func measureStreams(port: Int, token: String, supervisor: String, bodies: [[UInt8]]) async throws {
        let filing = Call(name: "intake", method: .post, paths: ["/api/v1/tickets"], bodies: bodies)
        let quiet = try await Self.load(port: port, call: filing, token: token, requests: requests, clients: clients)
        print(quiet.report("POST /api/v1/tickets, no live streams"))
        // Each stream on its own connection, as browsers hold them; closing the connections
        // afterwards ends the streams.
        let streamClients = (0..<streams).map { _ in TestClient(host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(600))) }
        let busy = try await withThrowingTaskGroup(of: Void.self) { streamsGroup in
            for client in streamClients {
                client.connect()
                streamsGroup.addTask {
                    var headers = HTTPFields()
                    headers[.authorization] = "Bearer \(supervisor)"
                    _ = try? await client.execute(.init("/api/v1/stream", method: .get, headers: headers))
                }
            }
            try await Task.sleep(for: .seconds(2))  // every stream connected and polling
            let result = try await Self.load(port: port, call: filing, token: token, requests: requests, clients: clients)
            try await Task.sleep(for: .seconds(3))  // the last changes reach the streams
            for client in streamClients { try? await client.shutdown() }
            return result
        }
        print(busy.report("POST /api/v1/tickets, \(streams) live streams open"))
        print(String(format: "  live streams cost %.1f %% of intake throughput (%.0f → %.0f req/s)",
                     100 * (1 - busy.perSecond / quiet.perSecond), quiet.perSecond, busy.perSecond))
    }

    struct Result {
        var count: Int
        var errors: Int
        var seconds: Double
        var latencies: [Double]
        var perSecond: Double { Double(count) / max(seconds, 1e-9) }

        func percentile(_ p: Double) -> Double {
            guard !latencies.isEmpty else { return 0 }
            let i = min(latencies.count - 1, Int((p / 100 * Double(latencies.count)).rounded(.up)) - 1)
            return latencies[max(0, i)]
        }

        func report(_ name: String) -> String {
            String(format: "  %-44@ %7.0f req/s  p50 %6.2f ms  p95 %6.2f ms  p99 %6.2f ms  max %7.2f ms  %d errors",
                   name as NSString, perSecond, percentile(50), percentile(95), percentile(99), latencies.last ?? 0, errors)
        }
    }

    static func login(port: Int, user: String, password: String) async throws -> String {
        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
            var headers = HTTPFields()
            headers[.contentType] = "application/json"
            let body = ByteBuffer(bytes: Array(#"{"username":"\#(user)","password":"\#(password)"}"#.utf8))
            let response = try await client.post("/api/v1/auth/login", headers: headers, body: body)
            guard let data = response.body.map({ Data($0.readableBytesView) }),
                  let object = try JSONSerialization.jsonObject(with: data) as? [String: Any], let token = object["token"] as? String
            else { throw ValidationError("login as \(user) failed: \(response.status)") }
            return token
        }
    }

    /// `requests` calls spread over `clients` keep-alive connections.
    static func load(port: Int, call: Call, token: String, requests: Int, clients: Int) async throws -> Result {
        let issued = Counter()
        let start = ContinuousClock.now
        let (latencies, errors) = try await withThrowingTaskGroup(of: ([Double], Int).self) { group in
            for _ in 0..<clients {
                group.addTask {
                    try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                        var latencies: [Double] = [], errors = 0
                        var headers = HTTPFields()
                        if !token.isEmpty {
                            if call.cookie { headers[.cookie] = "sr_session=\(token)" } else { headers[.authorization] = "Bearer \(token)" }
                        }
                        if call.method == .post { headers[.contentType] = "application/json" }
                        while true {
                            let n = issued.next()
                            if n >= requests { break }
                            let path = call.paths[n % call.paths.count]
                            let body = call.bodies.isEmpty ? nil : ByteBuffer(bytes: call.bodies[n % call.bodies.count])
                            let t0 = ContinuousClock.now
                            let response = try await client.execute(.init(path, method: call.method, headers: headers, body: body))
                            latencies.append((ContinuousClock.now - t0).seconds * 1000)
                            if response.status.code >= 400 { errors += 1 }
                        }
                        return (latencies, errors)
                    }
                }
            }
            var all: [Double] = [], errors = 0
            for try await (l, e) in group { all += l; errors += e }
            return (all, errors)
        }
        return Result(count: latencies.count, errors: errors, seconds: (ContinuousClock.now - start).seconds, latencies: latencies.sorted())
    }
}

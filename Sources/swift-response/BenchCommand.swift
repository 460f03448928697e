import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ResponseCore
import ResponseDispatch
import ResponseServer
import ResponseStore
import Synchronization

/// `swift-response bench intake`: files tickets over real HTTP on loopback with N concurrent
/// keep-alive clients and prints throughput, latency percentiles and peak memory; then the raw
/// store insert rate as a reference.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "bench", abstract: "Benchmarks.", subcommands: [Intake.self, BenchDispatchCommand.self, BenchAssessmentCommand.self, BenchSweepCommand.self, BenchConsoleCommand.self, BenchInsightCommand.self, BenchPrivacyCommand.self])

    struct Intake: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Ticket intake over HTTP: tickets/s, p50/p95/p99, peak RSS.")

        @Option(help: "Concurrent HTTP clients.") var clients: Int = 8
        @Option(help: "Tickets to file over HTTP.") var tickets: Int = 20_000
        @Option(help: "Tickets for the raw store insert reference.") var storeTickets: Int = 5_000
        @Option(help: "Also run against this PostgreSQL URL (its data is left in place, in city 'bench').") var postgres: String?
        @Option(help: "SQLite file to use (default: a fresh temporary file, removed afterwards).") var sqlite: String?
        @Option(help: "on: the demo city's reference data, catalogue and trained models classify, locate and route every ticket in the request; off: filing only.")
        var dispatch: Switch = .on
        @Option(help: "api: JSON to POST /api/v1/tickets; open311: form bodies to POST /open311/v2/requests.json, as an Open311 app files them.")
        var via: Channel = .api
        @Option(help: "on: complainants' contact data sealed at rest (AES-GCM, as the server runs); off: written as given; both: one run of each, back to back, on fresh databases.")
        var seal: Seal = .on

        enum Switch: String, ExpressibleByArgument { case on, off }
        enum Seal: String, ExpressibleByArgument, CaseIterable { case on, off, both }
        enum Channel: String, ExpressibleByArgument { case api, open311 }

        func run() async throws {
            guard clients > 0, tickets > 0 else { throw ValidationError("clients and tickets must be positive") }
            guard storeTickets >= 0 else { throw ValidationError("--store-tickets must be 0 (skip) or more") }
            print("bench intake: \(tickets) tickets over HTTP via \(via == .api ? "/api/v1/tickets" : "/open311/v2/requests.json"), \(clients) clients, loopback; \(ProcessInfo.processInfo.activeProcessorCount) cores")
            let tmp = FileManager.default.temporaryDirectory.appendingPathComponent("swift-response-bench-\(UUID().uuidString.prefix(8))").path
            let modes: [Seal] = seal == .both ? [.on, .off] : [seal]
            for mode in modes {
                let sqlitePath = sqlite.map { modes.count > 1 ? "\($0)-\(mode.rawValue)" : $0 } ?? "\(tmp)-seal-\(mode.rawValue).sqlite"
                defer {
                    if sqlite == nil { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: sqlitePath + suffix) } }
                }
                let keys: ContactKeys = mode == .off ? .unsealed() : .ephemeral()
                let sealing = mode == .off ? "contacts clear" : "contacts sealed"
                try await runEngine(url: sqlitePath, label: "sqlite, \(sealing)", contacts: keys)
                if let postgres { try await runEngine(url: postgres, label: "postgres, \(sealing)", contacts: keys) }
            }
        }

        func runEngine(url: String, label: String, contacts: ContactKeys) async throws {
            var logger = Logger(label: "bench")
            logger.logLevel = .error
            try await SQLTicketStore.withStore(url: url, contacts: contacts, logger: logger) { store in
                try await store.migrate()
                let result = try await httpRun(store: store, logger: logger)
                print(result.report(label: label))
                if storeTickets > 0 {
                    let raw = try await storeRun(store: store)
                    print("  [\(label)] raw store inserts: \(raw.sequential) tickets/s sequential, \(raw.concurrent) tickets/s with \(clients) concurrent writers")
                }
                print("  [\(label)] peak RSS of the process (server + clients): \(Self.peakRSSMegabytes()) MB; tickets in store: \(try await store.countTickets(tenantID: "bench") + store.countTickets(tenantID: DemoCity.tenant.id))")
            }
        }

        struct Result {
            var count: Int
            var errors: Int
            var seconds: Double
            var latencies: [Double]

            func percentile(_ p: Double) -> Double {
                guard !latencies.isEmpty else { return 0 }
                let i = min(latencies.count - 1, Int((p / 100 * Double(latencies.count)).rounded(.up)) - 1)
                return latencies[max(0, i)]
            }

            func report(label: String) -> String {
                String(format: "  [%@] HTTP intake: %d tickets in %.2f s = %.0f tickets/s; latency ms p50 %.2f, p95 %.2f, p99 %.2f, max %.2f; %d errors",
                       label, count, seconds, Double(count) / seconds, percentile(50), percentile(95), percentile(99), latencies.last ?? 0, errors)
            }
        }

        /// What the HTTP run posts, where, and what answers success.
        struct HTTPPlan: Sendable {
            var configuration: ServerConfiguration
            var path = "/api/v1/tickets"
            var contentType = "application/json"
            var success = HTTPResponse.Status.created
            var bodies: [[UInt8]]
        }

        func httpRun(store: SQLTicketStore, logger: Logger) async throws -> Result {
            let plan = try await httpPlan(store: store)
            let tenant = plan.configuration.tenant
            let secret = Secrets.newToken(prefix: "srk_")
            try await store.createAPIKey(APIKey(id: UUID().uuidString, tenantID: tenant.id, name: "bench-\(UUID().uuidString.prefix(6))", role: .integration, keyHash: Secrets.hashToken(secret), createdAt: Date()))
            let portBox = Mutex<Int?>(nil)
            let app = buildApplication(configuration: plan.configuration, store: store, logger: logger) { port in portBox.withLock { $0 = port } }
            return try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask { try await app.runService(); return nil }
                let port = try await BenchCommand.boundPort { portBox.withLock { $0 } }
                let result = try await drive(plan, port: port, secret: secret)
                group.cancelAll()
                return result
            }
        }

        /// The city and the bodies: the same real messages in both dispatch modes, so on and off
        /// differ only by the dispatch work; as JSON for the API, as forms for Open311.
        func httpPlan(store: SQLTicketStore) async throws -> HTTPPlan {
            var tenant = Tenant(id: "bench", name: "Benchmark city", timeZone: "UTC")
            var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, tenant: tenant)
            configuration.policy = .standard()
            // One API key files everything: measure the server, not its limit on a key.
            configuration.abuse.requestsPerMinute = 100_000_000
            configuration.abuse.requestBurst = 100_000_000
            if dispatch == .on {
                // A city with history: the demo's units, taxonomy, catalogue and 301 real tickets
                // train the models; the bodies are the real messages, so every request is
                // classified, located (gazetteer) and routed, and duplicates are looked for.
                tenant = DemoCity.tenant
                _ = try await DemoCity.load(into: store, password: Secrets.randomPassword(), clock: SystemClock(), city: configuration.city(DemoCity.tenant), bcryptCost: 4)
                configuration.tenant = tenant
                configuration.catalogues[tenant.id] = try DemoCity.catalogue()
                // Bodies repeat every 301 messages; merging them all would measure the merge path only.
                configuration.dispatch.duplicates.mergeAt = 2
            } else {
                configuration.dispatch.enabled = false
            }
            try await store.saveTenant(tenant)
            guard via == .open311 else {
                let bodies = try DemoCity.messages().enumerated().map { i, m in
                    var object: [String: Any] = ["kind": "complaint", "channel": "phone", "title": m.title, "description": m.detail]
                    if i % 3 == 0 { object["complainant"] = ["name": "张三", "phone": "1380000\(String(format: "%04d", i))", "anonymous": false] }
                    return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
                }
                return HTTPPlan(configuration: configuration, bodies: bodies)
            }
            // The same messages as Open311 forms, each for the level-3 category the demo city
            // filed it under (or one category in a city without a taxonomy).
            configuration.open311.keyRequestsPerMinute = 100_000_000
            configuration.open311.burst = 100_000_000
            if try await store.categories(tenantID: tenant.id).isEmpty {
                try await store.saveCategory(Category(code: "01", tenantID: tenant.id, name: "Benchmark", level: 1, parentCode: nil))
            }
            let leaves = Open311Service.catalogue(categories: try await store.categories(tenantID: tenant.id), settings: [:]).map(\.code)
            let allowed = CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))
            func encode(_ s: String) -> String { s.addingPercentEncoding(withAllowedCharacters: allowed) ?? "" }
            let forms = try DemoCity.messages().enumerated().map { i, m in
                let form = "service_code=\(leaves[i % leaves.count])&lat=\(39.85 + Double(i % 20) * 0.01)&long=\(116.30 + Double(i % 17) * 0.01)"
                    + "&description=\(encode(m.title + "\n" + m.detail))" + (i % 3 == 0 ? "&first_name=San&last_name=Zhang&phone=1380000\(String(format: "%04d", i))" : "")
                return Array(form.utf8)
            }
            return HTTPPlan(configuration: configuration, path: "/open311/v2/requests.json", contentType: "application/x-www-form-urlencoded",
                            success: .ok, bodies: forms)
        }

        /// `clients` connections filing `tickets` requests between them. Each request carries an
        /// `Idempotency-Key` and is retried under it (up to 3 times) when the server answers
        /// 429 or 5xx, as a careful client does: a retry never files twice.
        func drive(_ plan: HTTPPlan, port: Int, secret: String) async throws -> Result {
            let total = tickets, clientCount = clients, run = UUID().uuidString.prefix(8)
            let issued = Counter()
            let start = ContinuousClock.now
            let (latencies, errors) = try await withThrowingTaskGroup(of: ([Double], Int).self) { clientsGroup in
                for _ in 0..<clientCount {
                    clientsGroup.addTask {
                        try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                            var latencies: [Double] = []
                            var errors = 0
                            var headers = HTTPFields()
                            headers[.contentType] = plan.contentType
                            headers[.apiKey] = secret
                            while true {
                                let n = issued.next()
                                if n >= total { break }
                                headers[.idempotencyKey] = "bench-\(run)-\(n)"
                                let t0 = ContinuousClock.now
                                var status = HTTPResponse.Status.internalServerError
                                for _ in 0..<3 {
                                    status = try await client.post(plan.path, headers: headers, body: ByteBuffer(bytes: plan.bodies[n % plan.bodies.count])).status
                                    if status.code != 429 && status.code < 500 { break }
                                }
                                latencies.append((ContinuousClock.now - t0).seconds * 1000)
                                if status != plan.success { errors += 1 }
                            }
                            return (latencies, errors)
                        }
                    }
                }
                var all: [Double] = []
                var errors = 0
                for try await (l, e) in clientsGroup { all += l; errors += e }
                return (all, errors)
            }
            return Result(count: latencies.count, errors: errors, seconds: (ContinuousClock.now - start).seconds, latencies: latencies.sorted())
        }

        func storeRun(store: SQLTicketStore) async throws -> (sequential: Int, concurrent: Int) {
            let tenant = Tenant(id: "bench", name: "Benchmark city", timeZone: "UTC")
            let actor = Actor(name: "bench", role: .system)
            let samples = try Self.sampleBodies().map { try JSONDecoder.api.decode(NewTicket.self, from: Data($0)) }
            let n = storeTickets
            let t0 = Date()
            for i in 0..<n { _ = try await store.createTicket(samples[i % samples.count], tenant: tenant, actor: actor, now: Date()) }
            let sequential = Double(n) / Date().timeIntervalSince(t0)
            let t1 = Date()
            let writers = clients
            try await withThrowingTaskGroup(of: Void.self) { group in
                for w in 0..<writers {
                    group.addTask {
                        for i in stride(from: w, to: n, by: writers) {
                            _ = try await store.createTicket(samples[i % samples.count], tenant: tenant, actor: actor, now: Date())
                        }
                    }
                }
                try await group.waitForAll()
            }
            let concurrent = Double(n) / Date().timeIntervalSince(t1)
            return (Int(sequential), Int(concurrent))
        }

        /// Realistic request bodies in Chinese and English, with and without location and contact.
        static func sampleBodies() -> [[UInt8]] {
            let texts: [(String, String)] = [
                ("小区门口道路占道施工，安全隐患大", "A3区洋湖街道某小区门口道路被施工围挡占用，行人只能走机动车道，上下班时段十分危险，请尽快处理。"),
                ("Noise from construction site after 10pm", "Construction at the corner keeps running jackhammers after 10pm every night this week."),
                ("冬季供暖温度不达标", "家里暖气温度只有十四度，多次联系物业未解决，老人孩子受不了。"),
                ("Pothole on main street", "Large pothole in the right lane, cars swerve into the bike lane to avoid it."),
                ("拖欠农民工工资", "在工地干了三个月，包工头一直拖欠工资，共计两万余元，请劳动部门帮助追讨。"),
            ]
            return texts.enumerated().map { i, t in
                var object: [String: Any] = ["kind": "complaint", "channel": i % 2 == 0 ? "phone" : "web", "title": t.0, "description": t.1]
                if i % 2 == 0 { object["location"] = ["latitude": 39.9 + Double(i) / 100, "longitude": 116.4, "address": "示范路\(i)号"] }
                if i % 3 == 0 { object["complainant"] = ["name": "张三", "phone": "13800001234", "anonymous": false] }
                return Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data())
            }
        }

        /// Peak resident set size (VmHWM) from /proc, in MB.
        static func peakRSSMegabytes() -> Int {
            guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
                  let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
                  let kb = Int(line.split(whereSeparator: \.isWhitespace).dropFirst().first ?? "")
            else { return -1 }
            return kb / 1024
        }
    }

    /// Waits up to five seconds for an in-process server to report its port.
    static func boundPort(_ read: @Sendable () -> Int?) async throws -> Int {
        for _ in 0..<500 {
            if let port = read() { return port }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw ValidationError("the server did not start")
    }
}

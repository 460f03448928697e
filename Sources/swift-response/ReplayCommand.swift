import ArgumentParser
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ResponseCore
import ResponseDispatch
import ResponseInsight
import ResponseServer
import ResponseStore
import Synchronization

/// `swift-response replay FILE --speed 100x`: plays a real 311 stream back through the real HTTP
/// intake of an in-process server whose clock runs at the data's time, with the early-warning
/// detector watching, optionally with an injected burst; then reports the alerts, the burst's
/// detection delay and the intake's latency.
struct ReplayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay a 311 file through the HTTP intake at N× speed and measure the early warning."
    )

    @Argument(help: "A 311 open-data CSV (NYC, SF, Boston or LA layout; .csv or .csv.gz).") var file: String
    @Option(help: "How much faster than real time, e.g. 100x.") var speed = "100x"
    @Option(help: "First day replayed through HTTP, yyyy-MM-dd (default: the day after the learning days).") var from: String?
    @Option(help: "Days replayed through HTTP.") var days = 1.0
    @Option(help: "Days before `from` filed directly (as `import` does) for the detector to learn from.") var learnDays = 28
    @Option(help: "A burst to add: at=yyyy-MM-ddTHH:mm (local),size=N,minutes=M[,category=CODE][,district=CODE]; category and district default to the busiest stream.") var inject: String?
    @Option(help: "SQLite file for the replay (default: a temporary file, removed afterwards).") var database: String?
    @Option(help: "Requests in flight at most.") var concurrency = 16
    @Option(help: "Detector settings as JSON (keys of SpikeDetector.Settings; missing keys keep their defaults), e.g. '{\"warmUpDays\":1}' for a file of a few days.") var settings: String?

    func run() async throws {
        let detector = try detectorSettings(settings)
        let factor = Double(speed.lowercased().replacingOccurrences(of: "x", with: "")) ?? 0
        guard factor >= 1, factor <= 100_000 else { throw ValidationError("--speed must be 1x to 100000x, e.g. 100x") }
        guard days > 0, days <= 366 else { throw ValidationError("--days must be more than 0 and at most 366") }
        let table = CSVTable(text: try ImportCommand.read(file))
        guard let format = OpenDataRecord.Format.detect(table.header) else { throw ValidationError("\(file): unknown layout") }
        let zone = format.timeZone
        let days = DayKeys(identifier: zone)
        let path = database ?? FileManager.default.temporaryDirectory.appendingPathComponent("sr-replay-\(UUID().uuidString.prefix(8)).sqlite").path
        defer { if database == nil { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } } }
        var quiet = Logger(label: "swift-response.replay")
        quiet.logLevel = ProcessInfo.processInfo.environment["SR_REPLAY_LOG"] == nil ? .critical : .info
        let (latencies, errors, lateness, alerts, burst) = try await SQLTicketStore.withStore(url: path, contacts: .ephemeral(), logger: quiet) { store in
            try await store.migrate()
            let tenant = Tenant(id: "replay", name: "Replay of \(format.rawValue)", timeZone: zone)
            try await store.saveTenant(tenant)
            let (all, _) = try await ImportCommand.prepare(table.rows, table: table, format: format, store: store, tenant: tenant)
            let items = all.sorted { $0.created < $1.created }
            guard let first = items.first else { throw ValidationError("\(file): no readable rows") }
            let start: Date
            if let from {
                guard let d = days.start(ofValidDay: from) else { throw ValidationError("--from must be a day, yyyy-MM-dd") }
                start = d
            } else {
                start = days.adding(days: learnDays, to: days.startOfDay(first.created)) ?? first.created
            }
            let end = start.addingTimeInterval(self.days * 86_400)
            let learnFrom = start.addingTimeInterval(-Double(learnDays) * 86_400)
            let history = items.filter { $0.created >= learnFrom && $0.created < start }
            var window = items.filter { $0.created >= start && $0.created < end }
            say("replay: \(history.count) tickets of the \(learnDays) days before \(days.key(start)) filed directly; \(window.count) to replay over \(self.days) day(s) at \(Int(factor))x")
            try await ImportCommand.file(history, store: store, city: City(tenant), importer: Actor(name: "replay", role: .system), label: "learning")

            let burst = try inject.map { try Self.burst($0, window: window, days: days, zone: zone) }
            if let burst { try Self.inject(burst, into: &window, zone: zone) }

            let (latencies, errors, lateness, alerts) = try await replayOverHTTP(
                window, store: store, tenant: tenant, start: start, end: end, factor: factor, days: days, detector: detector, logger: quiet
            )
            return (latencies, errors, lateness, alerts, burst)
        }

        try report(latencies: latencies, errors: errors, lateness: lateness, alerts: alerts, burst: burst, factor: factor, zone: zone)
    }

    /// Adds the burst's tickets to the window, copies of one of its stream (different callers).
    static func inject(_ b: SpikeEvaluation.Burst, into window: inout [ImportCommand.Item], zone: String) throws {
        let matching = window.first { item in
            let top = item.ticket.categoryCode.flatMap { $0.split(separator: ".").first }.map(String.init)
            return top == b.stream.category && item.ticket.location?.districtCode == b.stream.district
        }
        guard let template = matching ?? window.first else { throw ValidationError("--inject: the window has no ticket to copy") }
        for k in 0..<b.size {
            var item = template
            item.created = b.start.addingTimeInterval(Double(b.minutes * 60) * Double(k) / Double(b.size))
            item.ticket.title = "Injected burst \(k + 1)/\(b.size)"
            item.ticket.channel = Channel.phone
            // Different residents: the detector counts one caller's repeats once.
            item.ticket.complainant?.phone = nil
            window.append(item)
        }
        window.sort { $0.created < $1.created }
        say("injected: \(b.size) tickets of \(b.stream.category) in \(b.stream.district) from \(ISO8601DateFormatter.string(from: b.start, timeZone: TimeZone(identifier: zone) ?? .gmt, formatOptions: [.withInternetDateTime])) over \(b.minutes) min")
    }

    /// Prints the intake's latency, the alerts and the burst's detection delay, then one JSON line.
    func report(latencies: [Double], errors: Int, lateness: [Double], alerts: Data, burst: SpikeEvaluation.Burst?, factor: Double, zone: String) throws {
        let sorted = latencies.sorted()
        func pct(_ p: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        let lateSorted = lateness.sorted()
        say("intake: \(latencies.count) tickets, \(errors) errors; latency p50 \(String(format: "%.1f", pct(0.5))) ms, p99 \(String(format: "%.1f", pct(0.99))) ms; posted a median \(String(format: "%.1f", max(0, lateSorted.isEmpty ? 0 : lateSorted[lateSorted.count / 2]))) s of data time after the ticket's own time")
        let iso = ISO8601DateFormatter()
        iso.timeZone = TimeZone(identifier: zone)
        var delay: Double? = nil
        struct Listed: Decodable {
            struct Alert: Decodable {
                var category: String, district: String, observed: Int, windowMinutes: Int, expected: Double, detectedAt: Date
            }
            var items: [Alert]
        }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        let listed = try decoder.decode(Listed.self, from: alerts).items
        say("alerts: \(listed.count) over \(self.days) day(s)")
        for a in listed.reversed() {
            var mark = ""
            if let b = burst, b.isCaught(by: .init(category: a.category, district: a.district), at: a.detectedAt) {
                let d = a.detectedAt.timeIntervalSince(b.start)
                delay = min(delay ?? .infinity, d)
                mark = "  ← the injected burst, \(String(format: "%.1f", d / 60)) min after its start"
            }
            say("  \(iso.string(from: a.detectedAt))  \(a.category) in \(a.district.isEmpty ? "the whole city" : a.district): \(a.observed) in \(a.windowMinutes) min, expected \(a.expected)\(mark)")
        }
        let falseAlarms = listed.count - (delay == nil ? 0 : 1)
        if burst != nil { say(delay.map { "burst detected after \(String(format: "%.1f", $0 / 60)) min of data time" } ?? "burst NOT detected") }
        say("other alerts: \(falseAlarms) = \(String(format: "%.2f", Double(falseAlarms) / self.days)) per day")
        printJSONLine([
            "file": file, "speed": factor, "days": self.days, "tickets": latencies.count, "errors": errors, "p50Ms": pct(0.5), "p99Ms": pct(0.99),
            "alerts": listed.count, "otherAlertsPerDay": Double(falseAlarms) / self.days, "burstDelayMinutes": delay.map { $0 / 60 } ?? -1,
        ])
    }

    /// Files the window's tickets over HTTP, each when its time comes on a clock running `factor`
    /// times faster from `start`, to an in-process server with the early warning on; returns the
    /// latencies, the errors, how late each left, and the alerts the server lists afterwards.
    func replayOverHTTP(
        _ window: [ImportCommand.Item], store: SQLTicketStore, tenant: Tenant, start: Date, end: Date, factor: Double, days: DayKeys,
        detector: SpikeDetector.Settings, logger quiet: Logger
    ) async throws -> ([Double], Int, [Double], Data) {
    // The server, on a clock that shows the data's time.
    let clock = ScaledClock(origin: start, speed: factor)
    var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, tenant: tenant)
    configuration.dispatch.enabled = false
    configuration.sweepInterval = nil
    configuration.notifications.relayInterval = nil
    configuration.insight.interval = 1
    configuration.insight.historyDays = learnDays
    configuration.insight.alertLevel = 1
    configuration.insight.detector = detector
    let secret = Secrets.newToken(prefix: "srk_")
    try await store.createAPIKey(APIKey(id: UUID().uuidString, tenantID: tenant.id, name: "replay", role: .integration, keyHash: Secrets.hashToken(secret), createdAt: Date()))
    let portBox = Mutex<Int?>(nil)
    // Quiet: the alerts are listed at the end, and stopping the server mid-connection is expected.
    let app = buildApplication(configuration: configuration, store: store, clock: clock, logger: quiet) { port in portBox.withLock { $0 = port } }
    let bodies = try window.map { try JSONEncoder().encode($0.ticket) }
    let times = window.map(\.created)
    let workers = max(1, concurrency)
    return try await withThrowingTaskGroup(of: ([Double], Int, [Double], Data)?.self) { group in
        group.addTask { try await app.runService(); return nil }
        let port = try await BenchCommand.boundPort { portBox.withLock { $0 } }
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.apiKey] = secret
        let fixedHeaders = headers
        // Each worker has its own connection and takes the next ticket when it falls due, so
        // tickets leave in time order however slow one answer is.
        let next = Counter(), done = Counter()
        let posted = try await withThrowingTaskGroup(of: ([Double], Int, [Double]).self) { posts in
            for _ in 0..<workers {
                posts.addTask {
                    try await TestClient.withClient(host: "127.0.0.1", port: port) { client in
                        var latencies: [Double] = [], lateness: [Double] = [], errors = 0
                        while true {
                            let i = next.next()
                            if i >= bodies.count { break }
                            try await Task.sleep(for: clock.wait(until: times[i]))
                            lateness.append(clock.now().timeIntervalSince(times[i]))
                            let t0 = ContinuousClock.now
                            let response = try await client.post("/api/v1/tickets", headers: fixedHeaders, body: ByteBuffer(bytes: bodies[i]))
                            latencies.append((ContinuousClock.now - t0).seconds * 1000)
                            if response.status != .created { errors += 1 }
                            let n = done.next() + 1
                            if n % 200 == 0 { FileHandle.standardError.write(Data("\r\(n)/\(bodies.count) replayed, data time \(clock.now())   ".utf8)) }
                        }
                        return (latencies, errors, lateness)
                    }
                }
            }
            var all: ([Double], Int, [Double]) = ([], 0, [])
            for try await r in posts { all.0 += r.0; all.1 += r.1; all.2 += r.2 }
            return all
        }
        FileHandle.standardError.write(Data("\n".utf8))
        // Let the detector take its last looks (one each real second).
        try await Task.sleep(for: .seconds(3))
        let items = try await TestClient.withClient(host: "127.0.0.1", port: port) { client -> Data in
            let reply = try await client.get("/api/v1/insight/alerts?from=\(days.key(start))&to=\(days.key(end.addingTimeInterval(86_400)))", headers: fixedHeaders)
            return reply.body.map { Data($0.readableBytesView) } ?? Data()
        }
        group.cancelAll()
        return (posted.0, posted.1, posted.2, items)
    }
    }

    /// Reads `--inject`; the category and district default to the window's busiest stream.
    static func burst(_ text: String, window: [ImportCommand.Item], days: DayKeys, zone: String) throws -> SpikeEvaluation.Burst {
        var fields: [String: String] = [:]
        for part in text.split(separator: ",") {
            let kv = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard kv.count == 2 else { throw ValidationError("--inject: expected key=value pairs, got '\(part)'") }
            fields[kv[0]] = kv[1]
        }
        let parser = DateFormatter()
        parser.locale = Locale(identifier: "en_US_POSIX")
        parser.timeZone = TimeZone(identifier: zone)
        parser.dateFormat = "yyyy-MM-dd'T'HH:mm"
        guard let at = fields["at"].flatMap(parser.date(from:)) else { throw ValidationError("--inject needs at=yyyy-MM-ddTHH:mm (the city's local time)") }
        let size = Int(fields["size"] ?? "20") ?? 0, minutes = Int(fields["minutes"] ?? "30") ?? 0
        guard size > 0, size <= 10_000, minutes > 0, minutes <= 1440 else { throw ValidationError("--inject: size 1–10000 and minutes 1–1440") }
        var busiest: [String: Int] = [:]
        for item in window {
            guard let c = item.ticket.categoryCode, let d = item.ticket.location?.districtCode else { continue }
            busiest[c.split(separator: ".").first.map(String.init).map { $0 + "|" + d } ?? "", default: 0] += 1
        }
        let top = busiest.max { $0.value < $1.value }?.key.split(separator: "|").map(String.init) ?? []
        guard let category = fields["category"] ?? top.first, let district = fields["district"] ?? top.last else {
            throw ValidationError("--inject: no located ticket in the window to copy; give category= and district=")
        }
        return SpikeEvaluation.Burst(stream: .init(category: category, district: district), start: at, size: size, minutes: minutes)
    }
}

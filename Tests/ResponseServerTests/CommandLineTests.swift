import Foundation
import Testing
import ResponseCore
import ResponseServer
import ResponseStore

/// Runs the real `swift-response` executable, as an operator would.
@Suite("The swift-response command")
struct CommandLineTests {
    /// The executable built beside this test bundle.
    static var executable: URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("swift-response")
    }

    static func temporaryDatabase() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("sr-cli-\(UUID().uuidString.prefix(8)).sqlite").path
    }

    static func fixture(_ name: String) throws -> String {
        try #require(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures")).path
    }

    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    /// The contact keys every command run here is given (through the environment), so that the
    /// test can open what the executable sealed.
    static let keysText = ContactKeys.generate(id: "cli-test")
    static func keys() throws -> ContactKeys { try ContactKeys(text: keysText) }

    static func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Output {
        let path = executable.path
        try #require(FileManager.default.isExecutableFile(atPath: path), "build the executable first: swift build (expected at \(path))")
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_RESPONSE_CONTACT_KEYS": keysText]) { $1 }.merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Output(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self), stderr: String(decoding: stderr, as: UTF8.self))
    }

    static func cleanup(_ db: String) {
        for s in ["", "-wal", "-shm", ".contact-keys"] { try? FileManager.default.removeItem(atPath: db + s) }
    }

    @Test func importAndExportOpenData() async throws {
        let db = Self.temporaryDatabase()
        defer { Self.cleanup(db) }
        let result = try Self.run(["import", "--database", db, try Self.fixture("nyc311-sample.csv"), try Self.fixture("la311-sample.csv")])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("imported 40 nyc tickets"))
        #expect(result.stdout.contains("imported 20 la tickets"))
        #expect(result.stderr.contains("40/40 tickets filed"))  // progress line

        try await SQLTicketStore.withStore(url: db, contacts: try Self.keys()) { store in
            #expect(try await store.countTickets(tenantID: "default") == 60)
            var closed = TicketQuery()
            closed.statuses = [.closed]
            closed.limit = 500
            let closedTickets = try await store.listTickets(closed, tenantID: "default").tickets
            #expect(!closedTickets.isEmpty)
            let sample = try #require(closedTickets.first)
            let events = try await store.events(ticketID: sample.id, tenantID: "default")
            #expect(events.map(\.type) == [.created, .dispatched, .accepted, .replied, .closed])
            #expect(try await store.units(tenantID: "default").contains { $0.code == "nyc-dot" })
            var located = TicketQuery()
            located.limit = 500
            let all = try await store.listTickets(located, tenantID: "default").tickets
            #expect(all.filter { $0.location.latitude != nil }.count >= 20)
        }

        let csv = try Self.run(["export", "--database", db, "--format", "csv"])
        #expect(csv.status == 0)
        let table = CSVTable(text: csv.stdout)
        #expect(table.rows.count == 60)
        #expect(table.header.first == "number")
        let jsonl = try Self.run(["export", "--database", db, "--format", "jsonl"])
        let lines = jsonl.stdout.split(separator: "\n")
        #expect(lines.count == 60)
        #expect(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) is [String: Any])

        let bad = try Self.run(["import", "--database", db, try Self.fixture("SOURCES.md")])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("unknown layout"))
    }

    @Test("report monthly prints every unit's rates from the live counters and verifies them against the event log; sweep is idempotent")
    func monthlyReportAndSweep() async throws {
        let db = Self.temporaryDatabase()
        defer { Self.cleanup(db) }
        let now = Date()
        try await SQLTicketStore.withStore(url: db, contacts: try Self.keys()) { store in
            try await store.migrate()
            _ = try await DemoCity.load(into: store, password: "demo-pass-1", clock: ManualClock(now), city: City(DemoCity.tenant), bcryptCost: 4)
            try await store.recordAccess([AccessRecord(tenantID: DemoCity.tenant.id, at: now, actor: Actor(name: "li.agent", role: .agent), ticket: "20261201-000001", route: "GET /api/v1/tickets/{number}")])
        }
        let month = DayKeys(identifier: DemoCity.tenant.timeZone).key(now).prefix(7)

        let csv = try Self.run(["report", "monthly", "--database", db, "--city", "demo", "--period", String(month), "--format", "csv", "--verify"])
        #expect(csv.status == 0, "\(csv.stderr)")
        #expect(csv.stderr.contains("verified: the replay of the event log matches"))
        let lines = csv.stdout.split(separator: "\n")
        #expect(lines.first?.hasPrefix("period,level,rank,ranked_of,unit,name,composite") == true)
        #expect(lines.count > 20, "every active unit has a line")
        #expect(lines.contains { $0.contains(",street,") } && lines.contains { $0.contains(",department,") })
        let html = try Self.run(["report", "monthly", "--database", db, "--city", "demo", "--period", String(month), "--level", "street"])
        #expect(html.status == 0 && html.stdout.contains("<table") && html.stdout.contains("Streets and townships"))
        #expect(!html.stdout.contains("Departments and companies"), "--level street shows streets only")
        #expect(html.stdout.contains("Access to contact data") && html.stdout.contains("li.agent"), "the month's access log, summed up")
        let bad = try Self.run(["report", "monthly", "--database", db, "--city", "demo", "--period", "2026-13"])
        #expect(bad.status != 0 && bad.stderr.contains("--period must be a month"))
        let nowhere = try Self.run(["report", "monthly", "--database", db, "--city", "atlantis"])
        #expect(nowhere.status != 0 && nowhere.stderr.contains("no city 'atlantis'"))

        // The open-data files: one per local day, the header, every ticket of the days once, nothing personal.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sr-open-data-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let days = DayKeys(identifier: DemoCity.tenant.timeZone)
        let first3 = days.key(now.addingTimeInterval(-3 * 86_400)), last = days.key(now.addingTimeInterval(86_400))
        let export = try Self.run(["export", "--open-data", "--database", db, "--tenant", "demo", "--from", first3, "--to", last, "--daily", folder])
        #expect(export.status == 0, "\(export.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
        #expect(files.count == 4 && files.first == "\(first3).csv", "\(files)")
        var records = 0
        for file in files {
            let text = try String(contentsOfFile: folder + "/" + file, encoding: .utf8)
            #expect(text.hasPrefix("unique_key,created_date,closed_date,agency,agency_name,complaint_type"))
            #expect(!text.contains("演示用户") && !text.contains("1380000"), "no names or phones in \(file)")
            records += text.split(separator: "\n").count - 1
        }
        #expect(export.stderr.contains("exported \(records) open-data records"), "\(export.stderr)")
        #expect(records > 10)
        let badDay = try Self.run(["export", "--open-data", "--database", db, "--from", "2026-13-01"])
        #expect(badDay.status != 0 && badDay.stderr.contains("--from must be a day"))

        // Sixty days on, the demo's open tickets are all overdue: one pass records it, a second finds nothing.
        let later = now.addingTimeInterval(60 * 86_400).formatted(.iso8601)
        let first = try Self.run(["sweep", "--database", db, "--at", later])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("overdue_resolution"), "\(first.stdout)")
        let second = try Self.run(["sweep", "--database", db, "--at", later])
        #expect(second.stdout.contains(" 0 events"), "\(second.stdout)")
    }

    @Test("contact keys: generate, refuse to open a database without them, add a key and rotate every row to it")
    func contactKeys() async throws {
        let db = Self.temporaryDatabase(), file = db + ".keys"
        defer { Self.cleanup(db); try? FileManager.default.removeItem(atPath: file) }
        var r = try Self.run(["keys", "generate", "--file", file])
        #expect(r.status == 0, "\(r.stderr)")
        let mode = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(mode == 0o600, "readable by its owner only")
        r = try Self.run(["keys", "generate", "--file", file])
        #expect(r.status != 0 && r.stderr.contains("exists"), "never overwritten")

        // Without keys, a command that opens the database refuses and says how to give them.
        r = try Self.run(["migrate", "--database", db], environment: ["SWIFT_RESPONSE_CONTACT_KEYS": ""])
        #expect(r.status != 0 && r.stderr.contains("no contact keys") && r.stderr.contains("keys generate"), "\(r.stderr)")
        r = try Self.run(["serve", "--database", db, "--port", "0"], environment: ["SWIFT_RESPONSE_CONTACT_KEYS": ""])
        #expect(r.status != 0 && r.stderr.contains("no contact keys"), "the server does not start: \(r.stderr)")
        r = try Self.run(["migrate", "--database", db], environment: ["SWIFT_RESPONSE_CONTACT_KEYS": "", "SWIFT_RESPONSE_CONTACT_KEYS_FILE": file])
        #expect(r.status == 0, "\(r.stderr)")

        // Tickets sealed under the first key, then a second key and a rotation.
        let first = try ContactKeys(text: String(contentsOfFile: file, encoding: .utf8))
        try await SQLTicketStore.withStore(url: db, contacts: first) { store in
            let tenant = Tenant(id: "default", name: "City", timeZone: "Asia/Shanghai")
            try await store.saveTenant(tenant)
            for i in 0..<30 {
                let new = NewTicket(kind: .complaint, channel: .phone, title: "t\(i)", description: "", complainant: Complainant(name: "王芳", phone: "1391234\(String(format: "%04d", i))"))
                _ = try await store.createTicket(new, tenant: tenant, actor: Actor(name: "a", role: .agent), now: Date())
            }
        }
        r = try Self.run(["keys", "add", "--file", file])
        #expect(r.status == 0, "\(r.stderr)")
        let second = try ContactKeys(text: String(contentsOfFile: file, encoding: .utf8))
        #expect(second.current != first.current)
        r = try Self.run(["keys", "rotate", "--database", db, "--contact-keys", file, "--batch", "7"])
        #expect(r.status == 0 && r.stdout.contains("re-sealed 60 rows under key \(second.current ?? "?")"), "\(r.stdout) \(r.stderr)")
        r = try Self.run(["keys", "status", "--database", db, "--contact-keys", file])
        #expect(r.stdout.contains("\(second.current ?? "?"): 60 rows") && !r.stdout.contains("\(first.current ?? "?"):"), "\(r.stdout)")
    }

    @Test("privacy purge erases what was finished before a day; privacy erase finds one complainant's tickets by phone and erases them")
    func privacyCommands() async throws {
        let db = Self.temporaryDatabase()
        defer { Self.cleanup(db) }
        #expect(try Self.run(["migrate", "--database", db]).status == 0)
        let tenant = Tenant(id: "solo", name: "City", timeZone: "Asia/Shanghai")
        let numbers = try await SQLTicketStore.withStore(url: db, contacts: try Self.keys()) { store in
            try await store.saveTenant(tenant)
            let start = Date(timeIntervalSince1970: 1_700_000_000)  // 2023-11-15
            var numbers: [String] = []
            for i in 0..<12 {
                let new = NewTicket(kind: .consultation, channel: .phone, title: "问 \(i)", description: "",
                                    complainant: Complainant(name: "王芳", phone: i < 4 ? "139 1234 5678" : "1380000\(String(format: "%04d", i))"))
                let at = start.addingTimeInterval(Double(i) * 86_400)
                let t = try await store.createTicket(new, tenant: tenant, actor: Actor(name: "a", role: .agent), now: at).0
                // The first eight are answered (finished); the others stay open.
                if i < 8 {
                    _ = try await store.apply(.answer(text: "见知识库"), number: t.number, tenantID: tenant.id, expectedVersion: nil,
                                              context: .init(now: at, actor: Actor(name: "a", role: .agent), city: .test(.standard()))) { _ in }
                }
                numbers.append(t.number)
            }
            return numbers
        }

        var r = try Self.run(["privacy", "purge", "--database", db, "--before", "2023-11-2x"])
        #expect(r.status != 0 && r.stderr.contains("--before"), "\(r.stderr)")
        r = try Self.run(["privacy", "purge", "--database", db, "--before", "2023-11-21", "--batch", "2"])
        #expect(r.status == 0 && r.stdout.contains("solo: contact data of 6 tickets finished before"), "\(r.stdout) \(r.stderr)")
        r = try Self.run(["privacy", "purge", "--database", db, "--before", "2023-11-21"])
        #expect(r.stdout.contains("contact data of 0 tickets"), "idempotent: \(r.stdout)")

        r = try Self.run(["privacy", "erase", "--database", db, "--phone", "+86 13912345678"])
        #expect(r.status != 0 && r.stderr.contains("--reason"), "\(r.stderr)")
        r = try Self.run(["privacy", "erase", "--database", db, "--phone", "+86 13912345678", "--dry-run"])
        #expect(r.status == 0 && r.stdout.contains("0 tickets"), "her first four were purged already: \(r.stdout) \(r.stderr)")
        r = try Self.run(["privacy", "erase", "--database", db, numbers[10], numbers[11], "--reason", "ref 42", "--by", "supervisor li"])
        #expect(r.status == 0 && r.stdout.contains("contact data erased on 2 tickets"), "\(r.stdout) \(r.stderr)")
        r = try Self.run(["privacy", "erase", "--database", db, "--city", "nowhere", numbers[0], "--reason", "x"])
        #expect(r.status != 0 && r.stderr.contains("no city 'nowhere'") && r.stderr.contains("solo"), "\(r.stderr)")

        try await SQLTicketStore.withStore(url: db, contacts: try Self.keys()) { check in
            for (i, number) in numbers.enumerated() {
                let t = try #require(try await check.ticket(number: number, tenantID: tenant.id))
                let expectErased = i < 6 || i >= 10
                #expect((t.complainant.phone == nil) == expectErased, "ticket \(i)")
                if i >= 10 {
                    let last = try await check.events(ticketID: t.id, tenantID: tenant.id).last
                    #expect(last?.actor.name == "supervisor li" && last?.payload["note"] == "ref 42" && last?.payload["basis"] == "request")
                }
            }
        }
    }

    @Test func userManagement() throws {
        let db = Self.temporaryDatabase()
        defer { Self.cleanup(db) }
        var r = try Self.run(["user", "create", "ops", "--role", "supervisor", "--database", db], environment: ["SWIFT_RESPONSE_PASSWORD": "a-long-password"])
        #expect(r.status == 0, "\(r.stderr)")
        r = try Self.run(["user", "create", "ops", "--role", "supervisor", "--database", db, "--password", "another-password"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("already exists"))
        r = try Self.run(["user", "create", "h1", "--role", "handler", "--database", db, "--password", "another-password"])
        #expect(r.status != 0)
        #expect(r.stderr.contains("unitCode"))
        r = try Self.run(["user", "passwd", "ops", "--database", db])
        #expect(r.status == 0)
        #expect(r.stdout.contains("password of ops changed to "))
        r = try Self.run(["user", "list", "--database", db])
        #expect(r.stdout.contains("ops"))
        #expect(r.stdout.contains("supervisor"))
        r = try Self.run(["migrate", "--database", db])
        #expect(r.stdout.contains("migrations 1"))
    }

    @Test("apikey create prints a working key; list shows it without the secret; revoke by name stops it")
    func apiKeys() async throws {
        let db = Self.temporaryDatabase()
        defer { Self.cleanup(db) }
        var r = try Self.run(["apikey", "create", "--name", "fixmystreet", "--database", db])
        #expect(r.status == 0, "\(r.stderr)")
        let secret = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(secret.hasPrefix("srk_") && !secret.contains("\n"), "only the secret on stdout: \(r.stdout)")
        #expect(r.stderr.contains("not shown again"))
        r = try Self.run(["apikey", "list", "--database", db])
        #expect(r.stdout.contains("fixmystreet") && !r.stdout.contains(secret))
        let key = try await SQLTicketStore.withStore(url: db, contacts: try Self.keys()) { store in
            try await store.apiKey(hash: Secrets.hashToken(secret))
        }
        #expect(key?.name == "fixmystreet" && key?.role == .integration && key?.revokedAt == nil)
        r = try Self.run(["apikey", "create", "--name", "  ", "--database", db])
        #expect(r.status != 0 && r.stderr.contains("name: 1–100 characters"))
        r = try Self.run(["apikey", "revoke", "nobody", "--database", db])
        #expect(r.status != 0 && r.stderr.contains("no active API key nobody"))
        r = try Self.run(["apikey", "revoke", "fixmystreet", "--database", db])
        #expect(r.status == 0, "\(r.stderr)")
        r = try Self.run(["apikey", "list", "--database", db])
        #expect(!r.stdout.contains(" - \n") && r.stdout.contains("fixmystreet"))
        let revoked = try await SQLTicketStore.withStore(url: db, contacts: try Self.keys()) { reopened in
            try await reopened.apiKey(hash: Secrets.hashToken(secret))
        }
        #expect(revoked?.revokedAt != nil)
    }

    @Test func taxonomyFromAFile() throws {
        let db = Self.temporaryDatabase()
        defer { Self.cleanup(db) }
        let csv = FileManager.default.temporaryDirectory.appendingPathComponent("tax-\(UUID().uuidString.prefix(6)).csv").path
        defer { try? FileManager.default.removeItem(atPath: csv) }
        try "一级分类,二级分类,三级分类\n城乡建设,市政管理,路灯\n城乡建设,市政管理,井盖\n环境保护,噪声,施工噪声\n".write(toFile: csv, atomically: true, encoding: .utf8)
        var r = try Self.run(["categories", "load", csv, "--database", db])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("loaded 7 categories into city default: 2 / 2 / 3 by level"))
        r = try Self.run(["categories", "list", "--database", db])
        #expect(r.stdout.contains("01.01.02"))
        #expect(r.stdout.contains("井盖"))
        try "a,b\nonly,two\n".write(toFile: csv, atomically: true, encoding: .utf8)
        r = try Self.run(["categories", "load", csv, "--database", db])
        #expect(r.status != 0)
        #expect(r.stderr.contains("line 2"))
    }

    @Test("flags beat environment variables, which beat the config file")
    func settingsPrecedence() throws {
        let fromFile = Self.temporaryDatabase(), fromEnv = Self.temporaryDatabase(), fromFlag = Self.temporaryDatabase()
        defer { for db in [fromFile, fromEnv, fromFlag] { Self.cleanup(db) } }
        let config = FileManager.default.temporaryDirectory.appendingPathComponent("cfg-\(UUID().uuidString.prefix(6)).json").path
        defer { try? FileManager.default.removeItem(atPath: config) }
        try #"{"database": "\#(fromFile)", "city": {"id": "bj", "name": "北京", "timeZone": "Asia/Shanghai"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        _ = try Self.run(["migrate", "--config", config])
        #expect(FileManager.default.fileExists(atPath: fromFile))
        _ = try Self.run(["migrate", "--config", config], environment: ["SWIFT_RESPONSE_DATABASE": fromEnv])
        #expect(FileManager.default.fileExists(atPath: fromEnv))
        _ = try Self.run(["migrate", "--config", config, "--database", fromFlag], environment: ["SWIFT_RESPONSE_DATABASE": fromEnv])
        #expect(FileManager.default.fileExists(atPath: fromFlag))
        // The city of the config file is the default for commands that take one.
        let r = try Self.run(["user", "create", "cfguser", "--role", "agent", "--password", "long-password-1", "--config", config])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(try Self.run(["user", "list", "--config", config]).stdout.contains("bj"))
        let broken = try Self.run(["migrate", "--config", "/nonexistent.json"])
        #expect(broken.status != 0)
        #expect(broken.stderr.contains("cannot read config file"))
        // A bad insight section names its key.
        for (section, message) in [(#""insight": {"alertLevel": 4}"#, "insight.alertLevel"), (#""insight": {"webhook": "ftp://x"}"#, "insight.webhook"),
                                   (#""insight": {"detector": {"windows": [7]}}"#, "insight.detector"), (#""insight": {"storedRefreshSeconds": 5}"#, "insight.storedRefreshSeconds"),
                                   (#""insight": {"storedMaxAgeSeconds": -1}"#, "insight.storedMaxAgeSeconds"), (#""insight": {"briefRefreshSeconds": 5}"#, "insight.briefRefreshSeconds")] {
            try #"{"database": "\#(fromFile)", \#(section)}"#.write(toFile: config, atomically: true, encoding: .utf8)
            let bad = try Self.run(["migrate", "--config", config])
            #expect(bad.status != 0 && bad.stderr.contains(message), "\(section): \(bad.stderr)")
        }
        try #"{"database": "\#(fromFile)", "insight": {"alertLevel": 1, "intervalSeconds": 0, "storedRefreshSeconds": 0, "briefMaxAgeSeconds": 60, "detector": {"minimumTickets": 7}}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        #expect(try Self.run(["migrate", "--config", config]).status == 0)
    }

    @Test("a ticket acknowledged with 201 survives kill -9 of the server")
    func durableAcrossKill() async throws {
        let db = Self.temporaryDatabase()
        defer { Self.cleanup(db) }
        let port = Int.random(in: 20_000...40_000)
        let process = Process()
        process.executableURL = Self.executable
        process.arguments = ["serve", "--database", db, "--port", String(port), "--demo", "--demo-password", "demo-password-1"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }

        let base = "http://127.0.0.1:\(port)"
        var up = false
        for _ in 0..<300 {
            if (try? await Self.http("GET", base + "/health")).map({ $0.0 == 200 }) == true { up = true; break }
            try await Task.sleep(for: .milliseconds(100))
        }
        try #require(up, "server did not start")
        let login = try await Self.http("POST", base + "/api/v1/auth/login", body: #"{"username":"agent","password":"demo-password-1"}"#)
        let token = try #require((try JSONSerialization.jsonObject(with: login.1) as? [String: Any])?["token"] as? String)
        var numbers: [String] = []
        for i in 0..<25 {
            let r = try await Self.http("POST", base + "/api/v1/tickets", token: token, body: #"{"kind":"complaint","channel":"phone","title":"durable \#(i)","description":"kill -9"}"#)
            #expect(r.0 == 201)
            if let n = (try JSONSerialization.jsonObject(with: r.1) as? [String: Any])?["number"] as? String { numbers.append(n) }
        }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        // The demo keeps its contact keys beside its database.
        try await SQLTicketStore.withStore(url: db, contacts: try ContactKeys(text: String(contentsOfFile: db + ".contact-keys", encoding: .utf8))) { store in
            for n in numbers {
                let ticket = try await store.ticket(number: n, tenantID: "demo")
                #expect(ticket?.title.hasPrefix("durable") == true, "\(n) lost")
            }
            #expect(numbers.count == 25)
        }
    }

    /// A one-shot HTTP request with URLSession-free plumbing: curl is on every CI machine.
    static func http(_ method: String, _ url: String, token: String? = nil, body: String? = nil) async throws -> (Int, Data) {
        var args = ["-s", "-o", "-", "-w", "\n%{http_code}", "-X", method, url, "-H", "content-type: application/json"]
        if let token { args += ["-H", "authorization: Bearer \(token)"] }
        if let body { args += ["--data-binary", body] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["curl"] + args
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        guard let newline = text.lastIndex(of: "\n"), let code = Int(text[text.index(after: newline)...]) else { return (0, Data()) }
        return (code, Data(text[..<newline].utf8))
    }
}

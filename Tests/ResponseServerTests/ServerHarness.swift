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
import Testing

/// The engines the HTTP tests can run on, as in the storage suite.
enum Engine: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    static let postgresURL = ProcessInfo.processInfo.environment["SWIFT_RESPONSE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var available: [Engine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }
    var testDescription: String { rawValue }
}

/// Starts the real application (the one `serve` runs) on a free loopback port with a fresh
/// store holding a small city, and hands the test a client plus helpers.
struct ServerHarness {
    static let password = "correct-horse-battery"
    let store: SQLTicketStore
    let tenant: Tenant
    let configuration: ServerConfiguration
    let client: any TestClientProtocol
    /// User names are unique per test so PostgreSQL runs can share one database.
    let prefix: String
    /// The consoles' live feed the server runs.
    let feed: LiveFeed

    func user(_ role: String) -> String { prefix + role }

    /// - Parameter configure: Adjusts the configuration; by default automatic merging of
    ///   duplicates is off, because most tests file the same ticket several times on purpose.
    static func run(
        _ engine: Engine = .sqlite,
        clock: any WallClock = SystemClock(),
        configure: @Sendable (inout ServerConfiguration) throws -> Void = { $0.dispatch.duplicates.mergeAt = 2 },
        _ body: @escaping @Sendable (ServerHarness) async throws -> Void
    ) async throws {
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let tenant = Tenant(id: "city-" + suffix, name: "Test City", timeZone: "Asia/Shanghai")
        var path: String? = nil
        let store: SQLTicketStore
        switch engine {
        case .sqlite:
            path = FileManager.default.temporaryDirectory.appendingPathComponent("sr-http-\(suffix).sqlite").path
            store = try await SQLTicketStore.open(url: path!, contacts: .ephemeral())
        case .postgres:
            store = try await SQLTicketStore.open(url: try #require(Engine.postgresURL), contacts: .ephemeral())
        }
        defer {
            if let path { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        }
        try await store.running { store in
            try await store.migrate()
            let prefix = "u" + suffix + "-"
            try await seed(store, tenant: tenant, prefix: prefix)
            var configuration = ServerConfiguration(host: "127.0.0.1", port: 0, tenant: tenant, bcryptCost: 4)
            configuration.policy = .standard(calendar: BusinessCalendar(timeZone: tenant.timeZone))
            // Background work is started by the tests that need it, so the others stay deterministic.
            configuration.sweepInterval = nil
            configuration.notifications.relayInterval = nil
            configuration.insight.interval = nil
            configuration.insight.storedRefresh = nil
            configuration.retentionInterval = nil
            // Every test logs in from 127.0.0.1 and PostgreSQL's streaks are shared by the whole
            // suite: the address's throttle is set by the tests of throttling only.
            configuration.abuse.loginByAddress = LoginThrottle(freeFailures: 100_000, lockAfter: 200_000)
            // Likewise the request limits (RequestLimitHTTPTests sets its own).
            configuration.abuse.anonymousRequestsPerMinute = 1_000_000
            configuration.abuse.anonymousBurst = 100_000
            configuration.abuse.requestsPerMinute = 1_000_000
            configuration.abuse.requestBurst = 100_000
            try configure(&configuration)
            let configured = configuration
            let feed = LiveFeed(store: store, clock: clock, interval: configured.liveInterval, logger: Logger(label: "test"))
            let app = buildApplication(configuration: configured, store: store, clock: clock, liveFeed: feed)
            try await app.test(.live) { client in
                try await body(ServerHarness(store: store, tenant: tenant, configuration: configured, client: client, prefix: prefix, feed: feed))
            }
        }
    }

    static func seed(_ store: SQLTicketStore, tenant: Tenant, prefix: String) async throws {
        try await store.saveTenant(tenant)
        for unit in [
            OrgUnit(code: "cy", tenantID: tenant.id, name: "朝阳区", kind: .district),
            OrgUnit(code: "cy-01", tenantID: tenant.id, name: "建外街道", kind: .street, parentCode: "cy"),
            OrgUnit(code: "cy-02", tenantID: tenant.id, name: "三里屯街道", kind: .street, parentCode: "cy"),
            OrgUnit(code: "water", tenantID: tenant.id, name: "自来水公司", kind: .company),
            OrgUnit(code: "closed-unit", tenantID: tenant.id, name: "撤销单位", kind: .department, active: false),
        ] { try await store.saveUnit(unit) }
        for c in [
            Category(code: "01", tenantID: tenant.id, name: "城乡建设", level: 1, parentCode: nil),
            Category(code: "01.01", tenantID: tenant.id, name: "市政管理", level: 2, parentCode: "01"),
            Category(code: "01.01.01", tenantID: tenant.id, name: "噪音扰民", level: 3, parentCode: "01.01"),
        ] { try await store.saveCategory(c) }
        let hash = try await Secrets.hashPassword(password, cost: 4)
        for (role, unit) in [("agent", nil), ("dispatcher", nil), ("handler", "cy-01"), ("supervisor", nil), ("admin", nil)] as [(String, String?)] {
            try await store.createUser(User(username: prefix + role, tenantID: tenant.id, displayName: role, role: Role(rawValue: role)!, unitCode: unit, passwordHash: hash, createdAt: Date()))
        }
        try await store.createUser(User(username: prefix + "handler2", tenantID: tenant.id, displayName: "h2", role: .handler, unitCode: "cy-02", passwordHash: hash, createdAt: Date()))
    }

    // MARK: HTTP helpers

    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: Data
        /// The body as a JSON object; a body that is not one fails the test (it is not read as empty).
        var json: [String: Any] {
            guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
                Issue.record("not a JSON object (\(status)): \(text.prefix(300))")
                return [:]
            }
            return object
        }
        /// The body as a JSON array; a body that is not one fails the test.
        var array: [[String: Any]] {
            guard let items = (try? JSONSerialization.jsonObject(with: body)) as? [[String: Any]] else {
                Issue.record("not a JSON array (\(status)): \(text.prefix(300))")
                return []
            }
            return items
        }
        var text: String { String(decoding: body, as: UTF8.self) }
        /// The body as `T`; a body that does not decode fails the test with the body's text.
        func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601  // as the API writes dates
            do { return try decoder.decode(T.self, from: body) } catch { throw DecodingFailure(message: "\(T.self) from \(status): \(text.prefix(500)) — \(error)") }
        }
    }

    struct DecodingFailure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json: Any? = nil, raw: [UInt8]? = nil, headers extra: HTTPFields = [:]) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        var body: ByteBuffer? = nil
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(bytes: try JSONSerialization.data(withJSONObject: json))
        } else if let raw {
            if headers[.contentType] == nil { headers[.contentType] = "application/json" }
            body = ByteBuffer(bytes: raw)
        }
        let response = try await client.execute(uri: uri, method: method, headers: headers, body: body)
        return Reply(status: response.status, headers: response.headers, body: Data(response.body.readableBytesView))
    }

    /// A set-up step that must succeed: a 2xx answer, or the test stops here with the answer.
    @discardableResult
    func must(_ reply: Reply, sourceLocation: SourceLocation = #_sourceLocation) throws -> Reply {
        try #require((200..<300).contains(reply.status.code), "set-up step answered \(reply.status): \(reply.text.prefix(300))", sourceLocation: sourceLocation)
        return reply
    }

    func login(_ role: String) async throws -> String {
        let reply = try await send(.post, "/api/v1/auth/login", json: ["username": user(role), "password": Self.password])
        #expect(reply.status == .ok, "login \(role): \(reply.text)")
        return try #require(reply.json["token"] as? String)
    }

    func fileTicket(_ token: String, _ fields: [String: Any] = [:]) async throws -> Reply {
        var body: [String: Any] = [
            "kind": "complaint", "channel": "phone", "title": "夜间施工噪音", "description": "工地每晚十一点后施工",
            "categoryCode": "01.01.01", "location": ["latitude": 39.91, "longitude": 116.45, "districtCode": "cy", "streetCode": "cy-01"],
            "complainant": ["name": "李四", "phone": "13912345678", "email": "li@example.com"],
        ]
        for (k, v) in fields { body[k] = v }
        return try await send(.post, "/api/v1/tickets", token: token, json: body)
    }

    func act(_ number: String, _ action: String, _ token: String, _ body: [String: Any] = [:]) async throws -> Reply {
        try await send(.post, "/api/v1/tickets/\(number)/\(action)", token: token, json: body)
    }
}

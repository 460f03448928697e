import Foundation
import HTTPTypes
import ResponseCore
import ResponseServer
import Testing

@Suite("Login throttling: back-off, locks an admin lifts, per address behind a trusted proxy (SQLite and PostgreSQL)")
struct LoginThrottleHTTPTests {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    /// A failed-login rule small enough to walk through: 3 free failures, then 2 s, 4 s, and a
    /// 10-minute lock at the 5th.
    static func configure(_ c: inout ServerConfiguration) throws {
        c.abuse.trustedProxies = try TrustedProxies(["127.0.0.1"])
        c.abuse.loginByUser = LoginThrottle(freeFailures: 3, baseDelay: 2, maxDelay: 10, lockAfter: 5, lockDuration: 600)
    }

    static func login(_ h: ServerHarness, _ username: String, _ password: String, from address: String) async throws -> ServerHarness.Reply {
        try await h.send(.post, "/api/v1/auth/login", json: ["username": username, "password": password], headers: [forwardedFor: address])
    }

    /// What a guesser sees, try by try: status and Retry-After.
    static func walk(_ h: ServerHarness, _ clock: ManualClock, _ username: String, from address: String) async throws -> [String] {
        var seen: [String] = []
        func attempt() async throws {
            let reply = try await login(h, username, "wrong-password", from: address)
            seen.append("\(reply.status.code)" + (reply.headers[.retryAfter].map { " after \($0)" } ?? ""))
        }
        for _ in 0..<4 { try await attempt() }  // 3 free failures; the 4th try must wait 2 s
        clock.advance(by: 2)
        try await attempt()  // the 4th failure
        try await attempt()  // must wait 4 s
        clock.advance(by: 4)
        try await attempt()  // the 5th failure locks
        try await attempt()
        return seen
    }

    @Test(arguments: Engine.available)
    func failuresBackOffThenLockAndTheWaitsTellNothing(engine: Engine) async throws {
        let clock = ManualClock(Date())
        try await ServerHarness.run(engine, clock: clock, configure: Self.configure) { h in
            let real = try await Self.walk(h, clock, h.user("agent"), from: "198.51.100.1")
            let ghost = try await Self.walk(h, clock, h.prefix + "nobody", from: "198.51.100.2")
            #expect(real == ["401", "401", "401", "429 after 2", "401", "429 after 4", "401", "429 after 600"])
            #expect(ghost == real, "a name that does not exist is throttled exactly as one that does")

            // Locked: the right password waits too, from any address.
            var reply = try await Self.login(h, h.user("agent"), ServerHarness.password, from: "198.51.100.3")
            #expect(reply.status == .tooManyRequests && reply.headers[.retryAfter] == "594", "locked for 600 s, 6 s ago")
            #expect((reply.json["type"] as? String)?.hasSuffix("/rate-limited") == true)

            // An admin sees the city's lock (not the unknown name's) and lifts it.
            let admin = try await h.login("admin")
            #expect(try await h.send(.get, "/api/v1/login-locks", token: try await h.login("supervisor")).status == .forbidden)
            let locks = try h.must(try await h.send(.get, "/api/v1/login-locks", token: admin)).array
            let keys = locks.compactMap { $0["key"] as? String }
            #expect(keys.contains("user:" + h.user("agent")) && !keys.contains("user:" + h.prefix + "nobody"))
            #expect(try await h.send(.delete, "/api/v1/login-locks/user:\(h.prefix)nobody", token: admin).status == .notFound)
            reply = try h.must(try await h.send(.delete, "/api/v1/login-locks/user:\(h.user("agent"))", token: admin))
            #expect(reply.json["failures"] as? Int == 5)
            reply = try await Self.login(h, h.user("agent"), ServerHarness.password, from: "198.51.100.3")
            #expect(reply.status == .ok)

            // A success clears the name's streak: two failures, a success, and two more failures
            // are all answered (four in a row would make the next try wait).
            for _ in 0..<2 { #expect(try await Self.login(h, h.user("agent"), "wrong-password", from: "198.51.100.4").status == .unauthorized) }
            #expect(try await Self.login(h, h.user("agent"), ServerHarness.password, from: "198.51.100.4").status == .ok)
            for _ in 0..<2 { #expect(try await Self.login(h, h.user("agent"), "wrong-password", from: "198.51.100.4").status == .unauthorized) }
            #expect(try await Self.login(h, h.user("agent"), ServerHarness.password, from: "198.51.100.4").status == .ok)
        }
    }

    @Test(arguments: Engine.available)
    func oneAddressIsThrottledAcrossNamesAndOthersAreNot(engine: Engine) async throws {
        let clock = ManualClock(Date())
        try await ServerHarness.run(engine, clock: clock, configure: {
            try Self.configure(&$0)
            $0.abuse.loginByAddress = LoginThrottle(freeFailures: 4, baseDelay: 5, maxDelay: 5, lockAfter: 6, lockDuration: 900)
        }) { h in
            // The address of this test only: PostgreSQL's streaks are shared by the suite.
            let attacker = "192.0.2.\(Int.random(in: 1...250))"
            for i in 0..<4 {
                #expect(try await Self.login(h, h.prefix + "guess\(i)", "wrong-password", from: attacker).status == .unauthorized)
            }
            var reply = try await Self.login(h, h.user("dispatcher"), ServerHarness.password, from: attacker)
            #expect(reply.status == .tooManyRequests && reply.headers[.retryAfter] == "5")
            reply = try await Self.login(h, h.user("dispatcher"), ServerHarness.password, from: "198.51.100.77")
            #expect(reply.status == .ok, "another address is not held up")

            // The console's form says so in words, with the same status and wait.
            let form = Array("username=\(h.user("agent"))&password=whatever".utf8)
            reply = try await h.send(.post, "/console/login", raw: form,
                                     headers: [.contentType: "application/x-www-form-urlencoded", Self.forwardedFor: attacker])
            #expect(reply.status == .tooManyRequests && reply.headers[.retryAfter] == "5")
            #expect(reply.text.contains("Too many failed sign-ins"))

            // The 6th failure locks the address; an admin lifts it. (The admin signs in from an
            // address of her own: other tests fail logins from 127.0.0.1 on the shared database.)
            for _ in 0..<2 {
                clock.advance(by: 5)
                #expect(try await Self.login(h, h.prefix + "guess9", "wrong-password", from: attacker).status == .unauthorized)
            }
            reply = try await Self.login(h, h.user("dispatcher"), ServerHarness.password, from: attacker)
            #expect(reply.status == .tooManyRequests && reply.headers[.retryAfter] == "900")
            reply = try h.must(try await Self.login(h, h.user("admin"), ServerHarness.password, from: "198.51.100.78"))
            let admin = try #require(reply.json["token"] as? String)
            let keys = try h.must(try await h.send(.get, "/api/v1/login-locks", token: admin)).array.compactMap { $0["key"] as? String }
            #expect(keys.contains("address:" + attacker))
            #expect(try await h.send(.delete, "/api/v1/login-locks/address:\(attacker)", token: admin).status == .ok)
            #expect(try await Self.login(h, h.user("dispatcher"), ServerHarness.password, from: attacker).status == .ok)
        }
    }
}

import Foundation
import HTTPTypes
import ResponseCore
@testable import ResponseServer
import Testing

@Suite("Request limits per user, API key and address on /api/v1 and the pages (SQLite and PostgreSQL)")
struct RequestLimitHTTPTests {
    static let forwardedFor = HTTPField.Name("X-Forwarded-For")!

    @Test(arguments: Engine.available)
    func eachCallerHasItsOwnBucket(engine: Engine) async throws {
        let clock = ManualClock(Date())
        try await ServerHarness.run(engine, clock: clock, configure: { c in
            c.abuse.trustedProxies = try TrustedProxies(["127.0.0.1"])
            c.abuse.requestsPerMinute = 60
            c.abuse.requestBurst = 5
            c.abuse.anonymousRequestsPerMinute = 30
            c.abuse.anonymousBurst = 3
        }) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            // The agent's burst: 5 requests (logging in was anonymous), then a wait of 1 s.
            for _ in 0..<5 { try h.must(try await h.send(.get, "/api/v1/tickets", token: agent)) }
            var reply = try await h.send(.get, "/api/v1/tickets", token: agent)
            #expect(reply.status == .tooManyRequests && reply.headers[.retryAfter] == "1")
            #expect(try await h.send(.get, "/api/v1/tickets", token: dispatcher).status == .ok, "another user is not held up")
            clock.advance(by: 1)
            #expect(try await h.send(.get, "/api/v1/tickets", token: agent).status == .ok, "a second refills one request")

            // Without a token, per client address: the public reads and the pages alike.
            let address: HTTPFields = [Self.forwardedFor: "198.51.100.40"]
            for path in ["/api/v1/public/dashboard", "/api/v1/public/open-data", "/portal"] {
                _ = try await h.send(.get, path, headers: address)
            }
            reply = try await h.send(.get, "/api/v1/public/dashboard", headers: address)
            #expect(reply.status == .tooManyRequests && reply.headers[.retryAfter] == "2")
            reply = try await h.send(.get, "/api/v1/public/dashboard", headers: [Self.forwardedFor: "198.51.100.41"])
            #expect(reply.status == .ok, "another address is not held up")
        }
    }

    /// Each of N instances keeps 1/N of the rates, so the deployment allows what is configured.
    @Test func instancesShareTheRate() {
        var settings = AbuseSettings()
        settings.requestsPerMinute = 600
        settings.requestBurst = 90
        settings.anonymousRequestsPerMinute = 300
        settings.anonymousBurst = 60
        settings.instances = 3
        #expect(settings.validationErrors().isEmpty)
        let limits = RequestLimitMiddleware(settings: settings, clock: ManualClock(Date()))
        #expect(limits.signedIn.perMinute == 200 && limits.signedIn.burst == 30)
        #expect(limits.anonymous.perMinute == 100 && limits.anonymous.burst == 20)
        settings.instances = 0
        #expect(!settings.validationErrors().isEmpty)
    }
}

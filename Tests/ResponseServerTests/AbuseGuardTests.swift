import Foundation
import Testing
@testable import ResponseServer

@Suite("Trusted proxies and the cap on password checks")
struct AbuseGuardTests {
    @Test func forwardedForIsBelievedOnlyFromTrustedProxies() throws {
        let proxies = try TrustedProxies(["127.0.0.1", "10.0.0.0/8", "fd00::/8"])
        #expect(proxies.trusts("10.1.2.3") && proxies.trusts("127.0.0.1") && proxies.trusts("fd12::1"))
        #expect(!proxies.trusts("11.0.0.1") && !proxies.trusts("127.0.0.2") && !proxies.trusts("fe80::1") && !proxies.trusts("nonsense"))
        // An untrusted peer's header is ignored: anyone can write one.
        #expect(proxies.client(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"]) == "203.0.113.9")
        // From a trusted proxy: the last address that is not itself a proxy, whatever the client
        // put in front of it.
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["6.6.6.6, 198.51.100.1, 10.0.0.5"]) == "198.51.100.1")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["6.6.6.6", "198.51.100.1"]) == "198.51.100.1")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: ["not-an-address"]) == "127.0.0.1")
        #expect(proxies.client(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        #expect(TrustedProxies().client(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"]) == "127.0.0.1")
        #expect(throws: TrustedProxies.Invalid.self) { try TrustedProxies(["10.0.0.0/33"]) }
        #expect(throws: TrustedProxies.Invalid.self) { try TrustedProxies(["proxy.example"]) }
    }

    @Test func theGateRunsAtMostItsLimitAndRefusesBeyondItsQueue() async throws {
        let gate = ConcurrencyGate(limit: 1, queueLimit: 1)
        let (started, startedInput) = AsyncStream<Void>.makeStream()
        let (release, releaseInput) = AsyncStream<Void>.makeStream()
        try await withThrowingTaskGroup(of: Int.self) { group in
            group.addTask {
                try await gate.run {
                    startedInput.yield()
                    for await _ in release { break }
                    return 1
                }
            }
            var it = started.makeAsyncIterator()
            await it.next()
            group.addTask { try await gate.run { 2 } }  // waits for the turn
            while gate.load.waiting == 0 { await Task.yield() }
            await #expect(throws: ConcurrencyGate.Full.self) { try await gate.run { 3 } }
            #expect(gate.load == (running: 1, waiting: 1))
            releaseInput.yield()
            var results: [Int] = []
            for try await r in group { results.append(r) }
            #expect(results.sorted() == [1, 2])
        }
        #expect(gate.load == (running: 0, waiting: 0))
    }
}

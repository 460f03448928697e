import Foundation
import HTTPTypes
import ResponseCore
import ResponseDispatch
import ResponseServer
import ResponseStore
import Testing

/// Erasure on request over HTTP, and the retention purge the server runs, on both engines.
@Suite("Erasure: on a complainant's request, and after the retention period")
struct ErasureHTTPTests {
    @Test("a supervisor erases on request; the purge erases finished tickets past the retention period; the rates stay", arguments: Engine.available)
    func eraseAndPurge(engine: Engine) async throws {
        try await ServerHarness.run(engine, configure: {
            $0.dispatch.duplicates.mergeAt = 2
            $0.retention = RetentionPolicy(retentionDays: 365)
        }) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher"), handler = try await h.login("handler")
            let admin = try await h.login("admin"), supervisor = try await h.login("supervisor")
            let finished = try await PrivacyHTTPTests.plant(h, kind: "complaint", agent: agent, dispatcher: dispatcher, handler: handler)
            let open = try await PrivacyHTTPTests.plant(h, kind: "complaint", agent: agent, dispatcher: dispatcher, handler: handler)
            for (action, body) in [("evaluate", ["resolved": true, "satisfaction": "satisfied"]), ("close", [:])] as [(String, [String: Any])] {
                let r = try await h.act(finished, action, agent, body)
                #expect(r.status == .ok, "\(action): \(r.text)")
            }

            // On request: supervisors only, with the request's reference.
            for token in [agent, dispatcher, handler, admin] {
                #expect(try await h.act(open, "erase-contacts", token, ["reason": "ref 1"]).status == .forbidden)
            }
            #expect(try await h.act(open, "erase-contacts", supervisor, [:]).status == .unprocessableContent)
            let before = try await h.send(.get, "/api/v1/tickets/\(open)", token: supervisor)
            #expect(before.json["allowedActions"].map { "\($0)" }?.contains("erase-contacts") == true, "\(before.text.prefix(300))")
            let erased = try await h.act(open, "erase-contacts", supervisor, ["reason": "request of 王芳 by phone, ref 2026-117"])
            #expect(erased.status == .ok, "\(erased.text)")
            #expect(PrivacyHTTPTests.leaks(erased.text).isEmpty, "\(PrivacyHTTPTests.leaks(erased.text))")
            let timeline = try #require(erased.json["timeline"] as? [[String: Any]])
            let last = try #require(timeline.last)
            #expect(last["type"] as? String == "contacts_erased" && (last["payload"] as? [String: String])?["basis"] == "request")
            #expect((last["payload"] as? [String: String])?["note"] == "request of [name] by phone, ref 2026-117")
            #expect(try await h.act(open, "erase-contacts", supervisor, ["reason": "again"]).status == .unprocessableContent, "nothing left to erase")
            #expect(try await h.act(open, "close", agent, ["note": "no rating"]).status == .ok, "the ticket goes on without its contacts")

            // The retention purge, a year and more after the finished ticket closed.
            let counts = try await h.store.unitCounts(tenantID: h.tenant.id, period: AssessmentPeriod(from: "2026-01-01", to: "2028-01-01"))
            let later = ManualClock(Date().addingTimeInterval(400 * 86_400))
            let purge = RetentionPurge(store: h.store, configuration: h.configuration, clock: later)
            let reports = try await purge.pass(tenantID: h.tenant.id)
            #expect(reports.map(\.erased) == [1])
            let read = try await h.send(.get, "/api/v1/tickets/\(finished)", token: supervisor)
            #expect(read.status == .ok && PrivacyHTTPTests.leaks(read.text).isEmpty, "\(PrivacyHTTPTests.leaks(read.text))")
            let purged = try #require((read.json["timeline"] as? [[String: Any]])?.last)
            #expect(purged["type"] as? String == "contacts_erased" && (purged["actor"] as? [String: Any])?["name"] as? String == "system")
            #expect((purged["payload"] as? [String: String])?["basis"] == "retention")
            let messages = try await h.send(.get, "/api/v1/tickets/\(finished)/notifications", token: supervisor)
            #expect(messages.status == .ok && PrivacyHTTPTests.leaks(messages.text).isEmpty)
            #expect(try await h.store.unitCounts(tenantID: h.tenant.id, period: AssessmentPeriod(from: "2026-01-01", to: "2028-01-01")) == counts)
            #expect(try await purge.pass(tenantID: h.tenant.id).map(\.erased) == [0], "idempotent")
            // A city that keeps contact data for ever is left alone.
            var forever = h.configuration
            forever.retentionByCity[h.tenant.id] = RetentionPolicy(retentionDays: 0)
            #expect(try await RetentionPurge(store: h.store, configuration: forever, clock: later).pass(tenantID: h.tenant.id).first?.cutoff == nil)
        }
    }
}

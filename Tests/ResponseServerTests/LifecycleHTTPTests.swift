import Foundation
import HTTPTypes
import Testing
import ResponseStore
import ResponseCore

@Suite("Ticket lifecycle over HTTP")
struct LifecycleHTTPTests {
    @Test("file → dispatch → accept → contact → reply → evaluate → close, with the timeline", arguments: Engine.available)
    func walkthrough(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let handler = try await h.login("handler"), supervisor = try await h.login("supervisor")
            let created = try await h.fileTicket(agent)
            #expect(created.status == .created)
            #expect(created.headers[.contentType] == "application/json; charset=utf-8")
            let number = try #require(created.json["number"] as? String)
            #expect(number.range(of: #"^\d{8}-\d{6}$"#, options: .regularExpression) != nil)
            #expect(created.json["status"] as? String == "received")

            var reply = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01", "coUnits": ["water"]])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(reply.json["status"] as? String == "dispatched")
            #expect((reply.json["deadlines"] as? [String: Any])?["accept"] != nil)
            for (action, body, expected) in [
                ("accept", [String: Any](), "accepted"), ("contact", ["note": "called back"], "contacted"),
                ("reply", ["text": "night work stopped", "resolved": true], "replied"),
            ] {
                reply = try await h.act(number, action, handler, body)
                #expect(reply.status == .ok, "\(action): \(reply.text)")
                #expect(reply.json["status"] as? String == expected)
            }
            reply = try await h.act(number, "evaluate", agent, ["resolved": true, "satisfaction": "basically_satisfied", "contacted": true])
            #expect(reply.json["status"] as? String == "evaluated")
            reply = try await h.act(number, "close", agent)
            #expect(reply.json["status"] as? String == "closed")
            #expect(reply.json["allowedActions"] as? [String] == ["reopen", "comment", "erase-contacts"], "a closed ticket can only be reopened, remarked on, or have its contacts erased")

            let full = try await h.send(.get, "/api/v1/tickets/\(number)", token: supervisor)
            let timeline = try #require(full.json["timeline"] as? [[String: Any]])
            #expect(timeline.map { $0["type"] as? String } == ["created", "triaged", "dispatched", "accepted", "contacted", "replied", "evaluated", "closed"])
            #expect(timeline.map { ($0["actor"] as? [String: Any])?["name"] as? String } == [
                h.user("agent"), "system", h.user("dispatcher"), h.user("handler"), h.user("handler"), h.user("handler"), h.user("agent"), h.user("agent"),
            ])
            #expect(full.json["version"] as? Int == 8)

            // Illegal now: 409 with the allowed actions named.
            reply = try await h.act(number, "accept", handler)
            #expect(reply.status == .conflict)
            #expect(reply.headers[.contentType] == "application/problem+json")
            #expect((reply.json["detail"] as? String)?.contains("allowed now: reopen") == true)
        }
    }

    @Test(arguments: Engine.available) func returnRedispatchAndStaleVersions(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher"), handler = try await h.login("handler")
            let number = try #require(try await h.fileTicket(agent).json["number"] as? String)
            try h.must(await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"]))
            var reply = try await h.act(number, "return", handler, ["reason": "wrong_location", "note": "it is in Sanlitun"])
            #expect(reply.json["status"] as? String == "returned")
            #expect(reply.json["returnCount"] as? Int == 1)
            reply = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-02", "version": 3])
            #expect(reply.status == .conflict)
            #expect(reply.json["type"] as? String == "https://swift-response.dev/problems/stale-version")
            reply = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-02", "version": 4])
            #expect(reply.status == .ok)
            #expect(reply.json["leadUnit"] as? String == "cy-02")
            // The first handler's unit no longer leads: the ticket is invisible to it.
            reply = try await h.send(.get, "/api/v1/tickets/\(number)", token: handler)
            #expect(reply.status == .notFound)
            let other = try await h.login("handler2")
            reply = try await h.act(number, "accept", other)
            #expect(reply.status == .ok)
        }
    }

    @Test(arguments: Engine.available) func rolesAndUnitsAreEnforced(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let handler = try await h.login("handler"), other = try await h.login("handler2")
            let number = try #require(try await h.fileTicket(agent).json["number"] as? String)
            #expect(try await h.act(number, "dispatch", handler, ["leadUnit": "cy-01"]).status == .forbidden)
            #expect(try await h.act(number, "dispatch", agent, ["leadUnit": "cy-01"]).status == .forbidden)
            #expect(try await h.fileTicket(handler).status == .forbidden)
            var reply = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "nowhere", "coUnits": ["closed-unit"]])
            #expect(reply.status == .unprocessableContent)
            #expect((reply.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } == ["leadUnit", "coUnits[0]"])
            try h.must(await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"]))
            #expect(try await h.act(number, "accept", other).status == .notFound)  // not its unit: not even visible
            #expect(try await h.act(number, "accept", dispatcher).status == .forbidden)
            // Handlers list only their unit's tickets.
            try h.must(await h.fileTicket(agent))
            reply = try await h.send(.get, "/api/v1/tickets", token: handler)
            #expect((reply.json["items"] as? [[String: Any]])?.map { $0["number"] as? String } == [number])
            reply = try await h.send(.get, "/api/v1/tickets", token: other)
            #expect((reply.json["items"] as? [[String: Any]])?.isEmpty == true)
            reply = try await h.send(.get, "/api/v1/tickets", token: dispatcher)
            #expect((reply.json["items"] as? [[String: Any]])?.count == 2)
        }
    }

    @Test("contact details are masked for roles that do not call back", arguments: Engine.available)
    func masking(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let handler = try await h.login("handler"), admin = try await h.login("admin"), supervisor = try await h.login("supervisor")
            let number = try #require(try await h.fileTicket(agent).json["number"] as? String)
            let anonymous = try #require(try await h.fileTicket(agent, ["complainant": ["name": "匿名者", "phone": "13700000000", "anonymous": true]]).json["number"] as? String)
            for n in [number, anonymous] { try h.must(await h.act(n, "dispatch", dispatcher, ["leadUnit": "cy-01"])) }
            func complainant(_ n: String, _ token: String) async throws -> [String: Any] {
                try #require(try await h.send(.get, "/api/v1/tickets/\(n)", token: token).json["complainant"] as? [String: Any])
            }
            for token in [agent, supervisor, handler] {
                #expect(try await complainant(number, token)["phone"] as? String == "13912345678")
            }
            for token in [dispatcher, admin] {
                let c = try await complainant(number, token)
                #expect(c["phone"] as? String == "139****5678")
                #expect(c["email"] as? String == "l***@example.com")
            }
            let hidden = try await complainant(anonymous, handler)
            #expect(hidden["phone"] as? String == "137****0000")
            #expect(hidden["name"] == nil)
            #expect(try await complainant(anonymous, agent)["name"] as? String == "匿名者")
            let listed = try await h.send(.get, "/api/v1/tickets?limit=10", token: dispatcher)
            let phones = (listed.json["items"] as? [[String: Any]])?.compactMap { ($0["complainant"] as? [String: Any])?["phone"] as? String }
            #expect(phones?.allSatisfy { $0.contains("****") } == true)
        }
    }

    @Test(arguments: Engine.available) func listFiltersSearchAndPaging(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent")
            for i in 0..<7 { try h.must(await h.fileTicket(agent, ["title": "路灯不亮 \(i)", "kind": i % 2 == 0 ? "complaint" : "help"])) }
            try h.must(await h.fileTicket(agent, ["title": "Broken streetlight", "description": "dark at night"]))
            var reply = try await h.send(.get, "/api/v1/tickets?q=%E8%B7%AF%E7%81%AF&kind=help&limit=2", token: agent)
            #expect(reply.status == .ok)
            var items = try #require(reply.json["items"] as? [[String: Any]])
            #expect(items.count == 2)
            var seen = items.compactMap { $0["number"] as? String }
            while let next = reply.json["next"] as? String {
                reply = try await h.send(.get, "/api/v1/tickets?q=%E8%B7%AF%E7%81%AF&kind=help&limit=2&after=\(next)", token: agent)
                items = try #require(reply.json["items"] as? [[String: Any]])
                seen += items.compactMap { $0["number"] as? String }
            }
            #expect(seen.count == 3)
            #expect(Set(seen).count == 3)
            reply = try await h.send(.get, "/api/v1/tickets?q=STREETLIGHT", token: agent)
            #expect((reply.json["items"] as? [[String: Any]])?.count == 1)
            reply = try await h.send(.get, "/api/v1/tickets?status=received&district=cy&category=01&overdue=false&sort=due", token: agent)
            #expect((reply.json["items"] as? [[String: Any]])?.count == 8)
            reply = try await h.send(.get, "/api/v1/tickets?status=nope&limit=9999&after=%25%25&createdFrom=yesterday", token: agent)
            #expect(reply.status == .badRequest)
            #expect(Set((reply.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []) == ["status", "limit", "after", "createdFrom"])
        }
    }
}

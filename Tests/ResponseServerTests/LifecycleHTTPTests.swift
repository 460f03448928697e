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
            let number = try created.decode(TicketView.self).number
            #expect(number.range(of: #"^\d{8}-\d{6}$"#, options: .regularExpression) != nil)
            #expect(try created.decode(TicketView.self).status == "received")

            var reply = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01", "coUnits": ["water"]])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try reply.decode(TicketView.self).status == "dispatched")
            #expect(try reply.decode(TicketView.self).deadlines?.accept != nil)
            for (action, body, expected) in [
                ("accept", [String: Any](), "accepted"), ("contact", ["note": "called back"], "contacted"),
                ("reply", ["text": "night work stopped", "resolved": true], "replied"),
            ] {
                reply = try await h.act(number, action, handler, body)
                #expect(reply.status == .ok, "\(action): \(reply.text)")
                #expect(try reply.decode(TicketView.self).status == expected)
            }
            reply = try await h.act(number, "evaluate", agent, ["resolved": true, "satisfaction": "basically_satisfied", "contacted": true])
            #expect(try reply.decode(TicketView.self).status == "evaluated")
            reply = try await h.act(number, "close", agent)
            #expect(try reply.decode(TicketView.self).status == "closed")
            #expect(try reply.decode(TicketView.self).allowedActions == ["reopen", "comment", "erase-contacts"], "a closed ticket can only be reopened, remarked on, or have its contacts erased")

            let full = try await h.send(.get, "/api/v1/tickets/\(number)", token: supervisor).decode(TicketView.self)
            let timeline = try #require(full.timeline)
            #expect(timeline.map(\.type) == ["created", "triaged", "dispatched", "accepted", "contacted", "replied", "evaluated", "closed"])
            #expect(timeline.map { $0.actor?.name } == [
                h.user("agent"), "system", h.user("dispatcher"), h.user("handler"), h.user("handler"), h.user("handler"), h.user("agent"), h.user("agent"),
            ])
            #expect(full.version == 8)

            // Illegal now: 409 with the allowed actions named.
            reply = try await h.act(number, "accept", handler)
            #expect(reply.status == .conflict)
            #expect(reply.headers[.contentType] == "application/problem+json")
            #expect(try reply.decode(ProblemView.self).detail?.contains("allowed now: reopen") == true)
        }
    }

    @Test(arguments: Engine.available) func returnRedispatchAndStaleVersions(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher"), handler = try await h.login("handler")
            let number = try await h.fileTicket(agent).decode(TicketView.self).number
            try h.must(await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"]))
            var reply = try await h.act(number, "return", handler, ["reason": "wrong_location", "note": "it is in Sanlitun"])
            #expect(try reply.decode(TicketView.self).status == "returned")
            #expect(try reply.decode(TicketView.self).returnCount == 1)
            reply = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-02", "version": 3])
            #expect(reply.status == .conflict)
            #expect(try reply.decode(ProblemView.self).type == "https://swift-response.dev/problems/stale-version")
            reply = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-02", "version": 4])
            #expect(reply.status == .ok)
            #expect(try reply.decode(TicketView.self).leadUnit == "cy-02")
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
            let number = try await h.fileTicket(agent).decode(TicketView.self).number
            #expect(try await h.act(number, "dispatch", handler, ["leadUnit": "cy-01"]).status == .forbidden)
            #expect(try await h.act(number, "dispatch", agent, ["leadUnit": "cy-01"]).status == .forbidden)
            #expect(try await h.fileTicket(handler).status == .forbidden)
            var reply = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "nowhere", "coUnits": ["closed-unit"]])
            #expect(reply.status == .unprocessableContent)
            #expect(try reply.decode(ProblemView.self).fields == ["leadUnit", "coUnits[0]"])
            try h.must(await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"]))
            #expect(try await h.act(number, "accept", other).status == .notFound)  // not its unit: not even visible
            #expect(try await h.act(number, "accept", dispatcher).status == .forbidden)
            // Handlers list only their unit's tickets.
            try h.must(await h.fileTicket(agent))
            reply = try await h.send(.get, "/api/v1/tickets", token: handler)
            #expect(try reply.decode(ItemPage<TicketView>.self).items.map(\.number) == [number])
            reply = try await h.send(.get, "/api/v1/tickets", token: other)
            #expect(try reply.decode(ItemPage<TicketView>.self).items.isEmpty)
            reply = try await h.send(.get, "/api/v1/tickets", token: dispatcher)
            #expect(try reply.decode(ItemPage<TicketView>.self).items.count == 2)
        }
    }

    @Test("contact details are masked for roles that do not call back", arguments: Engine.available)
    func masking(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let handler = try await h.login("handler"), admin = try await h.login("admin"), supervisor = try await h.login("supervisor")
            let number = try await h.fileTicket(agent).decode(TicketView.self).number
            let anonymous = try await h.fileTicket(agent, ["complainant": ["name": "匿名者", "phone": "13700000000", "anonymous": true]]).decode(TicketView.self).number
            for n in [number, anonymous] { try h.must(await h.act(n, "dispatch", dispatcher, ["leadUnit": "cy-01"])) }
            func complainant(_ n: String, _ token: String) async throws -> TicketView.Contact {
                try #require(try await h.send(.get, "/api/v1/tickets/\(n)", token: token).decode(TicketView.self).complainant)
            }
            for token in [agent, supervisor, handler] {
                #expect(try await complainant(number, token).phone == "13912345678")
            }
            for token in [dispatcher, admin] {
                let c = try await complainant(number, token)
                #expect(c.phone == "139****5678")
                #expect(c.email == "l***@example.com")
            }
            let hidden = try await complainant(anonymous, handler)
            #expect(hidden.phone == "137****0000")
            #expect(hidden.name == nil)
            #expect(try await complainant(anonymous, agent).name == "匿名者")
            let listed = try await h.send(.get, "/api/v1/tickets?limit=10", token: dispatcher)
            let phones = try listed.decode(ItemPage<TicketView>.self).items.compactMap { $0.complainant?.phone }
            #expect(!phones.isEmpty && phones.allSatisfy { $0.contains("****") })
        }
    }

    @Test(arguments: Engine.available) func listFiltersSearchAndPaging(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent")
            for i in 0..<7 { try h.must(await h.fileTicket(agent, ["title": "路灯不亮 \(i)", "kind": i % 2 == 0 ? "complaint" : "help"])) }
            try h.must(await h.fileTicket(agent, ["title": "Broken streetlight", "description": "dark at night"]))
            var reply = try await h.send(.get, "/api/v1/tickets?q=%E8%B7%AF%E7%81%AF&kind=help&limit=2", token: agent)
            #expect(reply.status == .ok)
            var page = try reply.decode(ItemPage<TicketView>.self)
            #expect(page.items.count == 2)
            var seen = page.items.map(\.number)
            while let next = page.next {
                page = try await h.send(.get, "/api/v1/tickets?q=%E8%B7%AF%E7%81%AF&kind=help&limit=2&after=\(next)", token: agent).decode(ItemPage<TicketView>.self)
                seen += page.items.map(\.number)
            }
            #expect(seen.count == 3)
            #expect(Set(seen).count == 3)
            reply = try await h.send(.get, "/api/v1/tickets?q=STREETLIGHT", token: agent)
            #expect(try reply.decode(ItemPage<TicketView>.self).items.count == 1)
            reply = try await h.send(.get, "/api/v1/tickets?status=received&district=cy&category=01&overdue=false&sort=due", token: agent)
            #expect(try reply.decode(ItemPage<TicketView>.self).items.count == 8)
            reply = try await h.send(.get, "/api/v1/tickets?status=nope&limit=9999&after=%25%25&createdFrom=yesterday", token: agent)
            #expect(reply.status == .badRequest)
            #expect(Set(try reply.decode(ProblemView.self).fields) == ["status", "limit", "after", "createdFrom"])
        }
    }
}

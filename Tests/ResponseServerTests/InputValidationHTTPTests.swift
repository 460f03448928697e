import Foundation
import HTTPTypes
import Testing
import ResponseStore
import ResponseCore

@Suite("Bad input gets a clear error and changes nothing")
struct InputValidationHTTPTests {
    @Test(arguments: Engine.available) func badBodiesOnCreate(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent")
            let valid = #"{"kind":"complaint","channel":"phone","title":"t","description":"d"}"#
            let cases: [(String, [UInt8], HTTPResponse.Status, String?)] = [
                ("malformed", Array(#"{"kind":"#.utf8), .badRequest, nil),
                ("not an object", Array("[1,2]".utf8), .unprocessableContent, nil),
                ("wrong type", Array(#"{"kind":"complaint","channel":"phone","title":5,"description":"d"}"#.utf8), .unprocessableContent, "title"),
                ("missing field", Array(#"{"kind":"complaint","channel":"phone","description":"d"}"#.utf8), .unprocessableContent, "title"),
                ("unknown enum", Array(#"{"kind":"rant","channel":"phone","title":"t","description":"d"}"#.utf8), .unprocessableContent, "kind"),
                ("null enum", Array(#"{"kind":null,"channel":"phone","title":"t","description":"d"}"#.utf8), .unprocessableContent, "kind"),
                ("invalid UTF-8", Array(#"{"kind":"complaint","channel":"phone","title":""#.utf8) + [0xFF, 0xFE] + Array(#"","description":"d"}"#.utf8), .badRequest, nil),
                ("latitude out of range", Array(#"{"kind":"complaint","channel":"phone","title":"t","description":"d","location":{"latitude":123,"longitude":0}}"#.utf8), .unprocessableContent, "location.latitude"),
                ("unknown category", Array(#"{"kind":"complaint","channel":"phone","title":"t","description":"d","categoryCode":"99"}"#.utf8), .unprocessableContent, "categoryCode"),
                ("unknown district", Array(#"{"kind":"complaint","channel":"phone","title":"t","description":"d","location":{"districtCode":"atlantis"}}"#.utf8), .unprocessableContent, "location.districtCode"),
                ("empty title", Array(#"{"kind":"complaint","channel":"phone","title":"   ","description":"d"}"#.utf8), .unprocessableContent, "title"),
                ("bad phone", Array(#"{"kind":"complaint","channel":"phone","title":"t","description":"d","complainant":{"phone":"1' OR '1'='1"}}"#.utf8), .unprocessableContent, "complainant.phone"),
                ("10 MB body", Array(#"{"kind":"complaint","channel":"phone","title":"t","description":""#.utf8) + [UInt8](repeating: 0x61, count: 10_000_000) + Array(#""}"#.utf8), .contentTooLarge, nil),
            ]
            for (name, body, status, field) in cases {
                let reply = try await h.send(.post, "/api/v1/tickets", token: agent, raw: body)
                #expect(reply.status == status, "\(name): \(reply.text.prefix(300))")
                #expect(reply.headers[.contentType] == "application/problem+json", "\(name)")
                #expect(reply.json["status"] as? Int == status.code, "\(name)")
                if let field {
                    let fields = (reply.json["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []
                    #expect(fields.contains(field), "\(name): \(fields)")
                }
            }
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == 0)
            #expect(try await h.send(.post, "/api/v1/tickets", token: agent, raw: Array(valid.utf8)).status == .created)
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == 1)
        }
    }

    @Test("SQL metacharacters are data, not code", arguments: Engine.available)
    func sqlMetacharacters(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent")
            let evil = "x'); DROP TABLE tickets; -- \" OR 1=1 /* % _ \\"
            let reply = try await h.fileTicket(agent, ["title": evil, "description": evil])
            #expect(reply.status == .created)
            let number = try #require(reply.json["number"] as? String)
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)", token: agent).json["title"] as? String == evil)
            let search = try await h.send(.get, "/api/v1/tickets?q=DROP%20TABLE", token: agent)
            #expect((search.json["items"] as? [[String: Any]])?.count == 1)
            #expect(try await h.send(.get, "/api/v1/tickets/x'%20OR%20'1'='1", token: agent).status == .notFound)
        }
    }

    @Test(arguments: Engine.available) func badActionBodies(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher"), handler = try await h.login("handler")
            let number = try #require(try await h.fileTicket(agent).json["number"] as? String)
            var reply = try await h.act(number, "dispatch", dispatcher, [:])
            #expect(reply.status == .unprocessableContent)
            #expect((reply.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "leadUnit")
            try h.must(await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"]))
            reply = try await h.act(number, "return", handler, ["reason": "bored"])
            #expect(reply.status == .unprocessableContent)
            reply = try await h.act(number, "frobnicate", handler)
            #expect(reply.status == .notFound)
            reply = try await h.act(number, "accept", handler, ["version": "three"])
            #expect(reply.status == .unprocessableContent)
            reply = try await h.act("20991231-000001", "accept", handler)
            #expect(reply.status == .notFound)
            let events = try await h.send(.get, "/api/v1/tickets/\(number)", token: dispatcher).json["timeline"] as? [[String: Any]]
            #expect(events?.count == 3)  // created, triaged, dispatched: nothing else landed
        }
    }
}

import Foundation
import HTTPTypes
import Testing
import ResponseCore
import ResponseServer
import ResponseStore

@Suite("Health and the OpenAPI document")
struct OpenAPIHTTPTests {
    @Test(arguments: Engine.available) func health(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let reply = try await h.send(.get, "/health")
            #expect(reply.status == .ok)
            #expect(reply.json["status"] as? String == "ok")
            #expect(reply.json["database"] as? String == engine.rawValue)
            #expect(reply.json["migrations"] as? [Int] == Array(1...18))
            let ready = try await h.send(.get, "/health/ready")
            #expect(ready.status == .ok && ready.json["database"] as? String == engine.rawValue)
            let live = try await h.send(.get, "/health/live")
            #expect(live.status == .ok && live.json["status"] as? String == "ok" && live.json["database"] == nil)
        }
    }

    @Test("the document describes every route the router serves, and nothing else", arguments: Engine.available)
    func documentMatchesRouter(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let reply = try await h.send(.get, "/api/v1/openapi.json")
            #expect(reply.status == .ok)
            let doc = reply.json
            #expect(doc["openapi"] as? String == "3.1.0")
            let paths = try #require(doc["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths { for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") } }

            // 1. Every route registered on the router is documented.
            let (_, routes) = buildRouter(configuration: ServerConfiguration(), store: h.store)
            let registered = Set(routes.map { "\($0.method.rawValue) \($0.path)" })
            #expect(registered == documented)
            #expect(documented.count >= 27)

            // 2. Every documented operation is served: the live server answers it with its own
            //    handler, never the catch-all "no such resource".
            let admin = try await h.login("admin")
            for entry in documented.sorted() {
                let parts = entry.split(separator: " ", maxSplits: 1)
                let method = HTTPRequest.Method(String(parts[0]))!
                let uri = String(parts[1]).replacingOccurrences(of: "{number}", with: "20991231-000001")
                    .replacingOccurrences(of: "{code}", with: "probe").replacingOccurrences(of: "{id}", with: "probe").replacingOccurrences(of: "{token}", with: "probe").replacingOccurrences(of: "{key}", with: "probe")
                let probe = try await h.send(method, uri, token: admin, json: method == .get || method == .delete ? nil : [String: Any]())
                #expect(probe.status != .notFound || (probe.json["detail"] as? String) != "no such resource", "\(entry) is documented but not routed")
                #expect(probe.status.code < 500, "\(entry) answered \(probe.status.code)")
            }
            // (The probe of /auth/logout ended the admin session; sign in again.)
            let unknown = try await h.send(.get, "/api/v1/not-a-route", token: try await h.login("admin"))
            #expect(unknown.status == .notFound)
            #expect(unknown.json["detail"] as? String == "no such resource", "\(unknown.status) \(unknown.text)")

            // 3. Every schema reference resolves.
            let schemas = try #require((doc["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let text = reply.text
            let refs = text.components(separatedBy: "#/components/schemas/").dropFirst().map { String($0.prefix { $0 != "\"" }) }
            #expect(!refs.isEmpty)
            for ref in Set(refs) { #expect(schemas[ref] != nil, "dangling $ref \(ref)") }

            // 4. Access lists come from the permission table the handlers check.
            func access(_ method: String, _ path: String) -> String? {
                (paths[path]?[method] as? [String: Any])?["description"] as? String
            }
            for (method, path, roles) in [
                ("post", "/api/v1/tickets", "agent, dispatcher, supervisor, integration"),
                ("post", "/api/v1/tickets/{number}/erase-contacts", "supervisor"),
                ("post", "/api/v1/tickets/{number}/evaluate", "agent, supervisor, integration"),
                ("get", "/api/v1/follow-ups", "agent, supervisor"),
                ("post", "/api/v1/insight/alerts/{id}/acknowledge", "dispatcher, supervisor, admin"),
                ("get", "/api/v1/access-log", "supervisor"),
                ("post", "/api/v1/sweep", "supervisor"),
            ] {
                #expect(access(method, path)?.contains("Access: \(roles).") == true, "\(method) \(path): \(access(method, path) ?? "undocumented")")
            }
            let tracking = try #require(paths["/api/v1/public/requests/{number}"]?["get"] as? [String: Any])
            #expect(tracking["security"] == nil, "a public route needs no credentials, whatever its note")
        }
    }
}

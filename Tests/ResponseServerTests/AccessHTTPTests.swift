import Foundation
import HTTPTypes
import Testing
import ResponseStore
import ResponseCore

@Suite("Authentication, admin routes and API keys")
struct AccessHTTPTests {
    @Test(arguments: Engine.available) func loginAndSessions(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            var reply = try await h.send(.post, "/api/v1/auth/login", json: ["username": h.user("agent"), "password": "wrong-password"])
            #expect(reply.status == .unauthorized)
            reply = try await h.send(.post, "/api/v1/auth/login", json: ["username": "nobody", "password": "whatever-pass"])
            #expect(reply.status == .unauthorized)
            #expect(try await h.send(.get, "/api/v1/tickets").status == .unauthorized)
            #expect(try await h.send(.get, "/api/v1/tickets", token: "srs_forged").status == .unauthorized)
            let token = try await h.login("handler")
            reply = try await h.send(.get, "/api/v1/auth/me", token: token)
            #expect(reply.json["role"] as? String == "handler")
            #expect(reply.json["unitCode"] as? String == "cy-01")
            #expect(try await h.send(.post, "/api/v1/auth/logout", token: token).status == .ok)
            #expect(try await h.send(.get, "/api/v1/auth/me", token: token).status == .unauthorized)
        }
    }

    @Test(arguments: Engine.available) func referenceDataIsWrittenByAdminsOnly(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let admin = try await h.login("admin"), agent = try await h.login("agent")
            let unit: [String: Any] = ["code": "gas", "name": "燃气集团", "kind": "company", "population": 0]
            #expect(try await h.send(.post, "/api/v1/units", token: agent, json: unit).status == .forbidden)
            #expect(try await h.send(.post, "/api/v1/units", token: admin, json: unit).status == .created)
            #expect(try await h.send(.post, "/api/v1/units", token: admin, json: unit).status == .conflict)
            var reply = try await h.send(.put, "/api/v1/units/gas", token: admin, json: ["name": "市燃气集团", "kind": "company"])
            #expect(reply.status == .ok)
            reply = try await h.send(.post, "/api/v1/units", token: admin, json: ["code": "Bad Code!", "name": "", "kind": "planet"])
            #expect(reply.status == .unprocessableContent)
            reply = try await h.send(.post, "/api/v1/units", token: admin, json: ["code": "orphan", "name": "x", "kind": "street", "parentCode": "nope"])
            #expect((reply.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "parentCode")
            let units = try await h.send(.get, "/api/v1/units", token: agent).array
            #expect(units.contains { $0["code"] as? String == "gas" && $0["name"] as? String == "市燃气集团" })

            reply = try await h.send(.post, "/api/v1/categories", token: admin, json: ["code": "01.01.02", "name": "施工扰民", "level": 3, "parentCode": "01.01"])
            #expect(reply.status == .created)
            reply = try await h.send(.post, "/api/v1/categories", token: admin, json: ["code": "01.09", "name": "x", "level": 3, "parentCode": "01"])
            #expect(reply.status == .unprocessableContent)
            #expect(try await h.send(.get, "/api/v1/categories", token: agent).array.count == 4)
        }
    }

    @Test(arguments: Engine.available) func usersAndAPIKeys(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let admin = try await h.login("admin"), agent = try await h.login("agent")
            let name = h.user("newagent")
            #expect(try await h.send(.post, "/api/v1/users", token: agent, json: ["username": name, "password": "long-enough-1", "role": "agent"]).status == .forbidden)
            var reply = try await h.send(.post, "/api/v1/users", token: admin, json: ["username": name, "password": "short", "role": "agent"])
            #expect(reply.status == .unprocessableContent)
            reply = try await h.send(.post, "/api/v1/users", token: admin, json: ["username": h.user("h3"), "password": "long-enough-1", "role": "handler"])
            #expect((reply.json["errors"] as? [[String: Any]])?.first?["field"] as? String == "unitCode")
            reply = try await h.send(.post, "/api/v1/users", token: admin, json: ["username": name, "password": "long-enough-1", "role": "agent"])
            #expect(reply.status == .created)
            #expect(reply.json["passwordHash"] == nil)
            reply = try await h.send(.post, "/api/v1/auth/login", json: ["username": name, "password": "long-enough-1"])
            #expect(reply.status == .ok)
            // The stored hash is bcrypt, never the password.
            let stored = try #require(try await h.store.user(username: name))
            #expect(stored.passwordHash.hasPrefix("$2"))
            #expect(!stored.passwordHash.contains("long-enough-1"))

            reply = try await h.send(.post, "/api/v1/api-keys", token: admin, json: ["name": "city app"])
            #expect(reply.status == .created)
            let secret = try #require(reply.json["key"] as? String)
            let id = try #require(reply.json["id"] as? String)
            var headers = HTTPFields()
            headers[HTTPField.Name("X-API-Key")!] = secret
            reply = try await h.send(.post, "/api/v1/tickets", json: ["kind": "report", "channel": "app", "title": "from the app", "description": "d"], headers: headers)
            #expect(reply.status == .created)
            #expect(((reply.json["timeline"] as? [[String: Any]])?.first?["actor"] as? [String: Any])?["name"] as? String == "key:city app")
            let listed = try await h.send(.get, "/api/v1/api-keys", token: admin).array
            #expect(listed.count == 1)
            #expect(listed.first?["key"] == nil)
            #expect(try await h.send(.delete, "/api/v1/api-keys/\(id)", token: admin).status == .ok)
            #expect(try await h.send(.get, "/api/v1/tickets", headers: headers).status == .unauthorized)
            #expect(try await h.send(.delete, "/api/v1/api-keys/\(id)", token: admin).status == .notFound)
        }
    }
}

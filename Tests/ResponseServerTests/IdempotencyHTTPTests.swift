import Foundation
import HTTPTypes
import ResponseCore
import ResponseStore
import Testing

@Suite("Idempotent filing: Idempotency-Key on the API, the portal and Open311 (SQLite and PostgreSQL)")
struct IdempotencyHTTPTests {
    static let key = HTTPField.Name("Idempotency-Key")!
    static let replayed = HTTPField.Name("Idempotent-Replayed")!

    static var ticket: [String: Any] { [
        "kind": "complaint", "channel": "app", "title": "夜间施工噪音", "description": "工地每晚十一点后施工",
        "categoryCode": "01.01.01", "location": ["districtCode": "cy", "streetCode": "cy-01"],
    ] }

    @Test(arguments: Engine.available)
    func theAPIFilesOnceUnderAKey(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let before = try await h.store.countTickets(tenantID: h.tenant.id)
            let key = UUID().uuidString
            let first = try h.must(try await h.send(.post, "/api/v1/tickets", token: agent, json: Self.ticket, headers: [Self.key: key]))
            #expect(first.status == .created && first.headers[Self.replayed] == nil)
            let number = try #require(first.json["number"] as? String)

            let again = try await h.send(.post, "/api/v1/tickets", token: agent, json: Self.ticket, headers: [Self.key: key])
            #expect(again.status == .created && again.headers[Self.replayed] == "true")
            #expect(again.json["number"] as? String == number)
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == before + 1)

            // The same key with another body is refused; nothing is filed.
            var other = Self.ticket
            other["title"] = "另一件事"
            let reused = try await h.send(.post, "/api/v1/tickets", token: agent, json: other, headers: [Self.key: key])
            #expect(reused.status == .unprocessableContent)
            #expect((reused.json["type"] as? String)?.hasSuffix("/idempotency-key-reused") == true)
            // Another caller's key is its own.
            let theirs = try h.must(try await h.send(.post, "/api/v1/tickets", token: dispatcher, json: Self.ticket, headers: [Self.key: key]))
            #expect(theirs.json["number"] as? String != number && theirs.headers[Self.replayed] == nil)
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == before + 2)

            for bad in ["", String(repeating: "k", count: 256), "spaces are not allowed"] {
                let reply = try await h.send(.post, "/api/v1/tickets", token: agent, json: Self.ticket, headers: [Self.key: bad])
                #expect(reply.status == .badRequest, "key '\(bad.prefix(20))'")
            }
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == before + 2)
        }
    }

    /// Retries that arrive together (a client that timed out and a proxy that retried) race to
    /// file: one ticket, every answer names it.
    @Test(arguments: Engine.available)
    func concurrentRetriesFileOneTicket(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent")
            let before = try await h.store.countTickets(tenantID: h.tenant.id)
            let key = UUID().uuidString
            let numbers = try await withThrowingTaskGroup(of: String?.self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        let reply = try await h.send(.post, "/api/v1/tickets", token: agent, json: Self.ticket, headers: [Self.key: key])
                        return reply.status == .created ? reply.json["number"] as? String : nil
                    }
                }
                var all: [String?] = []
                for try await n in group { all.append(n) }
                return all
            }
            #expect(numbers.count == 8 && !numbers.contains(nil), "every retry is answered with the ticket")
            #expect(Set(numbers.compactMap { $0 }).count == 1)
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == before + 1)
        }
    }

    @Test(arguments: Engine.available)
    func thePortalFilesOnceUnderAKey(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let body: [String: Any] = ["kind": "complaint", "title": "路灯不亮", "description": "建外街道路灯坏了",
                                       "location": ["districtCode": "cy", "streetCode": "cy-01"]]
            let key = UUID().uuidString
            let first = try h.must(try await h.send(.post, "/api/v1/public/requests", json: body, headers: [Self.key: key]))
            let again = try h.must(try await h.send(.post, "/api/v1/public/requests", json: body, headers: [Self.key: key]))
            #expect(again.headers[Self.replayed] == "true")
            #expect(again.json["number"] as? String == first.json["number"] as? String)
            #expect(again.json["trackingCode"] as? String == first.json["trackingCode"] as? String)
        }
    }

    @Test(arguments: Engine.available)
    func open311FilesOnceUnderAKey(engine: Engine) async throws {
        try await Open311HTTPTests.run(engine) { h, apiKey in
            let key = UUID().uuidString
            func post(_ fields: String) async throws -> ServerHarness.Reply {
                var headers = HTTPFields()
                headers[.contentType] = "application/x-www-form-urlencoded"
                headers[Self.key] = key
                return try await h.send(.post, Open311HTTPTests.root + "/requests.json", raw: Array(fields.utf8), headers: headers)
            }
            let fields = Open311HTTPTests.validNoise
            let first = try await post("api_key=\(apiKey)&" + fields)
            #expect(first.status == .ok, "\(first.text)")
            let number = try #require(first.array.first?["service_request_id"] as? String)
            // The same fields in another order, with the key last: the same request.
            let again = try await post(fields.split(separator: "&").reversed().joined(separator: "&") + "&api_key=\(apiKey)")
            #expect(again.array.first?["service_request_id"] as? String == number)
            let reused = try await post("api_key=\(apiKey)&" + fields + "&first_name=Li")
            #expect(reused.status == .unprocessableContent, "\(reused.text)")
        }
    }
}

import Foundation
import HTTPTypes
import ResponseCore
import ResponseServer
import ResponseStore
import SQLKit
import Testing

/// The disclosure matrix over HTTP: contact data planted in a ticket's complainant, texts and
/// notes, then every public and staff face read, on both engines.
@Suite("Privacy: every face renders through the one disclosure policy")
struct PrivacyHTTPTests {
    /// A name, a mobile (two writings), a landline, an e-mail and an ID-card number.
    static let planted = ["王芳", "13912345678", "139 1234 5678", "010-87654321", "wf@example.com", "110105199003071234"]

    static func leaks(_ text: String) -> [String] { planted.filter { text.contains($0) } }

    /// Files a ticket carrying every planted datum, dispatches it to cy-01, logs a contact note and
    /// replies, each naming the complainant and her numbers. Returns its number.
    static func plant(_ h: ServerHarness, kind: String, agent: String, dispatcher: String, handler: String) async throws -> String {
        let filed = try await h.fileTicket(agent, [
            "kind": kind, "title": "王芳反映 139 1234 5678",
            "description": "我是王芳，手机13912345678，座机010-87654321，邮箱wf@example.com，身份证110105199003071234",
            "location": ["latitude": 39.912_345, "longitude": 116.456_789, "address": "建外街道8号楼 王芳家", "districtCode": "cy", "streetCode": "cy-01"],
            "complainant": ["name": "王芳", "phone": "13912345678", "email": "wf@example.com"],
        ])
        #expect(filed.status == .created, "\(filed.text)")
        let number = try #require(filed.json["number"] as? String)
        for (action, token, body) in [
            ("dispatch", dispatcher, ["leadUnit": "cy-01"]), ("accept", handler, [:]),
            ("contact", handler, ["note": "已致电王芳 13912345678，约定上门"]),
            ("reply", handler, ["text": "王芳您好，已处理，有问题请打010-87654321", "resolved": true]),
        ] as [(String, String, [String: Any])] {
            let r = try await h.act(number, action, token, body)
            #expect(r.status == .ok, "\(action): \(r.status) \(r.text)")
        }
        return number
    }

    @Test("a report and a complaint, planted with contacts: what staff, integrations and the public each see", arguments: Engine.available)
    func matrix(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher"), handler = try await h.login("handler")
            let admin = try await h.login("admin"), supervisor = try await h.login("supervisor")
            let report = try await Self.plant(h, kind: "report", agent: agent, dispatcher: dispatcher, handler: handler)
            let complaint = try await Self.plant(h, kind: "complaint", agent: agent, dispatcher: dispatcher, handler: handler)
            let created = try await h.send(.post, "/api/v1/api-keys", token: admin, json: ["name": "city app"])
            let key = try #require(created.json["key"] as? String, "\(created.text)")
            var keyHeader = HTTPFields()
            keyHeader[.apiKey] = key

            // Staff who call the complainant back see everything, the timeline's notes included.
            for (role, token) in [("agent", agent), ("supervisor", supervisor), ("handler of the lead unit", handler)] {
                let r = try await h.send(.get, "/api/v1/tickets/\(report)", token: token)
                #expect(r.status == .ok)
                #expect(Self.leaks(r.text).contains("13912345678") && r.text.contains("已致电王芳"), "\(role) sees the contacts")
            }
            // Everyone else on staff, and integrations: masked complainant, redacted texts and notes.
            for number in [report, complaint] {
                for (role, token, headers) in [("dispatcher", dispatcher, HTTPFields()), ("admin", admin, HTTPFields()), ("integration", nil, keyHeader)] as [(String, String?, HTTPFields)] {
                    let r = try await h.send(.get, "/api/v1/tickets/\(number)", token: token, headers: headers)
                    #expect(r.status == .ok, "\(role): \(r.status)")
                    #expect(Self.leaks(r.text).isEmpty, "\(role) reads \(Self.leaks(r.text)) in \(r.text)")
                    #expect(r.text.contains("[phone]") && r.text.contains("[name]") && r.text.contains("139****5678"), "\(role): redacted, not dropped")
                }
            }
            let list = try await h.send(.get, "/api/v1/tickets?limit=10", token: dispatcher)
            #expect(list.status == .ok && Self.leaks(list.text).isEmpty, "the list: \(Self.leaks(list.text))")
            #expect(try await h.send(.get, "/api/v1/tickets/\(report)/notifications", token: admin).status == .forbidden, "admins do no follow-up")

            // The public: nothing of the complainant; a report shows no text and no place finer than the district.
            let open311 = "/open311/v2"
            // The complainants' tracking codes, as the agent read them out on the phone.
            let reportCode = try #require(try await h.send(.get, "/api/v1/tickets/\(report)", token: agent).json["trackingCode"] as? String)
            let complaintCode = try #require(try await h.send(.get, "/api/v1/tickets/\(complaint)", token: agent).json["trackingCode"] as? String)
            for path in ["/api/v1/public/requests/\(report)?code=\(reportCode)", "/api/v1/public/requests/\(complaint)?code=\(complaintCode)", open311 + "/requests.json", open311 + "/requests.xml",
                         open311 + "/requests/\(report).json", open311 + "/servicerequestupdates.json", open311 + "/servicerequestupdates.xml",
                         "/api/v1/public/open-data?from=\(report.prefix(4))-\(report.dropFirst(4).prefix(2))-\(report.dropFirst(6).prefix(2))"] {
                let r = try await h.send(.get, path)
                #expect(r.status == .ok, "\(path): \(r.status) \(r.text)")
                #expect(Self.leaks(r.text).isEmpty, "\(path) shows \(Self.leaks(r.text)): \(r.text)")
            }
            let tracked = try await h.send(.get, "/api/v1/public/requests/\(report)?code=\(reportCode)").json
            #expect(tracked["sensitive"] as? Bool == true && tracked["title"] == nil && tracked["reply"] == nil && tracked["district"] as? String == "朝阳区")
            let plain = try await h.send(.get, "/api/v1/public/requests/\(complaint)?code=\(complaintCode)").json
            #expect(plain["sensitive"] as? Bool == false && plain["title"] as? String == "[name]反映 [phone]")
            #expect(plain["reply"] as? String == "[name]您好，已处理，有问题请打[phone]")

            let requests = try await h.send(.get, open311 + "/requests.json").array
            let sensitive = try #require(requests.first { $0["service_request_id"] as? String == report })
            for field in ["description", "address", "lat", "long", "status_notes"] { #expect(sensitive[field] is NSNull || sensitive[field] == nil, "report's \(field): \(sensitive[field] ?? "")") }
            #expect(sensitive["address_id"] as? String == "cy", "the district only")
            let shown = try #require(requests.first { $0["service_request_id"] as? String == complaint })
            #expect(shown["lat"] as? Double == 39.912 && shown["long"] as? Double == 116.457, "rounded to ~100 m")
            #expect(shown["address"] as? String == "建外街道8号楼 [name]家")
            let feed = try await h.send(.get, open311 + "/servicerequestupdates.json").array
            let replies = feed.filter { $0["status"] as? String == "replied" || ($0["description"] as? String)?.contains("处理") == true }
            #expect(replies.contains { $0["description"] as? String == "[name]您好，已处理，有问题请打[phone]" }, "the complaint's reply, redacted: \(feed)")
            #expect(!feed.contains { $0["service_request_id"] as? String == report && ($0["description"] as? String)?.contains("已处理") == true }, "no reply text of a report")
        }
    }

    @Test("the one access rule: Open311 takes API keys only; integrations rate, reopen and remark only on what they filed; admins do no casework", arguments: Engine.available)
    func access(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher"), handler = try await h.login("handler")
            let admin = try await h.login("admin"), supervisor = try await h.login("supervisor")
            let phoneTicket = try await Self.plant(h, kind: "complaint", agent: agent, dispatcher: dispatcher, handler: handler)
            var keys: [String] = []
            for name in ["app one", "app two"] {
                let created = try await h.send(.post, "/api/v1/api-keys", token: admin, json: ["name": name])
                keys.append(try #require(created.json["key"] as? String, "\(created.text)"))
            }
            func form(_ fields: String) -> [UInt8] { Array(fields.utf8) }
            var formHeaders = HTTPFields()
            formHeaders[.contentType] = "application/x-www-form-urlencoded"
            let filed = try await h.send(.post, "/open311/v2/requests.json", raw: form("api_key=\(keys[0])&service_code=01.01.01&lat=39.91&long=116.45&description=noise"), headers: formHeaders)
            #expect(filed.status == .created || filed.status == .ok, "\(filed.status) \(filed.text)")
            let token = try #require(filed.array.first?["token"] as? String ?? filed.array.first?["service_request_id"] as? String, "\(filed.text)")
            let own = try #require(try await h.send(.get, "/open311/v2/tokens/\(token).json").array.first?["service_request_id"] as? String ?? token)

            // A staff session token is not an Open311 key.
            let asStaff = try await h.send(.post, "/open311/v2/servicerequestupdates.json", raw: form("api_key=\(handler)&service_request_id=\(phoneTicket)&description=hello"), headers: formHeaders)
            #expect(asStaff.status == .forbidden, "\(asStaff.status) \(asStaff.text)")
            // A key remarks on its own request, not on a phone ticket or another app's.
            for (key, number, status) in [(keys[0], own, HTTPResponse.Status.ok), (keys[0], phoneTicket, .forbidden), (keys[1], own, .forbidden)] {
                let r = try await h.send(.post, "/open311/v2/servicerequestupdates.json", raw: form("api_key=\(key)&service_request_id=\(number)&description=still+noisy"), headers: formHeaders)
                #expect(r.status == status, "update on \(number): \(r.status) \(r.text)")
            }
            var keyHeader = HTTPFields()
            keyHeader[.apiKey] = keys[1]
            for action in ["evaluate", "reopen", "comment"] {
                let r = try await h.send(.post, "/api/v1/tickets/\(phoneTicket)/\(action)", json: ["resolved": false, "satisfaction": "dissatisfied", "reason": "x", "text": "x"], headers: keyHeader)
                #expect(r.status == .forbidden, "an integration may not \(action) a phone ticket: \(r.status) \(r.text)")
            }
            // Admins manage the system; supervisors do the casework.
            for (action, body) in [("evaluate", ["resolved": true, "satisfaction": "satisfied"]), ("close", [:]), ("urge", [:]), ("comment", ["text": "x"])] as [(String, [String: Any])] {
                let r = try await h.act(phoneTicket, action, admin, body)
                #expect(r.status == .forbidden, "admin \(action): \(r.status)")
            }
            let view = try await h.send(.get, "/api/v1/tickets/\(phoneTicket)", token: admin).json
            #expect((view["yourActions"] as? [String]) == [], "an admin is offered no casework: \(view["yourActions"] ?? "")")
            #expect(try await h.act(phoneTicket, "evaluate", supervisor, ["resolved": true, "satisfaction": "satisfied"]).status == .ok)
        }
    }

    @Test("smaller holes: security headers everywhere, no framing of pages, a Secure cookie over https, API logout ends a cookie session, discovery ignores a forged Host, a new password ends sessions", arguments: Engine.available)
    func smallerHoles(engine: Engine) async throws {
        try await ServerHarness.run(engine, configure: { $0.publicURL = "https://hotline.example.city" }) { h in
            for path in ["/health", "/api/v1/tickets/nope", "/open311/v2/discovery.json", "/console/login"] {
                let r = try await h.send(.get, path)
                #expect(r.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff", "\(path)")
                #expect(r.headers[HTTPField.Name("Referrer-Policy")!] == "same-origin", "\(path)")
            }
            let page = try await h.send(.get, "/console/login")
            #expect(page.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(page.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("frame-ancestors 'none'") == true)

            // Asked at the loopback address, the endpoint is the configured public one: never the Host header.
            let discovery = try await h.send(.get, "/open311/v2/discovery.json").json
            #expect((discovery["endpoints"] as? [[String: Any]])?.first?["url"] as? String == "https://hotline.example.city/open311/v2")

            let form = Array("username=\(h.user("agent"))&password=\(ServerHarness.password)".utf8)
            let login = try await h.send(.post, "/console/login", raw: form, headers: [.contentType: "application/x-www-form-urlencoded"])
            let setCookie = try #require(login.headers[.setCookie])
            #expect(setCookie.contains("; Secure"), "\(setCookie)")
            var session: HTTPFields = [.cookie: String(setCookie.split(separator: ";")[0])]
            #expect(try await h.send(.get, "/api/v1/auth/me", headers: session).status == .ok)
            session[HTTPField.Name("X-Requested-With")!] = "swift-response"
            #expect(try await h.send(.post, "/api/v1/auth/logout", headers: session).status == .ok)
            #expect(try await h.send(.get, "/api/v1/auth/me", headers: session).status == .unauthorized, "the API logout ended the cookie's session")

            // A new password (user passwd) ends every session of the user.
            let token = try await h.login("handler")
            let hash = Secrets.hashToken(token)
            #expect(try await h.store.sessionUser(tokenHash: hash, now: Date()) != nil)
            var user = try #require(try await h.store.user(username: h.user("handler")))
            user.passwordHash = try await Secrets.hashPassword("a brand new password", cost: 4)
            try await h.store.updateUser(user)
            #expect(try await h.store.sessionUser(tokenHash: hash, now: Date()) == nil)
        }
    }

    struct AccessLog: Decodable {
        struct Item: Decodable { var actor: String; var role: String; var unit: String?; var ticket: String; var route: String; var at: Date }
        var items: [Item]
    }

    @Test("every look at unmasked contact data is in the append-only access log, which supervisors read", arguments: Engine.available)
    func accessLog(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher"), handler = try await h.login("handler")
            let supervisor = try await h.login("supervisor")
            let number = try await Self.plant(h, kind: "complaint", agent: agent, dispatcher: dispatcher, handler: handler)
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)", token: handler).status == .ok)
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)", token: dispatcher).status == .ok)
            #expect(try await h.send(.get, "/api/v1/tickets?limit=5", token: agent).status == .ok)
            let reply = try await h.send(.get, "/api/v1/access-log?ticket=\(number)", token: supervisor)
            #expect(reply.status == .ok, "\(reply.text)")
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .iso8601
            let log = try decoder.decode(AccessLog.self, from: reply.body)
            let seen = Set(log.items.map { "\($0.actor.hasSuffix("agent") ? "agent" : $0.actor.hasSuffix("handler") ? "handler" : $0.actor) \($0.route)" })
            #expect(seen == ["handler GET /api/v1/tickets/{number}", "agent GET /api/v1/tickets"], "the dispatcher saw masked data: no record; \(seen)")
            #expect(log.items.first { $0.role == "handler" }?.unit == "cy-01")
            let byUser = try await h.send(.get, "/api/v1/access-log?user=\(h.user("handler"))", token: supervisor).decode(AccessLog.self)
            #expect(byUser.items.map(\.ticket) == [number])
            for token in [dispatcher, handler, agent, try await h.login("admin")] {
                #expect(try await h.send(.get, "/api/v1/access-log", token: token).status == .forbidden)
            }
            #expect(try await h.send(.get, "/api/v1/access-log?from=2026-13-01", token: supervisor).status == .badRequest)
            // The summary the monthly report prints: by role and face, and who saw most.
            let summary = try await h.send(.get, "/api/v1/access-log/summary", token: supervisor).decode(AccessSummary.self)
            let handlerLine = try #require(summary.lines.first { $0.role == .handler && $0.route == "GET /api/v1/tickets/{number}" }, "\(summary)")
            #expect(handlerLine.people == 1 && handlerLine.tickets == 1 && handlerLine.records >= 1)
            #expect(summary.lines.contains { $0.role == .agent && $0.route == "GET /api/v1/tickets" })
            #expect(!summary.lines.contains { $0.role == .dispatcher }, "masked views are no disclosures")
            #expect(summary.topPeople.contains { $0.actor == h.user("handler") && $0.unit == "cy-01" })
            #expect(summary.topPeople.reduce(0) { $0 + $1.records } == summary.records)
            #expect(try await h.send(.get, "/api/v1/access-log/summary?month=2026-13", token: supervisor).status == .badRequest)
            #expect(try await h.send(.get, "/api/v1/access-log/summary", token: dispatcher).status == .forbidden)
            // Append-only: the database refuses to change or remove a record.
            await #expect(throws: (any Error).self) { try await h.store.backend.transaction { db in try await db.raw("UPDATE access_log SET actor = 'nobody'").run() } }
            await #expect(throws: (any Error).self) { try await h.store.backend.transaction { db in try await db.raw("DELETE FROM access_log").run() } }
        }
    }
}

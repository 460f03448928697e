import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import ResponseCore
import ResponseDispatch
import ResponseServer
import ResponseStore
import Testing

/// The API the console and the portal stand on — knowledge base, suggestions, places, maps,
/// figures, the public face, live streams — and the console's own pages, cookie and language.
@Suite("Console and portal over HTTP")
struct ConsoleHTTPTests {
    static func value(_ reply: ServerHarness.Reply, _ path: String...) -> Any? {
        var current: Any? = reply.json
        for key in path { current = (current as? [String: Any])?[key] }
        return current
    }

    @Test("knowledge base: editing, Chinese and English search, expiry, use counts", arguments: Engine.available)
    func knowledgeBase(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let admin = try await h.login("admin"), agent = try await h.login("agent")
            // Only admins write; bad input is refused field by field.
            var reply = try await h.send(.post, "/api/v1/knowledge", token: agent, json: ["title": "t", "body": "b"])
            #expect(reply.status == .forbidden)
            reply = try await h.send(.post, "/api/v1/knowledge", token: admin, json: ["title": " ", "body": "", "categories": ["nope"]])
            #expect(reply.status == .unprocessableContent || reply.status == .badRequest, "\(reply.status)")
            let fields = Set(try reply.decode(ProblemView.self).fields)
            #expect(fields == ["title", "body", "categories[0]"])

            reply = try await h.send(.post, "/api/v1/knowledge", token: admin, json: [
                "title": "夜间施工噪音规定 Night construction noise", "categories": ["01"],
                "body": "晚22时至次日6时禁止产生噪声的建筑施工。Noisy construction is banned from 22:00 to 06:00.",
            ])
            #expect(reply.status == .created, "\(reply.text)")
            let id = try reply.decode(ArticleView.self).id
            reply = try await h.send(.post, "/api/v1/knowledge", token: admin, json: [
                "title": "停水通知 Water outages", "body": "计划停水提前24小时公告。Planned outages are announced a day ahead.",
            ])
            let water = try reply.decode(ArticleView.self).id
            reply = try await h.send(.post, "/api/v1/knowledge", token: admin, json: [
                "title": "旧的施工公告 Old construction notice", "body": "已过期的施工噪音答复。", "validUntil": "2020-01-01T00:00:00Z",
            ])
            let expired = try reply.decode(ArticleView.self).id

            // Chinese by character pairs, English by words (plural folded), best first.
            reply = try await h.send(.get, "/api/v1/knowledge?q=%E6%96%BD%E5%B7%A5%E5%99%AA%E9%9F%B3", token: agent)  // 施工噪音
            #expect(try reply.decode([ArticleView].self).map(\.id) == [id])
            reply = try await h.send(.get, "/api/v1/knowledge?q=outage", token: agent)
            #expect(try reply.decode([ArticleView].self).first?.id == water)
            reply = try await h.send(.get, "/api/v1/knowledge?q=%E6%96%BD%E5%B7%A5&expired=true", token: agent)  // 施工
            #expect(Set(try reply.decode([ArticleView].self).map(\.id)) == [id, expired])
            #expect(try reply.decode([ArticleView].self).first { $0.id == expired }?.valid == false)
            // A category filter keeps the article of that category (or of none).
            reply = try await h.send(.get, "/api/v1/knowledge?q=construction&category=01.01.01", token: agent)
            #expect(try reply.decode([ArticleView].self).map(\.id) == [id])
            // The public search shows only valid articles, without login.
            reply = try await h.send(.get, "/api/v1/public/knowledge?q=%E6%96%BD%E5%B7%A5")
            #expect(reply.status == .ok)
            #expect(try reply.decode([ArticleView].self).map(\.id) == [id])

            // Answering a consultation with the article counts one use; an edit keeps the count.
            let filed = try await h.fileTicket(agent, ["kind": "consultation", "title": "晚上几点后不能施工？"])
            let number = try filed.decode(TicketView.self).number
            reply = try await h.act(number, "answer", agent, ["text": "晚22时后禁止。", "article": "missing"])
            #expect(reply.status == .unprocessableContent || reply.status == .badRequest)
            reply = try await h.act(number, "answer", agent, ["text": "晚22时后禁止。", "article": id])
            #expect(try reply.decode(TicketView.self).status == "answered", "\(reply.text)")
            // A refused answer (the ticket is already answered) uses no article: counted in the answer's transaction.
            #expect(try await h.act(number, "answer", agent, ["text": "again", "article": id]).status == .conflict)
            reply = try await h.send(.put, "/api/v1/knowledge/\(id)", token: admin, json: ["title": "施工噪音 Construction noise", "body": "修订后的答复。"])
            #expect(reply.status == .ok)
            #expect(try reply.decode(ArticleView.self).uses == 1)
            reply = try await h.send(.get, "/api/v1/knowledge", token: agent)
            #expect(try reply.decode([ArticleView].self).first?.id == id, "the list is most used first")
            reply = try await h.send(.get, "/api/v1/knowledge?q=%E4%BF%AE%E8%AE%A2", token: agent)  // 修订: the index was rebuilt
            #expect(try reply.decode([ArticleView].self).map(\.id) == [id])
            #expect(try await h.send(.delete, "/api/v1/knowledge/\(water)", token: admin).status == .ok)
            #expect(try await h.send(.get, "/api/v1/knowledge/\(water)", token: agent).status == .notFound)
            #expect(try await h.send(.delete, "/api/v1/knowledge/\(water)", token: admin).status == .notFound)
        }
    }

    @Test("suggestions while typing: categories, unit, similar open tickets, articles; places; boundaries", arguments: Engine.available)
    func suggestions(engine: Engine) async throws {
        try await ServerHarness.run(engine, configure: {
            $0.dispatch.duplicates.mergeAt = 2
            $0.geoLayers = [GeoLayer(level: "district", regions: [GeoRegion(key: "cy", name: "朝阳区", rings: [[
                GeoPoint(latitude: 39.8, longitude: 116.4), GeoPoint(latitude: 39.8, longitude: 116.6),
                GeoPoint(latitude: 40.0, longitude: 116.6), GeoPoint(latitude: 40.0, longitude: 116.4), GeoPoint(latitude: 39.8, longitude: 116.4),
            ]])])]
        }) { h in
            let agent = try await h.login("agent"), admin = try await h.login("admin"), handler = try await h.login("handler")
            try h.must(await h.send(.post, "/api/v1/knowledge", token: admin, json: ["title": "施工噪音投诉 Noise", "body": "夜间施工噪音请拨打12345。"]))
            let open = try await h.fileTicket(agent)
            let number = try #require(open.json["number"] as? String)
            let draft: [String: Any] = ["title": "夜间施工噪音", "description": "工地每晚十一点后施工", "categoryCode": "01.01.01",
                                        "location": ["latitude": 39.91, "longitude": 116.45]]
            var reply = try await h.send(.post, "/api/v1/suggest", token: agent, json: draft)
            #expect(reply.status == .ok, "\(reply.text)")
            let similar = (reply.json["similar"] as? [[String: Any]]) ?? []
            #expect(similar.first?["number"] as? String == number)
            #expect(((reply.json["articles"] as? [[String: Any]]) ?? []).first?["title"] as? String == "施工噪音投诉 Noise")
            #expect(Self.value(reply, "district", "code") as? String == "cy", "the point is located by the boundary layer")
            #expect(Self.value(reply, "district", "name") as? String == "朝阳区")
            #expect(try await h.send(.post, "/api/v1/suggest", token: handler, json: draft).status == .forbidden)
            // An unrelated draft gets no article: shared single characters are not a match.
            reply = try await h.send(.post, "/api/v1/suggest", token: agent, json: ["title": "公交卡丢了", "description": "怎么挂失"])
            #expect((reply.json["articles"] as? [[String: Any]])?.isEmpty == true)

            // Places: public, by name; streets carry their district.
            reply = try await h.send(.get, "/api/v1/places?q=%E5%BB%BA%E5%A4%96")  // 建外
            #expect(reply.array.map { $0["code"] as? String } == ["cy-01"])
            #expect(reply.array.first?["districtName"] as? String == "朝阳区")
            reply = try await h.send(.get, "/api/v1/places")
            #expect(Set(reply.array.compactMap { $0["code"] as? String }) == ["cy", "cy-01", "cy-02"])
            #expect(reply.array.first { $0["code"] as? String == "cy" }?["latitude"] is Double)

            // Boundaries as GeoJSON, public; an unknown layer is a 404 naming the known ones.
            reply = try await h.send(.get, "/api/v1/geo/district")
            #expect(reply.headers[.contentType]?.hasPrefix("application/geo+json") == true)
            let features = try #require(reply.json["features"] as? [[String: Any]])
            #expect(features.count == 1)
            #expect(Self.value(ServerHarness.Reply(status: .ok, headers: [:], body: try JSONSerialization.data(withJSONObject: features[0])), "properties", "key") as? String == "cy")
            reply = try await h.send(.get, "/api/v1/geo/street")
            #expect(reply.status == .notFound)
            #expect((reply.json["detail"] as? String)?.contains("district") == true)
        }
    }

    @Test("load by district and daily volume by first-level category", arguments: Engine.available)
    func figures(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), supervisor = try await h.login("supervisor")
            for _ in 0..<3 { try h.must(await h.fileTicket(agent)) }
            try h.must(await h.fileTicket(agent, ["location": ["address": "某处"], "categoryCode": NSNull()]))
            var reply = try await h.send(.get, "/api/v1/stats/load", token: supervisor)
            #expect(reply.status == .ok)
            let cy = reply.array.first { $0["districtCode"] as? String == "cy" }
            #expect(cy?["open"] as? Int == 3)
            #expect(cy?["name"] as? String == "朝阳区")
            #expect(reply.array.contains { $0["districtCode"] == nil && $0["open"] as? Int == 1 })
            reply = try await h.send(.get, "/api/v1/stats/volume?days=7", token: supervisor)
            let days = try #require(reply.json["days"] as? [String])
            #expect(days.count == 7)
            let series = try #require(reply.json["series"] as? [[String: Any]])
            let building = series.first { $0["code"] as? String == "01" }
            #expect(building?["total"] as? Int == 3, "level-3 tickets roll up to their first-level category")
            #expect((building?["counts"] as? [Int])?.last == 3, "filed today, in the city's time zone")
            #expect(try await h.send(.get, "/api/v1/stats/volume?days=0", token: supervisor).status == .badRequest)
            #expect(try await h.send(.get, "/api/v1/stats/load").status == .unauthorized)
        }
    }

    @Test("the public face: file without an account, track without personal data, the city's rates", arguments: Engine.available)
    func publicPortal(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            var reply = try await h.send(.post, "/api/v1/public/requests", json: ["title": "", "location": ["districtCode": "nowhere"]])
            #expect(reply.status == .unprocessableContent || reply.status == .badRequest)
            reply = try await h.send(.post, "/api/v1/public/requests", json: [
                "kind": "complaint", "title": "路灯不亮，电话13912345678", "description": "建外街道路灯坏了。我是张三。",
                "location": ["districtCode": "cy", "streetCode": "cy-01"], "name": "张三", "phone": "13912345678",
            ])
            #expect(reply.status == .created, "\(reply.text)")
            let number = try #require(reply.json["number"] as? String)
            let code = try #require(reply.json["trackingCode"] as? String)
            #expect(code.count == 8 && reply.json["track"] as? String == "/portal/track/\(number)?code=\(code)")
            let stored = try #require(try await h.store.ticket(number: number, tenantID: h.tenant.id))
            #expect(stored.channel == .web)
            #expect(stored.complainant.phone == "13912345678", "the unit can call back")

            let agent = try await h.login("agent")
            try h.must(await h.act(number, "comment", agent, ["text": "内部备注：联系人张三 13912345678"]))
            // Without the code, or with a wrong one, the number answers as an unknown number does.
            let unknown = try await h.send(.get, "/api/v1/public/requests/20990101-999999?code=\(code)")
            #expect(unknown.status == .notFound)
            for wrong in ["", "?code=", "?code=ABCDEFGH", "?code=\(code.dropLast())"] {
                let r = try await h.send(.get, "/api/v1/public/requests/\(number)\(wrong)")
                #expect(r.status == .notFound && r.json["detail"] as? String == "no request \(number) with this tracking code", "\(wrong)")
            }
            // As people type it: lower case, a dash, O for 0.
            let typed = code.lowercased().replacingOccurrences(of: "0", with: "o").prefix(4) + "-" + code.lowercased().suffix(4)
            #expect(try await h.send(.get, "/api/v1/public/requests/\(number)?code=\(typed)").status == .ok)
            // Staff who call the complainant back read the code out with the number.
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)", token: agent).json["trackingCode"] as? String == code)
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)", token: try await h.login("dispatcher")).json["trackingCode"] == nil)
            reply = try await h.send(.get, "/api/v1/public/requests/\(number)?code=\(code)")
            #expect(reply.status == .ok)
            #expect(!reply.text.contains("13912345678") && !reply.text.contains("张三") && !reply.text.contains("内部备注"), "\(reply.text)")
            let types = ((reply.json["timeline"] as? [[String: Any]]) ?? []).compactMap { $0["type"] as? String }
            #expect(types.first == "created")
            #expect(!types.contains("commented"))
            #expect(reply.json["district"] as? String == "朝阳区")

            reply = try await h.send(.get, "/api/v1/public/dashboard")
            #expect(reply.status == .ok)
            #expect((reply.json["open"] as? Int ?? 0) >= 1)
            #expect((Self.value(reply, "volume", "days") as? [String])?.count == 30)
        }
    }

    @Test("anonymous filing is rate-limited per address", arguments: Engine.available)
    func publicRateLimit(engine: Engine) async throws {
        try await ServerHarness.run(engine, configure: { $0.open311.anonymousRequestsPerMinute = 1; $0.open311.publicReadsPerMinute = 1; $0.open311.burst = 2 }) { h in
            var statuses: [HTTPResponse.Status] = []
            var last: ServerHarness.Reply?
            for i in 0..<3 {
                last = try await h.send(.post, "/api/v1/public/requests", json: ["title": "测试 \(i)"])
                statuses.append(last?.status ?? .ok)
            }
            #expect(statuses == [.created, .created, .tooManyRequests])
            let wait = try #require(last?.headers[.retryAfter].flatMap(Int.init), "a 429 says when to come back")
            #expect((1...60).contains(wait))
            // Public reads have their own per-address limit: a burst of guesses is cut off.
            var reads: [HTTPResponse.Status] = []
            for i in 0..<3 { reads.append(try await h.send(.get, "/api/v1/public/requests/20261202-\(String(format: "%06d", i))?code=AAAAAAAA").status) }
            #expect(reads == [.notFound, .notFound, .tooManyRequests])
        }
    }

    @Test("console pages: login form and cookie, CSRF header, roles, language, assets", arguments: Engine.available)
    func consolePages(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            var reply = try await h.send(.get, "/", headers: [.accept: "text/html"])
            #expect(reply.status == .seeOther && reply.headers[.location] == "/console")
            reply = try await h.send(.get, "/")
            #expect(reply.json["console"] as? String == "/console", "API clients still get the index")
            reply = try await h.send(.get, "/console/intake")
            #expect(reply.status == .seeOther && reply.headers[.location]?.hasPrefix("/console/login?next=") == true)

            func form(_ fields: [String: String]) -> [UInt8] {
                Array(fields.map { "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "")" }.joined(separator: "&").utf8)
            }
            let formType: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
            reply = try await h.send(.post, "/console/login", raw: form(["username": h.user("agent"), "password": "wrong"]), headers: formType)
            #expect(reply.status == .unauthorized)
            #expect(reply.text.contains("Wrong user name or password"))
            reply = try await h.send(.post, "/console/login", raw: form(["username": h.user("agent"), "password": ServerHarness.password, "next": "//evil.example/"]), headers: formType)
            #expect(reply.status == .seeOther)
            #expect(reply.headers[.location] == "/console/intake", "no open redirect; the agent starts at intake")
            let setCookie = try #require(reply.headers[.setCookie])
            #expect(setCookie.contains("HttpOnly") && setCookie.contains("SameSite=Strict"))
            let cookie = String(setCookie.split(separator: ";")[0])
            let session: HTTPFields = [.cookie: cookie]

            // The cookie signs in pages and reads; changes also need the console's header.
            reply = try await h.send(.get, "/console/intake", headers: session)
            #expect(reply.status == .ok)
            #expect(reply.text.contains("data-page=\"intake\"") && reply.text.contains("<html lang=\"en\">"))
            #expect(reply.headers[HTTPField.Name("Content-Security-Policy")!]?.contains("script-src 'self'") == true)
            #expect(try await h.send(.get, "/api/v1/auth/me", headers: session).json["role"] as? String == "agent")
            let ticket: [String: Any] = ["kind": "complaint", "channel": "phone", "title": "路面坑洼", "description": "建外街道"]
            reply = try await h.send(.post, "/api/v1/tickets", json: ticket, headers: session)
            #expect(reply.status == .forbidden, "a cookie without the header is what a cross-site form would send")
            var withHeader = session
            withHeader[HTTPField.Name("X-Requested-With")!] = "swift-response"
            reply = try await h.send(.post, "/api/v1/tickets", json: ticket, headers: withHeader)
            #expect(reply.status == .created)

            // Each role sees its own screens.
            reply = try await h.send(.get, "/console/inbox", headers: session)
            #expect(reply.status == .forbidden)
            reply = try await h.send(.get, "/console/follow-up", headers: session)
            #expect(reply.status == .ok)
            #expect(reply.text.contains("href=\"/console/intake\"") && !reply.text.contains("href=\"/console/dispatch\""))

            // Language: the browser's, then the switch, which sticks.
            reply = try await h.send(.get, "/console/login", headers: [.acceptLanguage: "zh-CN,zh;q=0.9,en;q=0.5"])
            #expect(reply.text.contains("<html lang=\"zh-CN\">") && reply.text.contains("登录工作台"))
            reply = try await h.send(.get, "/portal?lang=en", headers: [.acceptLanguage: "zh-CN"])
            #expect(reply.text.contains("<html lang=\"en\">"))
            #expect(reply.headers[.setCookie]?.hasPrefix("sr_lang=en") == true)
            reply = try await h.send(.get, "/portal", headers: [.acceptLanguage: "zh-CN", .cookie: "sr_lang=en"])
            #expect(reply.text.contains("<html lang=\"en\">"))

            // Assets: the script, and Leaflet and Chart.js with their licences.
            for path in ["/assets/console.js", "/assets/vendor/leaflet/leaflet.min.js", "/assets/vendor/chart.js/chart.min.js",
                         "/assets/vendor/leaflet/COPYRIGHT", "/assets/vendor/chart.js/COPYRIGHT"] {
                reply = try await h.send(.get, path)
                #expect(reply.status == .ok, "\(path)")
            }
            #expect(try await h.send(.get, "/assets/../Package.swift").status == .notFound)

            // Logging out ends the session for the API too.
            reply = try await h.send(.post, "/console/logout", headers: session)
            #expect(reply.status == .seeOther)
            #expect(try await h.send(.get, "/api/v1/auth/me", headers: session).status == .unauthorized)
        }
    }

    @Test("tickets list what the caller's role may do next", arguments: Engine.available)
    func yourActions(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let handler = try await h.login("handler"), other = try await h.login("handler2")
            let number = try await h.fileTicket(agent, ["categoryCode": NSNull()]).decode(TicketView.self).number
            try h.must(await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"]))
            let mine = try await h.send(.get, "/api/v1/tickets/\(number)", token: handler)
            let mineActions = try #require(try mine.decode(TicketView.self).yourActions)
            #expect(Set(mineActions).isSuperset(of: ["accept", "return"]))
            #expect(!mineActions.contains("dispatch"))
            let theirs = try await h.send(.get, "/api/v1/tickets/\(number)", token: dispatcher)
            #expect(try #require(try theirs.decode(TicketView.self).yourActions).contains("accept") == false)
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)", token: other).status == .notFound)
        }
    }

    @Test("live stream: changes arrive as server-sent events; handlers hear only of their unit", arguments: Engine.available)
    func liveStream(engine: Engine) async throws {
        try await ServerHarness.run(engine, configure: {
            $0.dispatch.duplicates.mergeAt = 2
            $0.liveInterval = 0.1
            // Long enough for both changes to be read on a loaded 2-core CI machine (a fresh
            // clone's run once saw the dispatch land after a 2.5 s stream had ended).
            $0.liveStreamLifetime = 5
        }) { h in
            let supervisor = try await h.login("supervisor"), handler = try await h.login("handler2")
            #expect(try await h.send(.get, "/api/v1/stream").status == .unauthorized)
            // The stream ends by itself after its lifetime; meanwhile a ticket is filed and
            // dispatched straight through the store, as another server instance would.
            // Each stream on its own connection, as browsers hold them.
            let port = try #require(h.client.port)
            @Sendable func stream(_ token: String) async throws -> (HTTPFields, String) {
                let client = TestClient(host: "localhost", port: port, configuration: .init(timeout: .seconds(20)))
                client.connect()
                let response = try await client.execute(.init("/api/v1/stream", method: .get, authority: "localhost", headers: [.authorization: "Bearer \(token)"]))
                try await client.shutdown()
                return (response.head.headerFields, response.body.map { String(buffer: $0) } ?? "")
            }
            async let supervisorStream = stream(supervisor)
            async let handlerStream = stream(handler)
            // Both screens listen before anything changes.
            while h.feed.listenerCount < 2 { await Task.yield() }
            let actor = Actor(name: "other-instance", role: .dispatcher)
            let (ticket, _) = try await h.store.createTicket(NewTicket(kind: .complaint, channel: .phone, title: "流", description: ""),
                                                             tenant: h.tenant, actor: actor, now: Date())
            let context = h.configuration.city(h.tenant).context(now: Date(), actor: actor)
            _ = try await h.store.apply(.dispatch(leadUnit: "cy-01", coUnits: [], note: nil), number: ticket.number, tenantID: h.tenant.id,
                                        expectedVersion: nil, context: context) { _ in }
            let (headers, all) = try await supervisorStream
            let (_, mine) = try await handlerStream
            #expect(headers[.contentType]?.hasPrefix("text/event-stream") == true)
            let events = all.components(separatedBy: "\n\n").filter { $0.contains("event: ticket") }
            #expect(events.count == 2, "\(all)")
            #expect(events.first?.contains("\"number\":\"\(ticket.number)\"") == true)
            #expect(events.last?.contains("\"type\":\"dispatched\"") == true)
            #expect(mine.contains(": connected"), "\(mine)")
            #expect(!mine.contains(ticket.number), "a handler of cy-02 does not hear of cy-01's ticket")
        }
    }
}

@Suite("Live feed")
struct LiveFeedTests {
    @Test("one look fans changes out by visibility; a burst becomes one reload", arguments: Engine.available)
    func fanOut(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            // The feed's clock moves only when told: each look covers exactly what was filed before it.
            let t0 = Date(millisecondsSince1970: Date().millisecondsSince1970), clock = ManualClock(t0)
            let feed = LiveFeed(store: h.store, clock: clock, interval: 1, logger: .init(label: "test"))
            let (supervisorID, supervisor) = feed.subscribe(Identity(name: "s", tenantID: h.tenant.id, role: .supervisor, unitCode: nil))
            let (_, street1) = feed.subscribe(Identity(name: "h1", tenantID: h.tenant.id, role: .handler, unitCode: "cy-01"))
            let (_, street2) = feed.subscribe(Identity(name: "h2", tenantID: h.tenant.id, role: .handler, unitCode: "cy-02"))
            var s = supervisor.makeAsyncIterator(), one = street1.makeAsyncIterator(), two = street2.makeAsyncIterator()
            let actor = Actor(name: "d", role: .dispatcher), filed = t0.addingTimeInterval(1)
            let (ticket, _) = try await h.store.createTicket(NewTicket(kind: .complaint, channel: .phone, title: "扇出", description: ""),
                                                             tenant: h.tenant, actor: actor, now: filed)
            _ = try await h.store.apply(.dispatch(leadUnit: "cy-01", coUnits: [], note: nil), number: ticket.number, tenantID: h.tenant.id,
                                        expectedVersion: nil, context: h.configuration.city(h.tenant).context(now: filed, actor: actor)) { _ in }
            clock.set(t0.addingTimeInterval(2))
            try await feed.tick()
            let all = try #require(await s.next()), mine = try #require(await one.next()), theirs = try #require(await two.next())
            #expect(all.count == 2 && all.allSatisfy { $0.contains(ticket.number) })
            #expect(mine.count == 1 && mine[0].contains("\"type\":\"dispatched\""), "the street hears of its dispatch, not of the filing")
            #expect(theirs.isEmpty)
            // A second look sends nothing again.
            try await feed.tick()
            #expect(try #require(await s.next()).isEmpty)

            for i in 0...LiveFeed.burst {
                _ = try await h.store.createTicket(NewTicket(kind: .complaint, channel: .phone, title: "批量 \(i)", description: ""),
                                                   tenant: h.tenant, actor: actor, now: t0.addingTimeInterval(3))
            }
            clock.set(t0.addingTimeInterval(4))
            try await feed.tick()
            let burst = try #require(await s.next())
            #expect(burst == ["event: reload\ndata: {\"changes\":\(LiveFeed.burst + 1)}\n\n"])
            feed.unsubscribe(supervisorID)
            #expect(await s.next() == nil, "unsubscribing ends the stream")
        }
    }
}

@Suite("Open data over HTTP")
struct OpenDataHTTPTests {
    @Test("pages of anonymised records, JSON and CSV, by local day", arguments: Engine.available)
    func openData(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent")
            var numbers: [String] = []
            for i in 0..<5 { numbers.append(try await h.fileTicket(agent, ["title": "测试 \(i)"]).decode(TicketView.self).number) }
            let today = DayKeys(identifier: h.tenant.timeZone).key(Date())
            var reply = try await h.send(.get, "/api/v1/public/open-data?from=\(today)&limit=2")
            #expect(reply.status == .ok, "\(reply.text)")
            var page = try reply.decode(ItemPage<PublicRecord>.self)
            var seen = page.items.map(\.uniqueKey)
            #expect(seen.count == 2)
            #expect(!reply.text.contains("李四") && !reply.text.contains("13912345678") && !reply.text.contains("li@example.com"))
            #expect(page.items.first?.latitude == 39.91)
            while let next = page.next {
                page = try await h.send(.get, "/api/v1/public/open-data?from=\(today)&limit=2&after=\(next)").decode(ItemPage<PublicRecord>.self)
                seen += page.items.map(\.uniqueKey)
            }
            #expect(seen == numbers, "every ticket once, in filing order")
            reply = try await h.send(.get, "/api/v1/public/open-data?from=\(today)&format=csv")
            #expect(reply.headers[.contentType]?.hasPrefix("text/csv") == true)
            let lines = reply.text.split(separator: "\n")
            #expect(lines.first == Substring(PublicRecord.columns.joined(separator: ",")))
            #expect(lines.count == 6)
            // Yesterday (the default) holds none of them; bad days are refused.
            #expect(try await h.send(.get, "/api/v1/public/open-data").decode(ItemPage<PublicRecord>.self).items.isEmpty)
            #expect(try await h.send(.get, "/api/v1/public/open-data?from=2026-02-30").status == .badRequest)
            #expect(try await h.send(.get, "/api/v1/public/open-data?from=2026-13-01").status == .badRequest)
            #expect(try await h.send(.get, "/api/v1/public/open-data?from=\(today)&to=\(today)").status == .badRequest)
        }
    }
}

/// A knowledge-base article as the API answers it.
struct ArticleView: Decodable {
    var id: String
    var valid: Bool?
    var uses: Int?
}

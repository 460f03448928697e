import Foundation
import HTTPTypes
import ResponseCore
import ResponseDispatch
import ResponseServer
import ResponseStore
import Testing

/// Open311 GeoReport v2 against the real server: every endpoint in both formats, the errors,
/// the liberal input real clients send, and the loop back from units to the update feed.
@Suite("Open311 GeoReport v2 over HTTP")
struct Open311HTTPTests {
    static let root = "/open311/v2"

    /// The harness city with Open311 settings: 01.01.01 asks three questions, 01.01.02 is a
    /// batch service, 01.01.03 is unpublished.
    static func configure(_ c: inout ServerConfiguration) {
        c.dispatch.duplicates.mergeAt = 2
        c.open311.services = [
            "01.01.01": .init(keywords: ["noise", "噪音"], attributes: [
                Open311Attribute(code: "time_of_day", datatype: .singlevaluelist, required: true, description: "When?", order: 1,
                                 values: [.init(key: "day", name: "Day"), .init(key: "night", name: "Night")]),
                Open311Attribute(code: "sources", datatype: .multivaluelist, description: "From what?", order: 2,
                                 values: [.init(key: "site", name: "Building site"), .init(key: "bar", name: "Bar"), .init(key: "traffic", name: "Traffic")]),
                Open311Attribute(code: "decibels", datatype: .number, description: "Measured level", order: 3),
            ]),
            "01.01.02": .init(type: .batch),
            "01.01.03": .init(published: false),
        ]
    }

    static func run(_ engine: Engine = .sqlite, configure extra: @escaping @Sendable (inout ServerConfiguration) -> Void = { _ in },
                    _ body: @escaping @Sendable (ServerHarness, String) async throws -> Void) async throws {
        try await ServerHarness.run(engine, configure: { c in Self.configure(&c); extra(&c) }) { h in
            for (code, name) in [("01.01.02", "违章建筑"), ("01.01.03", "内部事项")] {
                try await h.store.saveCategory(Category(code: code, tenantID: h.tenant.id, name: name, level: 3, parentCode: "01.01"))
            }
            let (key, secret) = try APIKey.issue(name: "app-\(UUID().uuidString.prefix(6))", tenantID: h.tenant.id, now: Date())
            try await h.store.createAPIKey(key)
            try await body(h, secret)
        }
    }

    /// A form-encoded POST exactly as written (the test controls every byte).
    static func post(_ h: ServerHarness, _ path: String, _ body: String, contentType: String = "application/x-www-form-urlencoded; charset=utf-8") async throws -> ServerHarness.Reply {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        return try await h.send(.post, root + path, raw: Array(body.utf8), headers: headers)
    }

    static func get(_ h: ServerHarness, _ path: String) async throws -> ServerHarness.Reply {
        try await h.send(.get, root + path)
    }

    static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: CharacterSet.alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? s
    }

    static let validNoise = "service_code=01.01.01&lat=39.91&long=116.45&attribute[time_of_day]=night&description=" + encode("工地每晚施工 noise")

    /// The single `<error>` or `[{"code","description"}]` of an error body, checked for shape.
    static func expectError(_ reply: ServerHarness.Reply, _ status: HTTPResponse.Status, _ fragment: String, _ format: Open311Format,
                            sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(reply.status == status, "\(reply.text)", sourceLocation: sourceLocation)
        #expect(reply.headers[.contentType] == format.contentType, sourceLocation: sourceLocation)
        switch format {
        case .json:
            let errors = reply.array
            #expect(errors.count == 1 && errors[0]["code"] as? Int == Int(status.code), "\(reply.text)", sourceLocation: sourceLocation)
            #expect((errors.first?["description"] as? String)?.contains(fragment) == true, "\(reply.text)", sourceLocation: sourceLocation)
        case .xml:
            #expect(reply.text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><errors><error><code>\#(status.code)</code><description>"#), "\(reply.text)", sourceLocation: sourceLocation)
            #expect(reply.text.contains(fragment), "\(reply.text)", sourceLocation: sourceLocation)
        }
    }

    // MARK: Discovery and services

    @Test("discovery, services and service definitions in XML and JSON", arguments: Engine.available)
    func discoveryAndServices(engine: Engine) async throws {
        try await Self.run(engine) { h, _ in
            let xml = try await Self.get(h, "/discovery.xml")
            #expect(xml.status == .ok)
            #expect(xml.headers[.contentType] == "text/xml; charset=utf-8")
            #expect(xml.text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><discovery><changeset>"#))
            #expect(xml.text.contains("<endpoints><endpoint><specification>http://wiki.open311.org/GeoReport_v2</specification><url>http://"))
            #expect(xml.text.contains("<formats><format>text/xml</format><format>application/json</format></formats>"))
            let json = try await Self.get(h, "/discovery.json")
            #expect(json.headers[.contentType] == "application/json; charset=utf-8")
            let endpoint = try #require((json.json["endpoints"] as? [[String: Any]])?.first)
            #expect((endpoint["url"] as? String)?.hasSuffix("/open311/v2") == true)
            #expect((json.json["changeset"] as? String)?.hasSuffix("+08:00") == true)

            let services = try await Self.get(h, "/services.json").array
            #expect(services.map { $0["service_code"] as? String } == ["01.01.01", "01.01.02"])  // 01.01.03 is unpublished
            let noise = services[0]
            #expect(noise["service_name"] as? String == "噪音扰民")
            #expect(noise["group"] as? String == "城乡建设")
            #expect(noise["keywords"] as? String == "noise, 噪音")
            #expect(noise["metadata"] as? Bool == true)
            #expect(noise["type"] as? String == "realtime")
            #expect(services[1]["type"] as? String == "batch")
            #expect(services[1]["metadata"] as? Bool == false)
            let servicesXML = try await Self.get(h, "/services.xml").text
            #expect(servicesXML.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><services><service><service_code>01.01.01</service_code><service_name>噪音扰民</service_name>"#))
            #expect(servicesXML.contains("<metadata>true</metadata><type>realtime</type><keywords>noise, 噪音</keywords><group>城乡建设</group></service>"))

            let definition = try await Self.get(h, "/services/01.01.01.json")
            #expect(definition.status == .ok)
            #expect(definition.json["service_code"] as? String == "01.01.01")
            let attributes = try #require(definition.json["attributes"] as? [[String: Any]])
            #expect(attributes.map { $0["code"] as? String } == ["time_of_day", "sources", "decibels"])
            #expect(attributes[0]["datatype"] as? String == "singlevaluelist")
            #expect(attributes[0]["required"] as? Bool == true)
            #expect(attributes[0]["order"] as? Int == 1)
            #expect((attributes[0]["values"] as? [[String: Any]])?.map { $0["key"] as? String } == ["day", "night"])
            let definitionXML = try await Self.get(h, "/services/01.01.01.xml").text
            #expect(definitionXML.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><service_definition><service_code>01.01.01</service_code><attributes><attribute><variable>true</variable><code>time_of_day</code><datatype>singlevaluelist</datatype><required>true</required>"#))
            #expect(definitionXML.contains("<values><value><key>day</key><name>Day</name></value><value><key>night</key><name>Night</name></value></values>"))

            Self.expectError(try await Self.get(h, "/services/99.99.json"), .notFound, "service_code 99.99 not found", .json)
            Self.expectError(try await Self.get(h, "/services/01.01.03.xml"), .notFound, "service_code 01.01.03 not found", .xml)
            Self.expectError(try await Self.get(h, "/services.html"), .notFound, "no such Open311 resource", .xml)
            Self.expectError(try await Self.get(h, "/services/01.01.01.html"), .notFound, "unknown format", .xml)
            Self.expectError(try await Self.get(h, "/nothing.json"), .notFound, "no such Open311 resource", .json)
            Self.expectError(try await Self.get(h, "/services.json?jurisdiction_id=atlantis"), .notFound, "jurisdiction_id atlantis not found", .json)
            #expect(try await Self.get(h, "/services.json?jurisdiction_id=\(h.tenant.id)").array.count == 2)
        }
    }

    // MARK: Filing

    @Test("POST requests files through the shared intake, in both formats, on both engines", arguments: Engine.available)
    func filing(engine: Engine) async throws {
        try await Self.run(engine) { h, key in
            let json = try await Self.post(h, "/requests.json", "api_key=\(key)&" + Self.validNoise
                + "&attribute[sources][]=site&attribute[sources][]=bar&attribute[decibels]=72.5&email=zhang%40example.cn&first_name=San&last_name=Zhang"
                + "&phone=13900001111&device_id=abc&account_id=acct-9&media_url=https%3A%2F%2Fphotos.example%2F1.jpg")
            #expect(json.status == .ok, "\(json.text)")
            let entry = try #require(json.array.first)
            let number = try #require(entry["service_request_id"] as? String)
            #expect(entry["account_id"] as? String == "acct-9")
            #expect((entry["service_notice"] as? String)?.isEmpty == false)
            let ticket = try #require(try await h.store.ticket(number: number, tenantID: h.tenant.id))
            #expect(ticket.channel == .open311)
            #expect(ticket.kind == .help)
            #expect(ticket.categoryCode == "01.01.01")
            #expect(ticket.complainant == Complainant(name: "San Zhang", phone: "13900001111", email: "zhang@example.cn"))
            #expect(ticket.attributes == ["time_of_day": ["night"], "sources": ["site", "bar"], "decibels": ["72.5"]])
            #expect(ticket.mediaURL == "https://photos.example/1.jpg")
            #expect(ticket.location.latitude == 39.91 && ticket.location.longitude == 116.45)
            let events = try await h.store.events(ticketID: ticket.id, tenantID: h.tenant.id)
            #expect(events.first?.actor.role == .integration)
            #expect(events.contains { $0.type == .triaged }, "the dispatcher classified and located it like any other ticket")

            let xml = try await Self.post(h, "/requests.xml", "api_key=\(key)&service_code=01.01.01&address_id=cy-01&attribute[time_of_day]=day")
            #expect(xml.status == .ok, "\(xml.text)")
            #expect(xml.headers[.contentType] == "text/xml; charset=utf-8")
            let xmlNumber = try #require(xml.text.firstMatch(of: /<service_request_id>([0-9-]+)<\/service_request_id>/)?.1).description
            #expect(xml.text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><service_requests><request><service_request_id>"#))
            let byAddress = try #require(try await h.store.ticket(number: xmlNumber, tenantID: h.tenant.id))
            #expect(byAddress.location.streetCode == "cy-01" && byAddress.location.districtCode == "cy")
            #expect(byAddress.title == "噪音扰民", "without a description the service name is the title")

            // A batch service answers with a token that leads to the request.
            let batch = try await Self.post(h, "/requests.json", "api_key=\(key)&service_code=01.01.02&address_string=" + Self.encode("朝阳路1号"))
            let token = try #require(batch.array.first?["token"] as? String)
            #expect(batch.array.first?["service_request_id"] == nil)
            let resolved = try await Self.get(h, "/tokens/\(token).json").array
            #expect(resolved.first?["token"] as? String == token)
            let batchNumber = try #require(resolved.first?["service_request_id"] as? String)
            #expect(try await h.store.ticket(number: batchNumber, tenantID: h.tenant.id)?.location.address == "朝阳路1号")
            let tokenXML = try await Self.get(h, "/tokens/\(token).xml").text
            #expect(tokenXML.contains("<service_requests><request><service_request_id>\(batchNumber)</service_request_id><token>\(token)</token></request></service_requests>"))
            Self.expectError(try await Self.get(h, "/tokens/t_unknown.json"), .notFound, "token t_unknown not found", .json)
        }
    }

    @Test("every refusal of POST requests is a GeoReport error with the right status", arguments: Engine.available)
    func filingErrors(engine: Engine) async throws {
        try await Self.run(engine) { h, key in
            let cases: [(String, HTTPResponse.Status, String)] = [
                (Self.validNoise, .forbidden, "api_key was not provided"),
                ("api_key=srk_wrong&" + Self.validNoise, .forbidden, "api_key is not valid"),
                ("api_key=\(key)&lat=39.9&long=116.4", .badRequest, "service_code was not provided"),
                ("api_key=\(key)&service_code=77&lat=39.9&long=116.4", .badRequest, "service_code 77 not found"),
                ("api_key=\(key)&service_code=01.01.03&lat=39.9&long=116.4", .badRequest, "service_code 01.01.03 not found"),
                ("api_key=\(key)&service_code=01.01.02", .badRequest, "a location is required"),
                ("api_key=\(key)&service_code=01.01.02&lat=39.9", .badRequest, "long is required with lat"),
                ("api_key=\(key)&service_code=01.01.02&lat=north&long=116.4", .badRequest, "lat and long must be decimal degrees"),
                ("api_key=\(key)&service_code=01.01.02&lat=95&long=116.4", .badRequest, "lat: must be between -90 and 90"),
                ("api_key=\(key)&service_code=01.01.02&address_id=water", .badRequest, "address_id water not found"),
                ("api_key=\(key)&service_code=01.01.01&lat=39.9&long=116.4", .badRequest, "attribute[time_of_day] is required"),
                ("api_key=\(key)&service_code=01.01.01&lat=39.9&long=116.4&attribute[time_of_day]=dusk", .badRequest, "must be one of day, night"),
                ("api_key=\(key)&service_code=01.01.01&lat=39.9&long=116.4&attribute[time_of_day]=day&attribute[time_of_day]=night", .badRequest, "takes one value"),
                ("api_key=\(key)&service_code=01.01.01&lat=39.9&long=116.4&attribute[time_of_day]=day&attribute[decibels]=loud", .badRequest, "must be a number"),
                ("api_key=\(key)&service_code=01.01.02&lat=39.9&long=116.4&description=" + String(repeating: "x", count: 4_001), .badRequest, "longer than 4000"),
                ("api_key=\(key)&service_code=01.01.02&lat=39.9&long=116.4&email=nobody", .badRequest, "email: not an e-mail address"),
                ("api_key=\(key)&service_code=01.01.02&lat=39.9&long=116.4&media_url=ftp%3A%2F%2Fx", .badRequest, "media_url"),
                ("api_key=\(key)&jurisdiction_id=atlantis&" + Self.validNoise, .notFound, "jurisdiction_id atlantis not found"),
            ]
            for (i, (body, status, fragment)) in cases.enumerated() {
                let format: Open311Format = i.isMultiple(of: 2) ? .json : .xml
                Self.expectError(try await Self.post(h, "/requests.\(format.rawValue)", body), status, fragment, format)
            }
            Self.expectError(try await Self.post(h, "/requests.json", "{\"service_code\":\"01.01.02\"}", contentType: "application/json"),
                             .badRequest, "application/x-www-form-urlencoded", .json)
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == 0, "no refused request left a ticket behind")

            // A revoked key stops working; a key of another city is refused for this one.
            let admin = try await h.login("admin")
            let created = try await h.send(.post, "/api/v1/api-keys", token: admin, json: ["name": "short-lived"])
            let secret = try #require(created.json["key"] as? String), id = try #require(created.json["id"] as? String)
            #expect(try await Self.post(h, "/requests.json", "api_key=\(secret)&" + Self.validNoise).status == .ok)
            #expect(try await h.send(.delete, "/api/v1/api-keys/\(id)", token: admin).status == .ok)
            Self.expectError(try await Self.post(h, "/requests.json", "api_key=\(secret)&" + Self.validNoise), .forbidden, "api_key is not valid", .json)
            let elsewhere = Tenant(id: h.tenant.id + "-b", name: "B", timeZone: "UTC")
            try await h.store.saveTenant(elsewhere)
            Self.expectError(try await Self.post(h, "/requests.xml", "api_key=\(key)&jurisdiction_id=\(elsewhere.id)&" + Self.validNoise),
                             .forbidden, "not valid for jurisdiction_id", .xml)
        }
    }

    @Test("liberal input: deviceid, repeated attributes, CRLF, no charset, empty fields, a mislabelled type, X-API-Key", arguments: Engine.available)
    func liberalInput(engine: Engine) async throws {
        try await Self.run(engine) { h, key in
            let body = "api_key=\(key)\r\n&service_code=01.01.01\r\n&lat=\r\n&long=&address_string=" + Self.encode("建国路 8 号")
                + "&attribute[time_of_day]=night&attribute[sources]=site&attribute[sources]=traffic&deviceid=dev-1&email="
                + "&description=" + Self.encode("第一行\r\n第二行") + "&first_name=%E6%9D%8E"
            let reply = try await Self.post(h, "/requests.json", body, contentType: "application/x-www-form-urlencoded")
            #expect(reply.status == .ok, "\(reply.text)")
            let number = try #require(reply.array.first?["service_request_id"] as? String)
            let ticket = try #require(try await h.store.ticket(number: number, tenantID: h.tenant.id))
            #expect(ticket.attributes["sources"] == ["site", "traffic"])
            #expect(ticket.location.latitude == nil, "empty lat and long are absent, so the address locates it")
            #expect(ticket.location.address == "建国路 8 号")
            #expect(ticket.description == "第一行\n第二行")
            #expect(ticket.title == "第一行")
            #expect(ticket.complainant.email == nil && ticket.complainant.name == "李")

            // A mislabelled Content-Type, and the key in the X-API-Key header.
            var headers = HTTPFields()
            headers[.apiKey] = key
            headers[.contentType] = "text/plain"
            let bare = try await h.send(.post, Self.root + "/requests.xml", raw: Array(Self.validNoise.utf8), headers: headers)
            #expect(bare.status == .ok, "\(bare.text)")
        }
    }

    // MARK: Reading and updates

    @Test("GET requests: filters, paging, windows and no personal data", arguments: Engine.available)
    func reading(engine: Engine) async throws {
        try await Self.run(engine) { h, key in
            var numbers: [String] = []
            for i in 0..<5 {
                let reply = try await Self.post(h, "/requests.json", "api_key=\(key)&service_code=01.01.02&lat=39.9&long=116.4&email=li%40example.com&phone=13912345678"
                    + "&first_name=Wei&last_name=Li&description=" + Self.encode("report \(i): call Wei Li on 139 1234 5678 or li@example.com"))
                let token = try #require(reply.array.first?["token"] as? String, "\(reply.text)")
                numbers.append(try #require(try await Self.get(h, "/tokens/\(token).json").array.first?["service_request_id"] as? String))
            }
            let all = try await Self.get(h, "/requests.json")
            #expect(all.status == .ok)
            #expect(all.array.map { $0["service_request_id"] as? String } == numbers.reversed(), "newest first")
            let first = all.array[0]
            #expect(first["status"] as? String == "open")
            #expect(first["service_code"] as? String == "01.01.02" && first["service_name"] as? String == "违章建筑")
            #expect((first["requested_datetime"] as? String)?.hasSuffix("+08:00") == true)
            #expect(first["lat"] as? Double == 39.9)
            #expect(first["description"] as? String == "report 4: call [name] on [phone] or [email]")
            for leak in ["13912345678", "139 1234 5678", "li@example.com", "Wei Li"] { #expect(!all.text.contains(leak), "leaked \(leak)") }
            for field in ["email", "phone", "first_name", "last_name", "device_id", "account_id"] { #expect(first[field] == nil) }

            let xml = try await Self.get(h, "/requests.xml?page_size=2&page=2")
            #expect(xml.text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><service_requests><request><service_request_id>\#(numbers[2])</service_request_id><status>open</status>"#))
            #expect(xml.text.components(separatedBy: "<request>").count == 3)
            #expect(!xml.text.contains("13912345678"))

            let picked = try await Self.get(h, "/requests.json?service_request_id=\(numbers[0]),\(numbers[3])&status=closed&service_code=nope").array
            #expect(Set(picked.compactMap { $0["service_request_id"] as? String }) == [numbers[0], numbers[3]], "ids override the other filters")
            #expect(try await Self.get(h, "/requests.json?status=closed").array.isEmpty)
            #expect(try await Self.get(h, "/requests.json?status=open,closed&service_code=01.01.02,01.01.01").array.count == 5)
            #expect(try await Self.get(h, "/requests.json?service_code=01.01.01").array.isEmpty)
            #expect(try await Self.get(h, "/requests.json?start_date=2020-01-01T00:00:00Z&end_date=2020-02-01T00:00:00Z").array.isEmpty)
            // An unencoded + in the offset (decoded as a space) still reads as +08:00.
            #expect(try await Self.get(h, "/requests.json?start_date=2020-01-01T00:00:00+08:00&end_date=2020-02-01T00:00:00+08:00").status == .ok)

            let one = try await Self.get(h, "/requests/\(numbers[1]).xml")
            #expect(one.text.contains("<service_requests><request><service_request_id>\(numbers[1])</service_request_id>"))
            #expect(try await Self.get(h, "/requests/\(numbers[1]).json").array.count == 1)
            Self.expectError(try await Self.get(h, "/requests/20990101-000001.json"), .notFound, "service_request_id 20990101-000001 not found", .json)
            Self.expectError(try await Self.get(h, "/requests.xml?start_date=2026-01-01T00:00:00Z&end_date=2026-06-01T00:00:00Z"), .badRequest, "90 days", .xml)
            Self.expectError(try await Self.get(h, "/requests.json?start_date=yesterday"), .badRequest, "start_date must be a W3C datetime", .json)
            Self.expectError(try await Self.get(h, "/requests.json?status=pending"), .badRequest, "status must be open, closed", .json)
            Self.expectError(try await Self.get(h, "/requests.xml?page_size=5000"), .badRequest, "page_size must be an integer from 1 to 1000", .xml)
            Self.expectError(try await Self.get(h, "/requests.json?api_key=nope"), .forbidden, "api_key is not valid", .json)
        }
    }

    @Test("units' work shows in GET requests and the update feed; client updates reach the unit", arguments: Engine.available)
    func updatesLoop(engine: Engine) async throws {
        try await Self.run(engine) { h, key in
            let dispatcher = try await h.login("dispatcher"), handler = try await h.login("handler"), agent = try await h.login("agent")
            let filed = try await Self.post(h, "/requests.json", "api_key=\(key)&" + Self.validNoise)
            let number = try #require(filed.array.first?["service_request_id"] as? String)
            #expect(try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"]).status == .ok)
            #expect(try await h.act(number, "accept", handler).status == .ok)
            #expect(try await h.act(number, "contact", handler, ["note": "called 13912345678"]).status == .ok)
            #expect(try await h.act(number, "reply", handler, ["text": "工地已停止夜间施工", "resolved": true]).status == .ok)

            var request = try #require(try await Self.get(h, "/requests/\(number).json").array.first)
            #expect(request["status"] as? String == "open", "a reply alone does not close it: the rating is still to come")
            #expect(request["status_notes"] as? String == "工地已停止夜间施工")
            #expect(request["agency_responsible"] as? String == "建外街道")

            let feed = try await Self.get(h, "/servicerequestupdates.json")
            #expect(feed.status == .ok)
            let mine = feed.array.filter { $0["service_request_id"] as? String == number }
            #expect(mine.map { $0["status"] as? String } == ["open", "investigating", "in_progress", "fixed"])
            #expect(mine.map { $0["description"] as? String } == ["Sent to 建外街道.", "建外街道 accepted the request.", "建外街道 contacted the resident.", "工地已停止夜间施工"])
            #expect(!feed.text.contains("13912345678"), "contact notes stay internal")
            let ids = mine.compactMap { $0["update_id"] as? String }
            #expect(Set(ids).count == 4 && ids.allSatisfy { $0.hasPrefix(number + "-") })
            #expect((mine.first?["updated_datetime"] as? String)?.hasSuffix("+08:00") == true)
            let feedXML = try await Self.get(h, "/servicerequestupdates.xml").text
            #expect(feedXML.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><service_request_updates><request_update><update_id>"#))
            #expect(feedXML.contains("<service_request_id>\(number)</service_request_id><status>fixed</status>"))
            #expect(try await Self.get(h, "/servicerequestupdates.json?start_date=2020-01-01T00:00:00Z&end_date=2020-01-02T00:00:00Z").array.isEmpty)
            Self.expectError(try await Self.get(h, "/servicerequestupdates.json?start_date=2020-01-01T00:00:00Z&end_date=2021-01-01T00:00:00Z"), .badRequest, "90 days", .json)

            // A client's remark goes into the unit's timeline without changing the state…
            let remark = try await Self.post(h, "/servicerequestupdates.xml", "api_key=\(key)&service_request_id=\(number)&description=" + Self.encode("photo of the site")
                + "&media_url=https%3A%2F%2Fphotos.example%2F2.jpg&status=FIXED&email=x%40y.z")
            #expect(remark.status == .ok, "\(remark.text)")
            #expect(remark.text.hasPrefix(#"<?xml version="1.0" encoding="UTF-8"?><service_request_updates><request_update><update_id>\#(number)-"#))
            var timeline = try #require(try await h.send(.get, "/api/v1/tickets/\(number)", token: handler).json["timeline"] as? [[String: Any]])
            let comment = try #require(timeline.last)
            #expect(comment["type"] as? String == "commented")
            #expect((comment["payload"] as? [String: String])?["unit"] == "cy-01")
            #expect((comment["payload"] as? [String: String])?["requestedStatus"] == "fixed")
            #expect((comment["payload"] as? [String: String])?["mediaURL"] == "https://photos.example/2.jpg")
            #expect(try await h.store.ticket(number: number, tenantID: h.tenant.id)?.status == .replied)

            // …and "still not solved" on an answered request sends it back to the unit.
            let reopen = try await Self.post(h, "/servicerequestupdates.json", "api_key=\(key)&service_request_id=\(number)&status=open&description=still+noisy")
            #expect(reopen.status == .ok, "\(reopen.text)")
            let ticket = try #require(try await h.store.ticket(number: number, tenantID: h.tenant.id))
            #expect(ticket.status == .reopened && ticket.reopenCount == 1)
            request = try #require(try await Self.get(h, "/requests/\(number).json").array.first)
            #expect(request["status"] as? String == "open")
            let after = try await Self.get(h, "/servicerequestupdates.json").array.filter { $0["service_request_id"] as? String == number }
            #expect(after.last?["status"] as? String == "open")
            #expect(after.last?["description"] as? String == "Reopened and sent back to 建外街道.")
            #expect(after.count == 5, "the client's own remark is not echoed back")

            // Closing shows as closed in GET requests.
            #expect(try await h.act(number, "reply", handler, ["text": "再次处理", "resolved": true]).status == .ok)
            #expect(try await h.act(number, "close", agent).status == .ok)
            request = try #require(try await Self.get(h, "/requests/\(number).json").array.first)
            #expect(request["status"] as? String == "closed")
            #expect(request["expected_datetime"] is NSNull)
            timeline = try #require(try await h.send(.get, "/api/v1/tickets/\(number)", token: handler).json["timeline"] as? [[String: Any]])
            #expect(timeline.last?["type"] as? String == "closed")

            for (body, status, fragment) in [
                ("service_request_id=\(number)&description=x", HTTPResponse.Status.forbidden, "api_key was not provided"),
                ("api_key=\(key)&description=x", .badRequest, "service_request_id was not provided"),
                ("api_key=\(key)&service_request_id=\(number)", .badRequest, "description was not provided"),
                ("api_key=\(key)&service_request_id=\(number)&description=x&status=teleported", .badRequest, "status must be open or closed"),
                ("api_key=\(key)&service_request_id=20990101-000001&description=x", .notFound, "service_request_id 20990101-000001 not found"),
            ] {
                Self.expectError(try await Self.post(h, "/servicerequestupdates.json", body), status, fragment, .json)
            }
        }
    }

    @Test("rate limits answer 429 with Retry-After; oversized bodies 413, both as GeoReport errors", arguments: Engine.available)
    func limits(engine: Engine) async throws {
        try await Self.run(engine, configure: { c in
            c.open311.keyRequestsPerMinute = 1
            c.open311.anonymousRequestsPerMinute = 1
            c.open311.burst = 2
            c.maxBodySize = 2_000
        }) { h, key in
            #expect(try await Self.get(h, "/services.json").status == .ok)
            #expect(try await Self.get(h, "/services.json").status == .ok)
            let limited = try await Self.get(h, "/services.json")
            Self.expectError(limited, .tooManyRequests, "too many requests", .json)
            #expect(Int(limited.headers[.retryAfter] ?? "") ?? 0 >= 1)
            // A key has its own bucket.
            #expect(try await Self.get(h, "/services.xml?api_key=\(key)").status == .ok)
            let big = try await Self.post(h, "/requests.xml", "api_key=\(key)&description=" + String(repeating: "y", count: 3_000))
            Self.expectError(big, .contentTooLarge, "too large", .xml)
            #expect(try await Self.get(h, "/services.xml?api_key=\(key)").status == .ok)
            Self.expectError(try await Self.get(h, "/services.xml?api_key=\(key)"), .tooManyRequests, "too many requests", .xml)
        }
    }
}

import Foundation
import ResponseCore
@testable import ResponseServer
import Testing

/// The Open311 wire format without a server: the liberal form decoder and the document writer.
@Suite("Open311 wire format")
struct Open311WireTests {
    @Test("forms decode as UTF-8 with + and %XX; empty values are absent; deviceid is device_id")
    func decodesForms() {
        let form = Open311Form("api_key=k1&service_code=001&description=%E8%B7%AF%E7%81%AF%E4%B8%8D%E4%BA%AE+at+night&email=&deviceid=abc&lat=39.9&long=116.4")
        #expect(form["api_key"] == "k1")
        #expect(form["description"] == "路灯不亮 at night")
        #expect(form["email"] == nil, "an empty parameter is absent")
        #expect(form["device_id"] == "abc")
        #expect(form["deviceid"] == nil)
        #expect(form["lat"] == "39.9" && form["long"] == "116.4")
        #expect(form["service_request_id"] == nil)
    }

    @Test("attribute[CODE][] and a repeated attribute[CODE] are both lists")
    func attributes() {
        let form = Open311Form("attribute[WHERE]=road&attribute[KIND][]=a&attribute[KIND][]=b&attribute[MANY]=x&attribute[MANY]=y&attribute[]=bad&attribute[EMPTY]=")
        #expect(form.attributes["WHERE"] == ["road"])
        #expect(form.attributes["KIND"] == ["a", "b"])
        #expect(form.attributes["MANY"] == ["x", "y"])
        #expect(form.attributes["EMPTY"] == nil)
        #expect(form.attributes.count == 3, "attribute[] names no code")
    }

    @Test("CRLF between pairs and inside values, raw UTF-8, bad escapes and invalid bytes never fail")
    func liberalInput() {
        let crlf = Open311Form("service_code=001\r\n&description=line+one%0D%0Aline+two\r\n&lat=1")
        #expect(crlf["service_code"] == "001")
        #expect(crlf["description"] == "line one\nline two")
        #expect(crlf["lat"] == "1")
        // A client that sends raw UTF-8 without a charset, and one that sends a stray %.
        #expect(Open311Form(bytes: Array("description=停水三天".utf8))["description"] == "停水三天")
        #expect(Open311Form("description=100%+sure%zz")["description"] == "100% sure%zz")
        let invalid = Open311Form(bytes: Array("description=".utf8) + [0xFF, 0xFE, 0x41])
        #expect(invalid["description"] == "\u{FFFD}\u{FFFD}A")
        #expect(Open311Form("").fields.isEmpty)
        #expect(Open311Form("&&=&novalue").fields.isEmpty)
    }

    static let services = Open311Document(root: "services", item: "service", items: [
        .object([("service_code", .string("001")), ("service_name", .string("Noise & <music>")), ("metadata", .bool(true)),
                 ("type", .string("realtime")), ("keywords", .string("noise, 噪音")), ("group", .null)]),
    ])

    @Test("XML carries the declaration, the root and item elements, escapes, and empty elements for nothing")
    func xml() {
        #expect(Self.services.rendered(.xml) == #"<?xml version="1.0" encoding="UTF-8"?><services><service><service_code>001</service_code>"#
            + "<service_name>Noise &amp; &lt;music&gt;</service_name><metadata>true</metadata><type>realtime</type><keywords>noise, 噪音</keywords><group/></service></services>")
        #expect(Open311Document(root: "service_requests", item: "request", items: []).rendered(.xml).hasSuffix("<service_requests></service_requests>"))
        #expect(Open311Document.escapeXML("a\u{01}b\tc") == "ab\tc", "control characters XML cannot carry are dropped")
    }

    @Test("JSON is a bare array (an object for a service definition) that JSONSerialization reads back")
    func json() throws {
        let text = Self.services.rendered(.json)
        #expect(text.hasPrefix("[{") && text.hasSuffix("}]"))
        let parsed = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]])
        #expect(parsed[0]["service_name"] as? String == "Noise & <music>")
        #expect(parsed[0]["metadata"] as? Bool == true)
        #expect(parsed[0]["group"] is NSNull)
        let definition = Open311Document(root: "service_definition", object: [
            ("service_code", .string("001")),
            ("attributes", .list(item: "attribute", [.object([("code", .string("WHERE")), ("order", .integer(1)), ("lat", .number(39.904211)), ("note", .string("a \"b\"\n\u{01}"))])])),
        ])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(definition.rendered(.json).utf8)) as? [String: Any])
        let attribute = try #require((object["attributes"] as? [[String: Any]])?.first)
        #expect(attribute["order"] as? Int == 1)
        #expect(attribute["lat"] as? Double == 39.904211)
        #expect(attribute["note"] as? String == "a \"b\"\n\u{01}")
        #expect(definition.rendered(.xml).contains("<attributes><attribute><code>WHERE</code><order>1</order><lat>39.904211</lat>"))
    }

    @Test("errors have the GeoReport shape in both formats")
    func errors() throws {
        let doc = Open311Document.errors([(403, "api_key is missing or not valid")])
        #expect(doc.rendered(.xml) == #"<?xml version="1.0" encoding="UTF-8"?><errors><error><code>403</code><description>api_key is missing or not valid</description></error></errors>"#)
        #expect(doc.rendered(.json) == #"[{"code":403,"description":"api_key is missing or not valid"}]"#)
        #expect(Open311Format.xml.contentType == "text/xml; charset=utf-8")
        #expect(Open311Format.json.contentType == "application/json; charset=utf-8")
    }

    @Test("W3C datetimes carry the city's offset and read back, from several client spellings")
    func dates() throws {
        let shanghai = try #require(TimeZone(identifier: "Asia/Shanghai"))
        let newYork = try #require(TimeZone(identifier: "America/New_York"))
        let instant = Date(timeIntervalSince1970: 1_764_034_200) // 2025-11-25T01:30:00Z
        #expect(Open311Document.w3cDate(instant, timeZone: shanghai) == "2025-11-25T09:30:00+08:00")
        #expect(Open311Document.w3cDate(instant, timeZone: newYork) == "2025-11-24T20:30:00-05:00")
        for text in ["2025-11-25T09:30:00+08:00", "2025-11-25T01:30:00Z", "2025-11-25T01:30:00.000Z", "2025-11-24T20:30:00-05:00",
                     "2025-11-25T09:30:00 08:00"] {
            #expect(Open311Document.parseW3CDate(text, timeZone: shanghai) == instant, "\(text)")
        }
        #expect(Open311Document.parseW3CDate("2025-11-25", timeZone: shanghai) == Date(timeIntervalSince1970: 1_764_000_000))
        #expect(Open311Document.parseW3CDate("yesterday", timeZone: shanghai) == nil)
        #expect(Open311Document.parseW3CDate("2025-13-45T99:00:00Z", timeZone: shanghai) == nil)
    }
}

@Suite("Open311 statuses, public text, attributes and rate limits")
struct Open311RulesTests {
    static func event(_ type: EventType, to status: TicketStatus, _ payload: [String: String] = [:]) -> TicketEvent {
        TicketEvent(sequence: 2, ticketID: "t", tenantID: "c", type: type, at: Date(), actor: .system, fromStatus: nil, toStatus: status, payload: payload)
    }

    @Test("the status table: basic open/closed and the extended status of each event")
    func statusTable() {
        #expect(TicketStatus.allCases.filter { Open311Status.basic($0) == "closed" } == [.answered, .closed, .merged])
        let cases: [(TicketEvent, String?)] = [
            (Self.event(.created, to: .received), nil),
            (Self.event(.triaged, to: .received), nil),
            (Self.event(.urged, to: .accepted), nil),
            (Self.event(.commented, to: .accepted), nil),
            (Self.event(.answered, to: .answered), "closed"),
            (Self.event(.dispatched, to: .dispatched), "open"),
            (Self.event(.accepted, to: .accepted), "investigating"),
            (Self.event(.contacted, to: .contacted), "in_progress"),
            (Self.event(.extended, to: .accepted), "action_scheduled"),
            (Self.event(.returned, to: .returned, ["reason": "not_our_mandate"]), "not_councils_responsibility"),
            (Self.event(.returned, to: .returned, ["reason": "wrong_location"]), "internal_referral"),
            (Self.event(.returned, to: .arbitration, ["reason": "not_our_mandate"]), "internal_referral"),
            (Self.event(.replied, to: .replied, ["resolved": "true"]), "fixed"),
            (Self.event(.replied, to: .replied, ["resolved": "false"]), "no_further_action"),
            (Self.event(.evaluated, to: .evaluated, ["resolved": "false"]), "open"),
            (Self.event(.reopened, to: .reopened), "open"),
            (Self.event(.closed, to: .closed, ["resolved": "true"]), "fixed"),
            (Self.event(.closed, to: .closed), "closed"),
            (Self.event(.merged, to: .merged), "duplicate"),
        ]
        for (event, expected) in cases { #expect(Open311Status.extended(event) == expected, "\(event.type) → \(event.toStatus)") }
        for status in ["open", "closed", "fixed", "in_progress", "not_councils_responsibility", "no_further_action", "duplicate", "action_scheduled"] {
            #expect(Open311Status.accepted.contains(status))
        }
    }

    @Test("closing records whether the ticket was solved, from the rating else the reply")
    func closeRecordsOutcome() throws {
        var ticket = Ticket(id: "t", tenantID: "c", number: "20261125-000001", kind: .help, channel: .open311, title: "t", description: "", createdAt: Date())
        ticket.status = .replied
        ticket.replyResolved = true
        let context = TicketStateMachine.Context(now: Date(), actor: .system, city: .test(.standard()))
        #expect(try TicketStateMachine.apply(.close(note: nil), to: ticket, context: context).1.payload["resolved"] == "true")
        ticket.status = .evaluated
        ticket.evaluation = Evaluation(resolved: false, satisfaction: .dissatisfied)
        #expect(try TicketStateMachine.apply(.close(note: nil), to: ticket, context: context).1.payload["resolved"] == "false")
        let (commented, event) = try TicketStateMachine.apply(.comment(text: "photo", details: ["mediaURL": "https://x/1.jpg"]), to: ticket, context: context)
        #expect(commented.status == .evaluated && event.type == .commented && event.payload["mediaURL"] == "https://x/1.jpg")
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.comment(text: "  ", details: [:]), to: ticket, context: context) }
    }

    @Test("public text loses phone numbers, e-mail addresses and the complainant's name")
    func redaction() {
        #expect(Redactor.redact("请联系张三 13912345678 或 zhang@example.cn", name: "张三") == "请联系[name] [phone] 或 [email]")
        #expect(Redactor.redact("call +1 617-555-0100 now", name: nil) == "call [phone] now")
        #expect(Redactor.redact("3 号楼 12 层, 2026 年", name: "A") == "3 号楼 12 层, 2026 年", "short numbers and one-letter names stay")
    }

    @Test("attribute answers are checked by datatype")
    func attributes() {
        let tz = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let list = Open311Attribute(code: "kind", datatype: .multivaluelist, required: true, description: "Kind?", values: [.init(key: "a", name: "A"), .init(key: "b", name: "B")])
        #expect(list.problem(with: ["a", "b"], timeZone: tz) == nil)
        #expect(list.problem(with: [], timeZone: tz)?.contains("is required") == true)
        #expect(list.problem(with: ["c"], timeZone: tz)?.contains("one of a, b") == true)
        let when = Open311Attribute(code: "when", datatype: .datetime, description: "When?")
        #expect(when.problem(with: ["2026-11-25T09:30:00+08:00"], timeZone: tz) == nil)
        #expect(when.problem(with: ["soon"], timeZone: tz) != nil)
        #expect(when.problem(with: [], timeZone: tz) == nil)
        let info = Open311Attribute(code: "note", datatype: .text, required: true, description: "Read me", variable: false)
        #expect(info.problem(with: [], timeZone: tz) == nil, "informational attributes are not answered")
        #expect(Open311Attribute(code: "bad code", datatype: .string, description: "x").definitionErrors().count == 1)
        #expect(Open311Attribute(code: "类型", datatype: .string, description: "x").definitionErrors().count == 1, "published codes are ASCII")
        #expect(Open311Attribute(code: "l", datatype: .singlevaluelist, description: "x").definitionErrors().count == 1, "a list needs values")
        let settings = Open311Settings(services: ["01": .init(attributes: [list, list])], burst: 0)
        #expect(settings.validationErrors().count == 2)
    }

    @Test("the token bucket allows the burst, then the rate, per caller")
    func rateLimiter() {
        let limiter = RateLimiter(perMinute: 60, burst: 3)
        let t0 = Date(timeIntervalSince1970: 1_000_000)
        #expect((0..<3).map { _ in limiter.take("a", now: t0) } == [nil, nil, nil])
        #expect(limiter.take("a", now: t0) == 1)
        #expect(limiter.take("b", now: t0) == nil, "each caller has its own bucket")
        #expect(limiter.take("a", now: t0.addingTimeInterval(1)) == nil, "one request a second refills")
        #expect(limiter.take("a", now: t0.addingTimeInterval(1)) == 1)
        #expect((0..<3).map { _ in limiter.take("a", now: t0.addingTimeInterval(100)) } == [nil, nil, nil], "never more than the burst")
        #expect(limiter.take("a", now: t0.addingTimeInterval(100)) != nil)
    }
}

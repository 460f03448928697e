import Foundation
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
        for text in ["2025-11-25T09:30:00+08:00", "2025-11-25T01:30:00Z", "2025-11-25T01:30:00.000Z", "2025-11-24T20:30:00-05:00"] {
            #expect(Open311Document.parseW3CDate(text, timeZone: shanghai) == instant, "\(text)")
        }
        #expect(Open311Document.parseW3CDate("2025-11-25", timeZone: shanghai) == Date(timeIntervalSince1970: 1_764_000_000))
        #expect(Open311Document.parseW3CDate("yesterday", timeZone: shanghai) == nil)
        #expect(Open311Document.parseW3CDate("2025-13-45T99:00:00Z", timeZone: shanghai) == nil)
    }
}

import Foundation

/// The two wire formats of GeoReport v2, chosen by the path's extension (`requests.xml`).
public enum Open311Format: String, Sendable, CaseIterable {
    case xml, json

    /// The `Content-Type` the specification names.
    public var contentType: String {
        switch self {
        case .xml: "text/xml; charset=utf-8"
        case .json: "application/json; charset=utf-8"
        }
    }
}

/// A value in an Open311 response, written as XML elements or JSON with one model, so both
/// formats always carry the same fields.
public indirect enum Open311Value: Sendable {
    case string(String)
    case integer(Int)
    case number(Double)
    case bool(Bool)
    /// Written as an empty element in XML and `null` in JSON.
    case null
    /// Named fields, in order.
    case object([(String, Open311Value)])
    /// Items that XML writes as repeated `item` elements inside the list's own element.
    case list(item: String, [Open311Value])

    /// `nil` becomes ``null``.
    public static func string(_ value: String?) -> Open311Value { value.map(Open311Value.string) ?? .null }
}

/// A whole Open311 response body: a root element holding items (`services` of `service`,
/// `errors` of `error` …) or, for `service_definition`, one object.
public struct Open311Document: Sendable {
    public var root: String
    public var body: Open311Value

    /// A list document: XML `<root><item>…</item>…</root>`, JSON a bare array.
    public init(root: String, item: String, items: [Open311Value]) {
        self.root = root
        self.body = .list(item: item, items)
    }

    /// A single-object document (`service_definition`): XML `<root>fields</root>`, JSON an object.
    public init(root: String, object fields: [(String, Open311Value)]) {
        self.root = root
        self.body = .object(fields)
    }

    /// The GeoReport error document: `<errors><error><code/><description/></error></errors>`,
    /// or `[{"code": …, "description": …}]`.
    public static func errors(_ errors: [(code: Int, description: String)]) -> Open311Document {
        Open311Document(root: "errors", item: "error", items: errors.map { .object([("code", .integer($0.code)), ("description", .string($0.description))]) })
    }

    /// The body in `format`, UTF-8.
    public func rendered(_ format: Open311Format) -> String {
        switch format {
        case .xml:
            var out = #"<?xml version="1.0" encoding="UTF-8"?>"#
            Self.xml(root, body, into: &out)
            return out
        case .json:
            var out = ""
            Self.json(body, into: &out)
            return out
        }
    }

    static func xml(_ name: String, _ value: Open311Value, into out: inout String) {
        switch value {
        case .null:
            out += "<\(name)/>"
        case .object(let fields): xml(name, children: fields, into: &out)
        case .list(let item, let items): xml(name, children: items.map { (item, $0) }, into: &out)
        case .string(let s): out += "<\(name)>\(escapeXML(s))</\(name)>"
        case .integer(let i): out += "<\(name)>\(i)</\(name)>"
        case .number(let d): out += "<\(name)>\(number(d))</\(name)>"
        case .bool(let b): out += "<\(name)>\(b)</\(name)>"
        }
    }

    /// An element holding child elements (an object's fields, or a list's items under their item name).
    private static func xml(_ name: String, children: [(String, Open311Value)], into out: inout String) {
        out += "<\(name)>"
        for (key, child) in children { xml(key, child, into: &out) }
        out += "</\(name)>"
    }

    static func json(_ value: Open311Value, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .string(let s): escapeJSON(s, into: &out)
        case .integer(let i): out += String(i)
        case .number(let d): out += d.isFinite ? number(d) : "null"
        case .bool(let b): out += b ? "true" : "false"
        case .object(let fields):
            out += "{"
            for (i, (key, field)) in fields.enumerated() {
                if i > 0 { out += "," }
                escapeJSON(key, into: &out)
                out += ":"
                json(field, into: &out)
            }
            out += "}"
        case .list(_, let items):
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                json(item, into: &out)
            }
            out += "]"
        }
    }

    /// Shortest text that reads back as the same double, without a trailing `.0` on whole numbers.
    static func number(_ d: Double) -> String {
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
        return "\(d)"
    }

    /// Escapes the five XML specials and drops characters XML 1.0 cannot carry at all.
    static func escapeXML(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                let v = scalar.value
                // XML 1.0 allows tab, LF, CR and everything from U+0020 but the surrogates
                // (never in a Swift string) and U+FFFE/U+FFFF.
                if v >= 0x20 ? (v != 0xFFFE && v != 0xFFFF) : (v == 0x09 || v == 0x0A || v == 0x0D) { out.unicodeScalars.append(scalar) }
            }
        }
        return out
    }

    static func escapeJSON(_ s: String, into out: inout String) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }
}

extension Open311Document {
    /// A W3C datetime with the offset of `timeZone` (`2026-11-25T09:30:00+08:00`), as GeoReport
    /// requires; seconds precision.
    public static func w3cDate(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        let offset = timeZone.secondsFromGMT(for: date)
        let sign = offset < 0 ? "-" : "+"
        let minutes = abs(offset) / 60
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
            + sign + String(format: "%02d:%02d", minutes / 60, minutes % 60)
    }

    /// Reads a W3C / ISO 8601 datetime as clients send it in `start_date`/`end_date`: with an
    /// offset or `Z`, optional fractional seconds, or a bare date (midnight in `timeZone`); a
    /// positive offset whose `+` was not percent-encoded (so decoded as a space) is accepted.
    public static func parseW3CDate(_ text: String, timeZone: TimeZone) -> Date? {
        var s = text.trimmingCharacters(in: .whitespaces)
        // An unencoded `+08:00` in a query string arrives as ` 08:00`: read the space as the plus.
        if s.count == 25, let space = s.lastIndex(of: " "), s.distance(from: s.startIndex, to: space) == 19 {
            s.replaceSubrange(space...space, with: "+")
        }
        let full = ISO8601DateFormatter()
        full.formatOptions = [.withInternetDateTime]
        if let d = full.date(from: s) { return d }
        full.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = full.date(from: s) { return d }
        let day = ISO8601DateFormatter()
        day.formatOptions = [.withFullDate]
        day.timeZone = timeZone
        return s.count == 10 ? day.date(from: s) : nil
    }
}

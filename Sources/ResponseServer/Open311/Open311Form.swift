import Foundation

/// An `application/x-www-form-urlencoded` body or query string decoded the way Open311 clients
/// in the wild need: UTF-8 whether or not a charset was sent (bytes that are not UTF-8 become
/// U+FFFD rather than failing the request), `+` as space, pairs split on `&` with stray CR/LF
/// around them ignored, CRLF inside values folded to LF, empty values treated as absent, and
/// `attribute[CODE]` / `attribute[CODE][]` gathered into lists (a repeated `attribute[CODE]`
/// without `[]` is a list too).
public struct Open311Form: Sendable, Equatable {
    /// Field name → its non-empty values, in the order sent.
    public private(set) var fields: [String: [String]] = [:]
    /// Attribute code → its non-empty values, in the order sent.
    public private(set) var attributes: [String: [String]] = [:]

    /// Field names some clients spell differently, mapped to the specification's spelling.
    static let aliases = ["deviceid": "device_id", "lon": "long", "lng": "long"]

    /// Decodes `bytes` (a request body or the part of a URL after `?`).
    public init<Bytes: Sequence>(bytes: Bytes) where Bytes.Element == UInt8 {
        var pair: [UInt8] = []
        for byte in bytes {
            if byte == UInt8(ascii: "&") {
                add(pair)
                pair.removeAll(keepingCapacity: true)
            } else {
                pair.append(byte)
            }
        }
        add(pair)
    }

    /// Decodes a query string or body already held as text.
    /// The fields and attributes but the key, in one order: what a retried request repeats,
    /// whatever order its client wrote them in (the body of an ``IdempotencyClaim``).
    var canonical: String {
        func line(_ entries: [String: [String]], _ prefix: String) -> [String] {
            entries.sorted { $0.key < $1.key }.map { prefix + $0.key + "=" + $0.value.joined(separator: "\u{1F}") }
        }
        return (line(fields.filter { $0.key != "api_key" }, "") + line(attributes, "attribute:")).joined(separator: "\u{1E}")
    }

    public init(_ encoded: String) { self.init(bytes: encoded.utf8) }

    /// The first value of `name`, or `nil` when it was absent or empty.
    public subscript(name: String) -> String? { fields[name]?.first }

    private mutating func add(_ raw: [UInt8]) {
        // Some clients break long bodies into lines: CR/LF around a pair is not part of it.
        var slice = raw[...]
        while let first = slice.first, first == 0x0D || first == 0x0A { slice = slice.dropFirst() }
        while let last = slice.last, last == 0x0D || last == 0x0A { slice = slice.dropLast() }
        guard !slice.isEmpty else { return }
        let name: String, value: String
        if let equals = slice.firstIndex(of: UInt8(ascii: "=")) {
            name = Self.decode(slice[..<equals])
            value = Self.decode(slice[slice.index(after: equals)...])
        } else {
            name = Self.decode(slice)
            value = ""
        }
        let cleaned = value.replacingOccurrences(of: "\r\n", with: "\n")
        guard !name.isEmpty, !cleaned.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return }
        if let code = Self.attributeCode(name) {
            attributes[code, default: []].append(cleaned)
        } else {
            fields[Self.aliases[name] ?? name, default: []].append(cleaned)
        }
    }

    /// `attribute[CODE]` or `attribute[CODE][]` → `CODE`.
    static func attributeCode(_ name: String) -> String? {
        guard name.hasPrefix("attribute[") else { return nil }
        var rest = name.dropFirst("attribute[".count)
        if rest.hasSuffix("[]") { rest = rest.dropLast(2) }
        guard rest.hasSuffix("]") else { return nil }
        let code = rest.dropLast()
        return code.isEmpty || code.contains("[") || code.contains("]") ? nil : String(code)
    }

    /// Percent-decoding with `+` as space; invalid escapes are kept as they are.
    static func decode(_ bytes: ArraySlice<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = bytes.startIndex
        while i < bytes.endIndex {
            let b = bytes[i]
            if b == UInt8(ascii: "+") {
                out.append(0x20)
            } else if b == UInt8(ascii: "%"), i + 2 < bytes.endIndex,
                      let hi = hex(bytes[i + 1]), let lo = hex(bytes[i + 2]) {
                out.append(hi << 4 | lo)
                i += 3
                continue
            } else {
                out.append(b)
            }
            i += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func hex(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
}

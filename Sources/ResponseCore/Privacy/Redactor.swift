import Foundation

/// Removes contact data from free text: the one redactor every face uses for titles,
/// descriptions, notes, replies and update texts shown to an audience that may not see the
/// complainant's contacts (``Disclosure``).
///
/// It replaces, in this order: e-mail addresses (`[email]`); Chinese resident ID numbers, 18
/// characters with a date of birth inside and a digit or `X` last (`[ID]`); phone numbers
/// (`[phone]`): Chinese mobiles with or without `+86`/`0086` and spaces or dashes in 3-4-4,
/// landlines with an area code (`010-12345678`, `(0731)8888 1234`), international numbers
/// written with `+`, and North American `(617) 555-0100`; any other run of seven or more digits
/// (`[number]`: a landline without its area code, a bank card); Chinese plate numbers (`[plate]`);
/// and the names it is given (`[name]`). Ticket numbers (`20261128-000001`) and dates are left
/// alone.
public struct Redactor: Sendable {
    /// Names removed wherever they appear (a complainant's name; at least two characters).
    public var names: [String]

    /// - Parameter names: The names to remove; `nil`s, blanks and one-letter names are ignored.
    public init(names: [String?] = []) {
        self.names = names.compactMap { $0?.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { $0.count >= 2 }
    }

    /// `text` with contact data replaced.
    public func callAsFunction(_ text: String) -> String {
        guard !text.isEmpty else { return text }
        var out = text
        // A pattern only where it could match: an e-mail needs an @, every number pattern seven
        // digits or more with nothing but separators between them. Most texts have neither (a
        // date or a house number is shorter), and the scan costs far less than the patterns.
        let hasAt = out.utf8.contains(UInt8(ascii: "@")), hasLongNumber = Self.hasLongNumber(out)
        if hasAt || hasLongNumber {
            for (pattern, token) in Self.patterns where token == "[email]" ? hasAt : hasLongNumber {
                let range = NSRange(out.startIndex..., in: out)
                out = pattern.stringByReplacingMatches(in: out, range: range, withTemplate: token)
            }
        }
        if let plate = Self.plate, out.unicodeScalars.contains(where: { Self.plateProvinces.contains($0) }) {
            out = plate.stringByReplacingMatches(in: out, range: NSRange(out.startIndex..., in: out), withTemplate: "[plate]")
        }
        for name in names {
            out = out.replacingOccurrences(of: name, with: "[name]", options: .caseInsensitive)
        }
        return out
    }

    /// Redacts `text`, removing `name` as well.
    public static func redact(_ text: String, name: String?) -> String {
        Redactor(names: [name])(text)
    }

    // A pattern never starts inside a Latin word, a number or an address, and never ends where
    // a number or a ticket number's second half goes on. Chinese characters touch numbers
    // directly (电话13912345678), so they do not count as a word here.
    private static let start = #"(?<![A-Za-z0-9@._%+-])"#
    private static let end = #"(?![\p{N}]|-\p{N})"#

    private static let patterns: [(NSRegularExpression, String)] = [
        (#"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#, "[email]"),
        (start + #"[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[0-9Xx](?![\p{N}A-Za-z])"#, "[ID]"),
        // Mobile: 1[3-9]x xxxx xxxx, with an optional country code.
        (#"(?:(?<![\p{N}])(?:\+|00)86[ -]?|"# + start + #")1[3-9]\d(?:[ -]?\d{4}){2}"# + end, "[phone]"),
        // Landline with its area code: 010-12345678, (0731) 8888 1234, +86 10 1234 5678.
        (#"(?:(?<![\p{N}])(?:\+|00)86[ -]?(?:\(0?\d{2,3}\)|0?\d{2,3})|"# + start + #"(?:\(0\d{2,3}\)|0\d{2,3}))[ -]?\d{3,4}[ -]?\d{4}"# + end, "[phone]"),
        // International, written with +: +1 617-555-0100, +44 20 7946 0958.
        (#"(?<![\p{N}])\+\d{1,3}(?:[ .-]?\(?\d{1,4}\)?){1,2}[ .-]?\d{3,4}[ .-]?\d{3,4}"# + end, "[phone]"),
        // North American without country code: (617) 555-0100, 617-555-0100, 617.555.0100.
        (start + #"(?:\(\d{3}\)\s?|\d{3}[.-])\d{3}[.-]\d{4}"# + end, "[phone]"),
        // Any other run of seven or more digits.
        (start + #"\d{7,}"# + end, "[number]"),
    ].compactMap { pattern, token in
        (try? NSRegularExpression(pattern: pattern)).map { ($0, token) }
    }

    /// Whether `text` holds seven or more decimal digits (of any script, as `\d` matches) with
    /// only white space, `-`, `.`, `(`, `)` or `+` between them: the least every number pattern
    /// above needs.
    public static func hasLongNumber(_ text: String) -> Bool {
        var digits = 0
        for scalar in text.unicodeScalars {
            let v = scalar.value
            let isDigit: Bool, isSeparator: Bool
            switch v {
            case 0x30...0x39: (isDigit, isSeparator) = (true, false)
            case 0x20, 0x09...0x0D, 0x28, 0x29, 0x2B, 0x2D, 0x2E: (isDigit, isSeparator) = (false, true)
            case 0..<0x80, 0x3400...0x9FFF: (isDigit, isSeparator) = (false, false)  // ASCII, Han
            default: (isDigit, isSeparator) = (scalar.properties.numericType == .decimal, scalar.properties.isWhitespace)
            }
            if isDigit {
                digits += 1
                if digits >= 7 { return true }
            } else if !isSeparator {
                digits = 0
            }
        }
        return false
    }

    /// The provinces' one-character abbreviations that begin a plate.
    private static let plateProvinces = Set("京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼".unicodeScalars)

    /// 京A12345, 粤B·D12345 (new-energy plates have six characters after the letter). The
    /// patterns are constants that compile; the redactor's tests plant one of each.
    private static let plate = try? NSRegularExpression(
        pattern: #"[京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼][A-HJ-NP-Z][·• ]?[A-HJ-NP-Z0-9]{5,6}(?![A-Za-z0-9])"#)
}

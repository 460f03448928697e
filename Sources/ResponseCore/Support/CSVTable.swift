import Foundation

/// A CSV reader for RFC 4180 text: quoted fields, doubled quotes, commas and line breaks
/// inside quotes, CRLF or LF. Rows come out as arrays of strings; ``header`` maps names to
/// positions.
public struct CSVTable: Sendable {
    public var header: [String]
    public var rows: [[String]]

    /// Parses `text`; the first row is the header.
    public init(text: String) {
        var all = CSVTable.parseRows(text)
        header = all.isEmpty ? [] : all.removeFirst().map { $0.trimmingCharacters(in: .whitespaces) }
        rows = all
    }

    /// The position of column `name`, if present.
    public func index(of name: String) -> Int? { header.firstIndex(of: name) }

    /// One field as written in a CSV file: quoted when it holds a comma, quote or line break.
    public static func field(_ s: String) -> String {
        // By scalars: "\r\n" is one Character, equal to neither "\r" nor "\n", so a CRLF inside a
        // value went out unquoted and split its row (found by the csv-import fuzz target).
        guard s.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return s }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A text field (never a number) as written in a CSV file, made safe to open in a spreadsheet:
    /// a value that starts with `=`, `+`, `-`, `@`, a tab or a carriage return would be read as a
    /// formula, so it gets a leading `'` (OWASP's CSV injection advice).
    public static func textField(_ s: String) -> String {
        guard let first = s.unicodeScalars.first, ["=", "+", "-", "@", "\t", "\r"].contains(first) else { return field(s) }
        return field("'" + s)
    }

    /// The value of column `name` in `row`, trimmed; `nil` when absent or empty.
    public func value(_ row: [String], _ name: String) -> String? {
        guard let i = index(of: name), i < row.count else { return nil }
        let v = row[i].trimmingCharacters(in: .whitespacesAndNewlines)
        return v.isEmpty ? nil : v
    }

    static func parseRows(_ text: String) -> [[String]] {
        var rows: [[String]] = []
        var row: [String] = []
        var field = ""
        var inQuotes = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func next() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        var scalars = String.UnicodeScalarView()
        var quotedField = false
        func flushField() {
            quotedField = false
            field = String(scalars)
            row.append(field)
            scalars = String.UnicodeScalarView()
        }
        while let c = next() {
            if inQuotes {
                if c == "\"" {
                    if let n = next() {
                        if n == "\"" { scalars.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else {
                    scalars.append(c)
                }
                continue
            }
            switch c {
            // A quote opens a quoted field only at its start; inside an unquoted field it is a
            // character (`12" pipe`), or one stray quote would swallow the rest of the file
            // (found by the csv-import fuzz target).
            case "\"" where scalars.isEmpty && !quotedField: inQuotes = true; quotedField = true
            case ",": flushField()
            case "\r":
                if let n = next(), n != "\n" { pending = n }
                flushField(); rows.append(row); row = []
            case "\n":
                flushField(); rows.append(row); row = []
            default: scalars.append(c)
            }
        }
        if !scalars.isEmpty || !row.isEmpty {
            flushField()
            rows.append(row)
        }
        return rows.filter { !($0.count == 1 && $0[0].isEmpty) }
    }
}

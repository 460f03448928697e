import Foundation
import ResponseCore

/// A message's text as it may appear in a log line: logs are read by more people than
/// complainants' data may be, and kept longer. Contact data is redacted (``Redactor``), and a
/// follow-up link keeps its address but loses its token, a credential valid for days.
enum LogSafeText {
    static func of(_ text: String) -> String {
        var out = Redactor.redact(text, name: nil)
        var searchFrom = out.startIndex
        while let marker = out.range(of: "/follow-up/", range: searchFrom..<out.endIndex) {
            let tokenEnd = out[marker.upperBound...].firstIndex { $0.isWhitespace || $0 == "\"" || $0 == "<" } ?? out.endIndex
            out.replaceSubrange(marker.upperBound..<tokenEnd, with: "[token]")
            searchFrom = out.index(marker.upperBound, offsetBy: "[token]".count)
        }
        return out
    }
}

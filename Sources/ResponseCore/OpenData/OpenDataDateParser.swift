import Foundation

/// The date formats of the open-data files, read in the city's time zone. Formatters are
/// built once per import; the last format that worked is tried first.
public final class OpenDataDateParser {
    public static let formats = [
        "yyyy-MM-dd'T'HH:mm:ss.SSS", "yyyy-MM-dd'T'HH:mm:ss", "yyyy-MM-dd HH:mm:ssXXXXX", "yyyy-MM-dd HH:mm:ss",
        "MM/dd/yyyy hh:mm:ss a", "M/d/yy H:mm", "M/d/yyyy H:mm",
    ]
    private let formatters: [DateFormatter]
    private var last = 0

    public init(timeZone: String) {
        formatters = Self.formats.map { format in
            let f = DateFormatter()
            f.locale = Locale(identifier: "en_US_POSIX")
            f.timeZone = TimeZone(identifier: timeZone)
            f.dateFormat = format
            return f
        }
    }

    public func parse(_ text: String) -> Date? {
        if let d = formatters[last].date(from: text) { return d }
        for (i, f) in formatters.enumerated() where i != last {
            if let d = f.date(from: text) {
                last = i
                return d
            }
        }
        return nil
    }
}

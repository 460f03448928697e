import Foundation

/// The public tracking number: the filing day in the city's time zone and a daily sequence,
/// `20261125-000123`. Short enough to read over the phone.
public struct TicketNumber: Sendable, Hashable, CustomStringConvertible {
    public var day: String
    public var sequence: Int

    public init(day: String, sequence: Int) {
        self.day = day
        self.sequence = sequence
    }

    /// The day part (`yyyyMMdd`) for `date` in `timeZone`; also the name of the daily counter.
    public static func day(of date: Date, in timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d%02d%02d", c.year ?? 0, c.month ?? 0, c.day ?? 0)
    }

    public var description: String {
        sequence < 1_000_000 ? "\(day)-\(String(format: "%06d", sequence))" : "\(day)-\(sequence)"
    }

    /// Parses `yyyyMMdd-NNNNNN`; `nil` for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 8, parts[0].allSatisfy(\.isASCII), parts[0].allSatisfy(\.isNumber),
            parts[1].count >= 6, parts[1].allSatisfy(\.isASCII), parts[1].allSatisfy(\.isNumber),
            let seq = Int(parts[1])
        else { return nil }
        self.day = String(parts[0])
        self.sequence = seq
    }
}

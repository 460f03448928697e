import Foundation

/// How long a city keeps a complainant's contact data after her ticket is finished (answered,
/// closed or merged). After that the data is erased, each ticket by an event
/// (``ErasureBasis/retention``); the ticket, its history and every statistic stay.
public struct RetentionPolicy: Codable, Sendable, Equatable {
    /// Days after a ticket is finished; 0 keeps contact data for ever.
    public var retentionDays: Int

    public init(retentionDays: Int = 1_095) {
        self.retentionDays = retentionDays
    }

    // A config file may omit the key.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        retentionDays = try c.decodeIfPresent(Int.self, forKey: .retentionDays) ?? RetentionPolicy().retentionDays
    }

    enum CodingKeys: String, CodingKey { case retentionDays }

    /// Tickets finished before this instant lose their contact data; `nil` when data is kept for
    /// ever. The cutoff is the start of the city day `retentionDays` before `now`'s day, so one
    /// day's tickets go together.
    public func cutoff(now: Date, days: DayKeys) -> Date? {
        guard retentionDays > 0 else { return nil }
        return days.adding(days: -retentionDays, to: days.startOfDay(now))
    }

    public func validationErrors() -> [String] {
        (0...36_500).contains(retentionDays) ? [] : ["privacy.retentionDays must be 0 (keep for ever) to 36500"]
    }
}

import Foundation
import ResponseCore

/// Demand insight: the aggregates and the reads behind frequent problems, hotspots, repeats and the early warning.
public protocol DemandStore: Sendable {
    /// Open tickets (and how many are past their resolution deadline) per district.
    func openLoad(tenantID: String, now: Date) async throws -> [AreaLoad]
    /// Tickets filed per local day and category with `from <= created < to`.
    /// - Parameter utcOffset: The city's offset from UTC in seconds, which decides the days.
    func dailyVolume(tenantID: String, from: Date, to: Date, utcOffset: Int) async throws -> [DailyVolume]
    /// Tickets filed per category and district over the city days of `range`, from the demand
    /// aggregates (whole months from the monthly ones).
    /// - Parameters:
    ///   - district: Only this district.
    ///   - street: Only this street (its counts carry the street, and no district).
    func demandCounts(tenantID: String, range: DayRange, district: String?, street: String?) async throws -> [DemandCount]
    /// Tickets per category, ~200 m grid cell and street over `range`.
    /// - Parameters:
    ///   - categories: Only these category codes (at most 400); every category when `nil`.
    ///   - cells: Only these cells (``GridCell/id``, at most 400); every cell when `nil`.
    ///   - minimumPerCell: Leave out cells with fewer tickets (1: every cell).
    func demandCells(tenantID: String, range: DayRange, categories: [String]?, cells: [Int64]?, minimumPerCell: Int) async throws -> [DemandCell]
    /// The callers or places with the most tickets in the city days `range` (a calendar month, or a
    /// rolling window), at least `minimum` each.
    func repeats(tenantID: String, kind: RepeatKind, range: DayRange, minimum: Int, limit: Int) async throws -> [RepeatEntry]
    /// The newest tickets of some categories filed in `[from, to)`, at most `limit`, newest first.
    func recentTickets(tenantID: String, categories: [String], from: Date, to: Date, district: String?, limit: Int) async throws -> [TicketSummary]
    /// Where and when the newest tickets of some categories in a box were filed in `[from, to)`,
    /// at most `limit`, newest first: read off an index, never the tickets.
    func placedTickets(tenantID: String, categories: [String], from: Date, to: Date, bounds: GeoBounds, limit: Int) async throws -> [PlacedTicket]
    /// Recomputes a city's demand aggregates from its tickets (after an upgrade, or a repair).
    /// - Returns: The number of tickets counted.
    func rebuildDemand(tenantID: String, timeZone: String, progress: @escaping @Sendable (Int) -> Void) async throws -> Int
    /// Tickets filed in `[from, to)` in filing order, `limit` at a time: the early-warning feed.
    /// - Parameter after: The id of the last filing read at `from` (keyset paging).
    func filings(tenantID: String, from: Date, to: Date, after: String?, limit: Int) async throws -> [Filing]
    /// Title and description of the newest `limit` tickets filed in `[from, to)` of any of the
    /// categories (none: all) in any of the districts (none: all).
    func newestTexts(tenantID: String, categories: [String], districts: [String], from: Date, to: Date, limit: Int) async throws -> [String]
}

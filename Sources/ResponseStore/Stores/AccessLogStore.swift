import Foundation
import ResponseCore

/// The log of every disclosure of contact data.
public protocol AccessLogStore: Sendable {
    /// Appends disclosures of contact data to the access log.
    func recordAccess(_ records: [AccessRecord]) async throws
    /// The access log of a city, newest first, narrowed to a ticket, an actor and `[from, to)`.
    func accessLog(tenantID: String, ticket: String?, actor: String?, from: Date?, to: Date?, limit: Int) async throws -> [AccessRecord]
    /// The access log of `[from, to)` (the city days `days`) summed up by role and face, with the
    /// `top` people who made the most disclosures.
    func accessSummary(tenantID: String, from: Date, to: Date, days: DayRange, top: Int) async throws -> AccessSummary
}

import Foundation
import ResponseCore

/// The deadline sweeper and the assessment counters.
public protocol AccountabilityStore: Sendable {
    /// One batch of the deadline sweeper: claims up to `limit` tickets whose next check is due
    /// (skipping rows another instance holds), takes every due step, and records each as an
    /// event with its counters and notifications. Run until `claimed < limit` for a full pass.
    /// - Parameters:
    ///   - tenantID: Only this city's tickets; every city when `nil`.
    ///   - context: The clock reading, actor and policies for a ticket's city.
    func sweep(now: Date, limit: Int, tenantID: String?, context: @escaping @Sendable (Ticket) -> TicketStateMachine.Context?) async throws -> SweepBatch
    /// The assessment counters of every unit of a city over a period.
    func unitCounts(tenantID: String, period: AssessmentPeriod) async throws -> [String: UnitCounts]
    /// Every event of a city that happened at or after `from`, in time order (ties by write order).
    func forEachEvent(tenantID: String, from: Date, batchSize: Int, _ body: @Sendable ([TicketEvent]) async throws -> Void) async throws
    /// The units with most open tickets past their resolution deadline at `now`, most first.
    func overdueByUnit(tenantID: String, now: Date, limit: Int) async throws -> [UnitOverdue]
}

import Foundation
import ResponseCore

/// Spike alerts and their webhook announcements.
public protocol AlertStore: Sendable {
    /// Stores an alert; `false` when it was stored already (by this or another server).
    /// - Parameter announce: Its webhook POST is due now (see ``claimAlertAnnouncements(tenantID:now:lease:limit:)``).
    func saveAlert(_ alert: SpikeAlert, announce: Bool) async throws -> Bool
    /// Claims up to `limit` of a city's alerts whose webhook POST is due, each for `lease` seconds,
    /// oldest first; `attempt` counts this one.
    func claimAlertAnnouncements(tenantID: String, now: Date, lease: TimeInterval, limit: Int) async throws -> [(alert: SpikeAlert, attempt: Int)]
    /// Records a claimed POST's outcome: sent, or failed with the next attempt (`nil`: given up).
    func finishAlertAnnouncement(id: String, sent: Bool, nextAttempt: Date?) async throws
    /// Alerts detected in `[from, to)`, newest first.
    func alerts(tenantID: String, from: Date, to: Date, status: SpikeAlert.Status?, limit: Int) async throws -> [SpikeAlert]
    /// Marks an open alert as taken in hand; returns it as it now stands (`nil`: no such alert).
    func acknowledgeAlert(id: String, tenantID: String, by user: String, at now: Date) async throws -> SpikeAlert?
}

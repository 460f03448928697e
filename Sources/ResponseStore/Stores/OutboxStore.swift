import Foundation
import ResponseCore

/// The messages owed to complainants, delivered under a lease.
public protocol OutboxStore: Sendable {
    /// The messages owed to a ticket's complainant, oldest first.
    func notifications(number: String, tenantID: String) async throws -> [NotificationRecord]
    /// Claims pending notifications for delivery under a lease (they are tried again after it if
    /// the claimer dies), skipping those another instance holds.
    /// - Parameter tenantID: Only this city's messages; every city when `nil`.
    func claimNotifications(now: Date, lease: TimeInterval, limit: Int, tenantID: String?) async throws -> [NotificationRecord]
    /// Records how a delivery went.
    func finishNotification(id: String, outcome: NotificationOutcome, now: Date) async throws
}

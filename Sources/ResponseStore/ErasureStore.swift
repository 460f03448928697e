import Foundation
import ResponseCore

/// What the retention purge and an erasure on request need of the store (docs/privacy.md).
public protocol ErasureStore: Sendable {
    /// Tickets of a city whose contact data the retention rule erases: finished before `before`
    /// and still holding contact data, oldest first, after `after` (the last of the previous page).
    func retentionDue(tenantID: String, before: Date, after: RetentionPosition?, limit: Int) async throws -> [RetentionPosition]
    /// Erases the contact data of the tickets `numbers` in one transaction, each by an event
    /// (``TicketAction/eraseContacts(basis:note:)``). With `finishedBefore`, a ticket is erased only
    /// if it is still finished before then (it may have been reopened since it was listed). A ticket
    /// with nothing left to erase is skipped.
    /// - Returns: The tickets erased.
    func eraseContacts(
        numbers: [String], tenantID: String, basis: ErasureBasis, note: String?, finishedBefore: Date?, context: TicketStateMachine.Context
    ) async throws -> Int
    /// The numbers of a city's tickets whose complainant's phone has the digits of `phone`, or
    /// whose e-mail is `email` (any case): the tickets one complainant asks to be forgotten on.
    /// Reads every ticket that holds contact data, `progress` called with the count so far.
    func tickets(ofComplainantPhone phone: String?, email: String?, tenantID: String, progress: @escaping @Sendable (Int) -> Void) async throws -> [String]
    /// Deletes a city's repeat-caller counts of the days before `day` (`yyyy-MM-dd`) and of the
    /// months before its month. Repeat places stay.
    /// - Returns: The rows deleted.
    func purgeRepeatCallers(tenantID: String, before day: String) async throws -> Int
}

/// Where a ticket stands in the retention purge's walk: oldest finished first.
public struct RetentionPosition: Sendable, Equatable {
    /// When the ticket was finished, in milliseconds since 1970.
    public var closedAt: Int64
    public var id: String
    public var number: String

    public init(closedAt: Int64, id: String, number: String) {
        self.closedAt = closedAt
        self.id = id
        self.number = number
    }
}

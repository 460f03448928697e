import Foundation
import ResponseCore

/// What an operator watches (`GET /metrics`): the work waiting in each city's queues, and the
/// database's own size and load. Every count is read through an index, so a scrape costs the
/// open work, never the history.
public protocol OperationsStore: Sendable {
    /// The work waiting in every city at `now`.
    func workload(now: Date) async throws -> [CityWorkload]
    /// The database's size, write-ahead log and connections.
    func storage() async throws -> StorageFigures
    /// Writes stuck on a connection that was closed under them (PostgreSQL only): while there is
    /// one, the server is not live and `serve` exits to be restarted.
    var stuckWrites: Int { get }
}

/// One city's open work at one moment.
public struct CityWorkload: Sendable, Equatable {
    public var cityID: String
    /// Tickets in each status that is not final (received, dispatched, returned, arbitration…).
    public var byStatus: [TicketStatus: Int] = [:]
    /// Tickets in each accountability queue (follow-up, extension, escalated).
    public var queues: [TicketQuery.Queue: Int] = [:]
    /// Open work whose resolution deadline has passed.
    public var overdue = 0
    /// The earliest deadline step the sweeper still owes (`nil`: none is due).
    public var oldestDueCheck: Date?
    /// Messages to complainants waiting in the outbox.
    public var outboxPending = 0
    /// When the longest-waiting pending message was due (`nil`: none is due).
    public var oldestDueMessage: Date?

    public init(cityID: String) {
        self.cityID = cityID
    }
}

/// The database as the engine reports it.
public struct StorageFigures: Sendable, Equatable {
    /// The database's size on disk (`nil` when the engine does not say).
    public var databaseBytes: Int64?
    /// The write-ahead log's size (`nil` when the engine does not say or the role may not read it).
    public var walBytes: Int64?
    /// Connections doing work now (`nil` where the engine does not count them), and the most
    /// the store opens.
    public var connectionsInUse: Int?
    public var connectionsMax: Int
    /// Writes queued for SQLite's single writer (0 on PostgreSQL).
    public var queuedWrites: Int

    public init(databaseBytes: Int64?, walBytes: Int64?, connectionsInUse: Int?, connectionsMax: Int, queuedWrites: Int) {
        self.databaseBytes = databaseBytes
        self.walBytes = walBytes
        self.connectionsInUse = connectionsInUse
        self.connectionsMax = connectionsMax
        self.queuedWrites = queuedWrites
    }
}

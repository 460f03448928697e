import Foundation
import ResponseCore

/// Everything the product persists: the focused stores in `Stores/`, which ``SQLTicketStore``
/// implements for SQLite and PostgreSQL (tests run the same suites against both). A part of the
/// product that needs one concern can take that protocol alone.
public protocol TicketStore: StoreAdmin, ReferenceStore, TicketRecords, AccountabilityStore, OutboxStore, AccountStore, KnowledgeStore,
    DemandStore, AccessLogStore, AnswerStore, AlertStore, TopicStore, ErasureStore, GuardStore, IdempotencyStore, OperationsStore {}

extension AlertStore {
    /// Stores an alert that no webhook announces.
    public func saveAlert(_ alert: SpikeAlert) async throws -> Bool {
        try await saveAlert(alert, announce: false)
    }
}

extension TicketRecords {
    /// Applies one action; see ``apply(_:number:tenantID:expectedVersion:context:authorize:)``.
    public func apply(
        _ action: TicketAction,
        number: String,
        tenantID: String,
        expectedVersion: Int?,
        context: TicketStateMachine.Context,
        authorize: @escaping @Sendable (Ticket) throws -> Void
    ) async throws -> (Ticket, TicketEvent) {
        let (ticket, events) = try await apply([action], number: number, tenantID: tenantID, expectedVersion: expectedVersion, context: context, authorize: authorize)
        guard let event = events.last else { throw StoreError.conflict("no event recorded") }
        return (ticket, event)
    }
}

/// What one sweeper batch did.
public struct SweepBatch: Sendable, Equatable {
    /// Tickets read because their next check was due.
    public var claimed: Int
    /// Tickets that got at least one event.
    public var tickets: Int = 0
    public var events: Int = 0
    /// Events by kind (`reminders`, `overdue_resolution`, `escalations`, …).
    public var steps: [String: Int] = [:]

    public init(claimed: Int) { self.claimed = claimed }

    public mutating func add(_ other: SweepBatch) {
        claimed += other.claimed
        tickets += other.tickets
        events += other.events
        for (k, v) in other.steps { steps[k, default: 0] += v }
    }
}

/// How the delivery of a notification went.
public enum NotificationOutcome: Sendable, Equatable {
    case sent
    /// Failed for now; try again at `at`.
    case retry(at: Date, error: String)
    /// Gave up.
    case failed(error: String)
}

/// An event with the public number of its ticket.
public struct NumberedEvent: Sendable, Equatable {
    public var number: String
    public var event: TicketEvent

    public init(number: String, event: TicketEvent) {
        self.number = number
        self.event = event
    }
}

/// Failures of the store that callers act on (the rest are engine errors).
public enum StoreError: Error, Sendable, Equatable {
    /// The named thing does not exist (HTTP 404).
    case notFound(String)
    /// A uniqueness rule or a concurrent change refused the write (HTTP 409).
    case conflict(String)
    /// The caller may not act on this record (HTTP 403).
    case forbidden(String)
}

extension StoreError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notFound(let m), .conflict(let m), .forbidden(let m): m
        }
    }
}

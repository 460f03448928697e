import Foundation
import ResponseCore

/// Tickets and their histories: filing, acting through the state machine, reading, importing.
public protocol TicketRecords: Sendable {
    /// Files a ticket: allocates its number and writes the row and its `created` event in one
    /// transaction. Returns only once the ticket is durable.
    func createTicket(_ request: NewTicket, tenant: Tenant, actor: Actor, now: Date) async throws -> (Ticket, TicketEvent)
    /// Files a ticket and applies `followUps` (triage, automatic dispatch or merge) to it in the
    /// same transaction, so a ticket routed at intake is never seen unrouted. A follow-up the
    /// state machine refuses is skipped: the ticket itself is never lost.
    /// With an `idempotency` claim, the claim is recorded in the same transaction, and a key
    /// already recorded fails the filing (the caller answers from the first one).
    /// - Returns: The ticket after the follow-ups and all its events, oldest first.
    func createTicket(_ request: NewTicket, tenant: Tenant, actor: Actor, now: Date, followUps: [IntakeFollowUp],
                      idempotency: IdempotencyClaim?) async throws -> (Ticket, [TicketEvent])
    /// Numbers of the tickets merged into `number` (its duplicates), oldest first, at most 1,000.
    func duplicates(of number: String, tenantID: String) async throws -> [String]
    /// The most recent `limit` tickets of a city, oldest first (to train the dispatcher).
    func recentTickets(tenantID: String, limit: Int) async throws -> [Ticket]
    func ticket(number: String, tenantID: String) async throws -> Ticket?
    /// The ticket's history, oldest first.
    func events(ticketID: String, tenantID: String) async throws -> [TicketEvent]
    /// Applies actions one after the other through ``TicketStateMachine`` and persists the row,
    /// the events, the assessment counters and the complainant's notifications in one
    /// transaction: all of them or none.
    /// - Parameters:
    ///   - expectedVersion: When given, refuses with ``TransitionError/staleVersion(expected:actual:)``
    ///     if the ticket has moved on.
    ///   - authorize: Called with the current ticket inside the transaction; throw to refuse.
    /// - Returns: The ticket after the last action and one event per action.
    func apply(
        _ actions: [TicketAction],
        number: String,
        tenantID: String,
        expectedVersion: Int?,
        context: TicketStateMachine.Context,
        authorize: @escaping @Sendable (Ticket) throws -> Void
    ) async throws -> (Ticket, [TicketEvent])
    func listTickets(_ query: TicketQuery, tenantID: String) async throws -> TicketPage
    /// Events of a city's tickets with `from <= at < to`, oldest first, with their tickets'
    /// public numbers (for update feeds).
    /// - Parameters:
    ///   - types: Only these event types; all when empty.
    ///   - limit: At most this many (1–10,000).
    func events(tenantID: String, types: [EventType], from: Date, to: Date, limit: Int) async throws -> [NumberedEvent]
    /// Remembers which ticket an Open311 token stands for.
    func saveOpen311Token(_ token: String, number: String, tenantID: String, at: Date) async throws
    /// The ticket number of an Open311 token, or `nil` when unknown.
    func open311Token(_ token: String, tenantID: String) async throws -> String?
    /// Every ticket of a tenant in creation order, in batches (for export).
    func forEachTicket(tenantID: String, batchSize: Int, _ body: @Sendable ([Ticket]) async throws -> Void) async throws
    func countTickets(tenantID: String) async throws -> Int
    /// Writes tickets with their whole histories (bulk import, benchmarks) and adds their events
    /// to the assessment counters as the live path would have. Past events send no messages.
    func importHistory(_ items: [(Ticket, [TicketEvent])], timeZone: String) async throws
}

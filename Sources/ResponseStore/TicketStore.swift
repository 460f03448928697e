import Foundation
import ResponseCore

/// Everything the product persists, behind one interface. ``SQLTicketStore`` implements it for
/// SQLite and PostgreSQL; tests run the same suite against both.
public protocol TicketStore: ErasureStore {
    /// `sqlite` or `postgres`.
    var engine: String { get }
    /// Brings the schema up to date; safe to call on every start.
    func migrate() async throws
    /// Versions of the applied migrations.
    func appliedMigrations() async throws -> [Int]
    /// Round-trips to the database, for `/health`.
    func ping() async throws
    func shutdown() async throws

    func saveTenant(_ tenant: Tenant) async throws
    func tenant(_ id: String) async throws -> Tenant?
    /// Every city, by id.
    func tenants() async throws -> [Tenant]

    /// Files a ticket: allocates its number and writes the row and its `created` event in one
    /// transaction. Returns only once the ticket is durable.
    func createTicket(_ request: NewTicket, tenant: Tenant, actor: Actor, now: Date) async throws -> (Ticket, TicketEvent)
    /// Files a ticket and applies `followUps` (triage, automatic dispatch or merge) to it in the
    /// same transaction, so a ticket routed at intake is never seen unrouted. A follow-up the
    /// state machine refuses is skipped: the ticket itself is never lost.
    /// - Returns: The ticket after the follow-ups and all its events, oldest first.
    func createTicket(_ request: NewTicket, tenant: Tenant, actor: Actor, now: Date, followUps: [IntakeFollowUp]) async throws -> (Ticket, [TicketEvent])
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
    /// The messages owed to a ticket's complainant, oldest first.
    func notifications(number: String, tenantID: String) async throws -> [NotificationRecord]
    /// Claims pending notifications for delivery under a lease (they are tried again after it if
    /// the claimer dies), skipping those another instance holds.
    /// - Parameter tenantID: Only this city's messages; every city when `nil`.
    func claimNotifications(now: Date, lease: TimeInterval, limit: Int, tenantID: String?) async throws -> [NotificationRecord]
    /// Records how a delivery went.
    func finishNotification(id: String, outcome: NotificationOutcome, now: Date) async throws
    /// Writes tickets with their whole histories (bulk import, benchmarks) and adds their events
    /// to the assessment counters as the live path would have. Past events send no messages.
    func importHistory(_ items: [(Ticket, [TicketEvent])], timeZone: String) async throws

    func saveUnit(_ unit: OrgUnit) async throws
    func units(tenantID: String) async throws -> [OrgUnit]
    func unit(code: String, tenantID: String) async throws -> OrgUnit?
    func saveCategory(_ category: Category) async throws
    func categories(tenantID: String) async throws -> [Category]
    func category(code: String, tenantID: String) async throws -> Category?

    /// Adds a user; ``StoreError/conflict(_:)`` when the name is taken.
    func createUser(_ user: User) async throws
    func updateUser(_ user: User) async throws
    func user(username: String) async throws -> User?
    func users(tenantID: String?) async throws -> [User]
    func createSession(tokenHash: String, username: String, now: Date, expires: Date) async throws
    /// The user of a live session, or `nil` when the token is unknown, expired or the user inactive.
    func sessionUser(tokenHash: String, now: Date) async throws -> User?
    func deleteSession(tokenHash: String) async throws

    /// Adds or replaces a knowledge-base article (its use count is kept).
    func saveArticle(_ article: KnowledgeArticle) async throws
    func articles(tenantID: String) async throws -> [KnowledgeArticle]
    func article(id: String, tenantID: String) async throws -> KnowledgeArticle?
    /// Removes an article; `false` when there was none.
    func deleteArticle(id: String, tenantID: String) async throws -> Bool

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
    /// Appends disclosures of contact data to the access log.
    func recordAccess(_ records: [AccessRecord]) async throws
    /// The access log of a city, newest first, narrowed to a ticket, an actor and `[from, to)`.
    func accessLog(tenantID: String, ticket: String?, actor: String?, from: Date?, to: Date?, limit: Int) async throws -> [AccessRecord]
    /// The access log of `[from, to)` (the city days `days`) summed up by role and face, with the
    /// `top` people who made the most disclosures.
    func accessSummary(tenantID: String, from: Date, to: Date, days: DayRange, top: Int) async throws -> AccessSummary
    /// The newest tickets of some categories filed in `[from, to)`, at most `limit`, newest first.
    func recentTickets(tenantID: String, categories: [String], from: Date, to: Date, district: String?, limit: Int) async throws -> [TicketSummary]
    /// Where and when the newest tickets of some categories in a box were filed in `[from, to)`,
    /// at most `limit`, newest first: read off an index, never the tickets.
    func placedTickets(tenantID: String, categories: [String], from: Date, to: Date, bounds: GeoBounds, limit: Int) async throws -> [PlacedTicket]
    /// Recomputes a city's demand aggregates from its tickets (after an upgrade, or a repair).
    /// - Returns: The number of tickets counted.
    func rebuildDemand(tenantID: String, timeZone: String, progress: @escaping @Sendable (Int) -> Void) async throws -> Int

    /// Keeps a built answer (a brief, a hotspot view), replacing an older one of the same name.
    func saveAnswer(_ answer: StoredAnswer) async throws
    /// The answer last kept under a name, if any. Importing history or rebuilding the
    /// aggregates drops a city's answers.
    func storedAnswer(tenantID: String, name: String) async throws -> StoredAnswer?

    /// Tickets filed in `[from, to)` in filing order, `limit` at a time: the early-warning feed.
    /// - Parameter after: The id of the last filing read at `from` (keyset paging).
    func filings(tenantID: String, from: Date, to: Date, after: String?, limit: Int) async throws -> [Filing]
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

    /// The units with most open tickets past their resolution deadline at `now`, most first.
    func overdueByUnit(tenantID: String, now: Date, limit: Int) async throws -> [UnitOverdue]

    /// Adds a topic (`expectedVersion` nil) or replaces the version the caller read; every
    /// version is kept in an append-only log. ``StoreError/conflict(_:)`` when it moved on.
    func saveTopic(_ topic: Topic, expectedVersion: Int?) async throws -> Topic
    /// A city's topics, newest month first; only `month`'s when given.
    func topics(tenantID: String, month: String?) async throws -> [Topic]
    func topic(id: String, tenantID: String) async throws -> Topic?
    /// Every version of a topic, oldest first.
    func topicHistory(id: String, tenantID: String) async throws -> [Topic]
    /// Title and description of the newest `limit` tickets filed in `[from, to)` of any of the
    /// categories (none: all) in any of the districts (none: all).
    func newestTexts(tenantID: String, categories: [String], districts: [String], from: Date, to: Date, limit: Int) async throws -> [String]

    func createAPIKey(_ key: APIKey) async throws
    func apiKey(hash: String) async throws -> APIKey?
    func apiKeys(tenantID: String) async throws -> [APIKey]
    func revokeAPIKey(id: String, tenantID: String, at: Date) async throws -> Bool
}

extension TicketStore {
    /// Stores an alert that no webhook announces.
    public func saveAlert(_ alert: SpikeAlert) async throws -> Bool {
        try await saveAlert(alert, announce: false)
    }

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

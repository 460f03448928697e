import Foundation

/// One entry of a ticket's append-only history: who did what, when, with which details.
///
/// Every state change and every record-only action (urge, extend, note) is one event; the
/// ticket row is the fold of its events.
public struct TicketEvent: Codable, Sendable, Equatable {
    /// Position in the ticket's history, equal to the ticket's `version` after the event.
    public var sequence: Int
    public var ticketID: String
    public var tenantID: String
    public var type: EventType
    public var at: Date
    public var actor: Actor
    public var fromStatus: TicketStatus?
    public var toStatus: TicketStatus
    /// Details of the action as stored and served: the flat form of ``detail``.
    public var payload: [String: String]

    /// Details of the action, typed (read from ``payload``).
    public var detail: EventDetail { EventDetail(type: type, payload: payload) }

    public init(
        sequence: Int,
        ticketID: String,
        tenantID: String,
        type: EventType,
        at: Date,
        actor: Actor,
        fromStatus: TicketStatus?,
        toStatus: TicketStatus,
        payload: [String: String] = [:]
    ) {
        self.sequence = sequence
        self.ticketID = ticketID
        self.tenantID = tenantID
        self.type = type
        self.at = at
        self.actor = actor
        self.fromStatus = fromStatus
        self.toStatus = toStatus
        self.payload = payload
    }

    /// An event recording `detail` (which names its type).
    public init(
        sequence: Int, ticketID: String, tenantID: String, at: Date, actor: Actor,
        fromStatus: TicketStatus?, toStatus: TicketStatus, detail: EventDetail
    ) {
        self.init(sequence: sequence, ticketID: ticketID, tenantID: tenantID, type: detail.type, at: at, actor: actor,
                  fromStatus: fromStatus, toStatus: toStatus, payload: detail.payload)
    }
}

/// What an event records.
public enum EventType: String, Codable, Sendable, CaseIterable {
    case created, answered, dispatched, accepted, returned, contacted, replied, evaluated
    case reopened, merged, urged, extended, closed
    case triaged
    case returnRejected = "return_rejected"
    case arbitrated
    case commented
    /// A deadline passed (the urging notice after a breach).
    case overdue
    /// Long overdue: escalated to supervision.
    case escalated
    case extensionRequested = "extension_requested"
    case extensionApproved = "extension_approved"
    case extensionRefused = "extension_refused"
    case summoned
    case summonsAcknowledged = "summons_acknowledged"
    case summonsReported = "summons_reported"
    case summonsRated = "summons_rated"
    case summonsOverdue = "summons_overdue"
    case followUpAttempted = "follow_up_attempted"
    case followUpEnded = "follow_up_ended"
    /// The complainant's contact data was erased (retention or request).
    case contactsErased = "contacts_erased"
}

/// Who caused an event: a user, an integration, or the system itself.
public struct Actor: Codable, Sendable, Equatable {
    /// User name or API key name; `system` for automatic actions.
    public var name: String
    public var role: Role
    /// The unit a handler acts for.
    public var unitCode: String?

    public init(name: String, role: Role, unitCode: String? = nil) {
        self.name = name
        self.role = role
        self.unitCode = unitCode
    }

    /// The hotline itself (sweeper, automatic dispatch).
    public static let system = Actor(name: "system", role: .system)
}

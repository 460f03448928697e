import Foundation

/// One request from a resident or business, from filing to closure.
///
/// A plain value: the state machine returns a new one for every transition, and the store keeps
/// the latest as a row beside the append-only ``TicketEvent`` history.
public struct Ticket: Codable, Sendable, Equatable, Identifiable {
    /// Internal id (a UUID string); never shown to the public.
    public var id: String
    /// The city this ticket belongs to.
    public var tenantID: String
    /// Public tracking number such as `20261125-000123`.
    public var number: String
    public var kind: TicketKind
    public var channel: Channel
    public var title: String
    public var description: String
    /// Code of a category in the city's taxonomy (any level, normally level 3).
    public var categoryCode: String?
    public var urgency: Urgency
    public var location: Location
    public var complainant: Complainant
    /// A photo or document the complainant linked (Open311 `media_url`).
    public var mediaURL: String?
    /// Answers to the service's questions (Open311 `attribute[CODE]`), code → values.
    public var attributes: [String: [String]]
    /// The unit responsible for the ticket.
    public var leadUnit: String?
    /// Units that must cooperate with the lead.
    public var coUnits: [String]
    public var status: TicketStatus
    public var deadlines: Deadlines
    /// Number of the ticket this one was merged into.
    public var mergedInto: String?
    /// The unit's answer, once replied.
    public var reply: String?
    /// Whether the unit says the problem is solved.
    public var replyResolved: Bool?
    /// The complainant's rating.
    public var evaluation: Evaluation?
    /// Times the ticket went back to a unit after a rating or closure.
    public var reopenCount: Int
    /// Times units returned it as mis-routed.
    public var returnCount: Int
    /// Deadline steps taken, extension, whistle and follow-up state.
    public var oversight: Oversight
    /// Returns by the current lead unit that a dispatcher rejected; the next one goes to arbitration.
    public var disputes: Int
    public var createdAt: Date
    public var updatedAt: Date
    public var closedAt: Date?
    /// Incremented by each event; clients send it back to detect stale writes.
    public var version: Int

    public init(
        id: String,
        tenantID: String,
        number: String,
        kind: TicketKind,
        channel: Channel,
        title: String,
        description: String,
        categoryCode: String? = nil,
        urgency: Urgency = .normal,
        location: Location = Location(),
        complainant: Complainant = Complainant(),
        mediaURL: String? = nil,
        attributes: [String: [String]] = [:],
        leadUnit: String? = nil,
        coUnits: [String] = [],
        status: TicketStatus = .received,
        deadlines: Deadlines = Deadlines(),
        mergedInto: String? = nil,
        reply: String? = nil,
        replyResolved: Bool? = nil,
        evaluation: Evaluation? = nil,
        reopenCount: Int = 0,
        returnCount: Int = 0,
        disputes: Int = 0,
        oversight: Oversight = Oversight(),
        createdAt: Date,
        updatedAt: Date? = nil,
        closedAt: Date? = nil,
        version: Int = 1
    ) {
        self.id = id
        self.tenantID = tenantID
        self.number = number
        self.kind = kind
        self.channel = channel
        self.title = title
        self.description = description
        self.categoryCode = categoryCode
        self.urgency = urgency
        self.location = location
        self.complainant = complainant
        self.mediaURL = mediaURL
        self.attributes = attributes
        self.leadUnit = leadUnit
        self.coUnits = coUnits
        self.status = status
        self.deadlines = deadlines
        self.mergedInto = mergedInto
        self.reply = reply
        self.replyResolved = replyResolved
        self.evaluation = evaluation
        self.reopenCount = reopenCount
        self.returnCount = returnCount
        self.disputes = disputes
        self.oversight = oversight
        self.createdAt = createdAt
        self.updatedAt = updatedAt ?? createdAt
        self.closedAt = closedAt
        self.version = version
    }

    /// Whether the complainant's rating is wanted now: the unit has replied, or the follow-up
    /// queue holds the ticket (a reply, or a deadline that expired without one).
    public var awaitsRating: Bool { status == .replied || oversight.followUp != nil }

    /// Whether a deadline the unit still owes has passed at `now`.
    public func isOverdue(at now: Date) -> Bool {
        guard status.isOpenWork else { return false }
        if let due = deadlines.resolution, due < now { return true }
        if status == .dispatched, let due = deadlines.accept, due < now { return true }
        if status == .accepted, let due = deadlines.firstContact, due < now { return true }
        return false
    }
}

/// The complainant's answer to the follow-up questions.
public struct Evaluation: Codable, Sendable, Equatable {
    /// Satisfaction on the three-step scale used for the satisfaction rate.
    public enum Satisfaction: String, Codable, Sendable, CaseIterable {
        case satisfied
        case basicallySatisfied = "basically_satisfied"
        case dissatisfied
    }

    /// Did the unit contact the complainant?
    public var contacted: Bool?
    /// Is the problem solved, in the complainant's words?
    public var resolved: Bool
    public var satisfaction: Satisfaction
    public var comment: String?

    public init(contacted: Bool? = nil, resolved: Bool, satisfaction: Satisfaction, comment: String? = nil) {
        self.contacted = contacted
        self.resolved = resolved
        self.satisfaction = satisfaction
        self.comment = comment
    }

    /// An unresolved or dissatisfied rating sends the ticket back to the unit (a redo).
    public var requiresRedo: Bool { !resolved || satisfaction == .dissatisfied }
}

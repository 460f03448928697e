import Foundation

/// What the accountability loop tracks on a ticket besides its main state: the deadline steps
/// the sweeper has already taken, a pending extension request, the units summoned by a whistle,
/// and the follow-up call the complainant is owed.
public struct Oversight: Codable, Sendable, Equatable {
    /// Sweeper steps already taken, keyed by ``SweepStep/key``, with the deadline they acted on.
    /// A step is due again only when its deadline moves (an extension, a redo).
    public var marks: [String: Date]
    /// When the current lead unit's assignment began (dispatch or arbitration to a new unit):
    /// response is counted against the day of the assignment.
    public var assignedAt: Date?
    /// Whether the current assignment has had its first contact with the complainant.
    public var firstContactDone: Bool
    /// An extension the lead unit asked for, waiting for a supervisor.
    public var extensionRequest: ExtensionRequest?
    /// Units summoned by the lead unit ("the street blows the whistle").
    public var summons: [Summons]
    /// Set while the ticket waits in the follow-up queue.
    public var followUp: FollowUp?
    /// When the sweeper escalated the ticket to supervision (cleared by a new deadline).
    public var escalatedAt: Date?
    /// The earliest instant the sweeper has something to do for this ticket; `nil` for never.
    /// Kept on the row and indexed, so a sweep reads only the tickets that are due.
    public var nextCheck: Date?

    public init(
        marks: [String: Date] = [:], assignedAt: Date? = nil, firstContactDone: Bool = false, extensionRequest: ExtensionRequest? = nil,
        summons: [Summons] = [], followUp: FollowUp? = nil, escalatedAt: Date? = nil, nextCheck: Date? = nil
    ) {
        self.marks = marks
        self.assignedAt = assignedAt
        self.firstContactDone = firstContactDone
        self.extensionRequest = extensionRequest
        self.summons = summons
        self.followUp = followUp
        self.escalatedAt = escalatedAt
        self.nextCheck = nextCheck
    }

    /// The summons of `unit` that is still open (not yet rated), if any.
    public func openSummons(of unit: String) -> Int? {
        summons.lastIndex { $0.unit == unit && $0.rating == nil }
    }
}

/// A lead unit's request for more time, before its deadline expires.
public struct ExtensionRequest: Codable, Sendable, Equatable {
    public var until: Date
    public var reason: String
    public var requestedAt: Date
    public var unit: String?

    public init(until: Date, reason: String, requestedAt: Date, unit: String?) {
        self.until = until
        self.reason = reason
        self.requestedAt = requestedAt
        self.unit = unit
    }
}

/// One unit called to a ticket by the lead unit: it must acknowledge (arrive) by `arriveBy`,
/// report what it did, and is then rated by the lead unit.
public struct Summons: Codable, Sendable, Equatable {
    public var unit: String
    public var summonedAt: Date
    public var arriveBy: Date
    public var note: String?
    public var acknowledgedAt: Date?
    public var report: String?
    public var reportedAt: Date?
    /// The lead unit's score of the help, 1–5.
    public var rating: Int?
    /// Whether the sweeper has recorded the missed arrival.
    public var lateRecorded: Bool

    public init(
        unit: String, summonedAt: Date, arriveBy: Date, note: String? = nil, acknowledgedAt: Date? = nil, report: String? = nil,
        reportedAt: Date? = nil, rating: Int? = nil, lateRecorded: Bool = false
    ) {
        self.unit = unit
        self.summonedAt = summonedAt
        self.arriveBy = arriveBy
        self.note = note
        self.acknowledgedAt = acknowledgedAt
        self.report = report
        self.reportedAt = reportedAt
        self.rating = rating
        self.lateRecorded = lateRecorded
    }
}

/// A ticket waiting for the follow-up call (回访).
public struct FollowUp: Codable, Sendable, Equatable {
    /// Why it entered the queue.
    public enum Reason: String, Codable, Sendable {
        /// The unit replied.
        case replied
        /// The resolution deadline passed without a reply.
        case expired
    }

    public var since: Date
    public var reason: Reason
    /// Calls that reached nobody.
    public var attempts: Int
    public var lastAttemptAt: Date?

    public init(since: Date, reason: Reason, attempts: Int = 0, lastAttemptAt: Date? = nil) {
        self.since = since
        self.reason = reason
        self.attempts = attempts
        self.lastAttemptAt = lastAttemptAt
    }
}

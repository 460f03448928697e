import Foundation

/// What one event records, typed: one case per ``EventType``, so every consumer (assessment facts,
/// notices, Open311 statuses, the timeline) switches on it and the compiler finds each one when an
/// event is added.
///
/// Stored and served as a flat JSON object of strings (``payload``, ``init(type:payload:)``): the
/// same keys the log has always held, so rows written before the type existed read unchanged. The
/// log has always been lenient (a missing key is an absent value), and so is the reading: texts
/// read as empty, and values the state machine always writes but old or hand-made rows may lack
/// are optional.
public enum EventDetail: Sendable, Equatable {
    case created(kind: TicketKind?, channel: Channel?, categoryCode: String?)
    /// Answered on the spot; `article`: the knowledge-base article used, counted with the event.
    case answered(text: String, article: String?)
    /// Routed to a lead unit; from a return, the returning unit's dispute is upheld.
    case dispatched(Routing, upheld: Assignment?)
    /// A supervisor's ruling; `replaced`: the unit that led before, when another leads now.
    case arbitrated(Routing, replaced: Assignment?)
    case accepted(unit: String?)
    case returned(reason: ReturnReason?, note: String?, unit: String?)
    case returnRejected(note: String?, unit: String?)
    /// The classification and place set, the category it replaced, and why (free-form notes).
    case triaged(Triage, previousCategory: String?)
    case merged(into: String)
    /// `first`: the first contact of this assignment (what the response rate counts), with the
    /// instant the unit was assigned.
    case contacted(note: String, onTime: Bool?, first: Assignment?, unit: String?)
    case replied(text: String, resolved: Bool, onTime: Bool?, unit: String?)
    case evaluated(resolved: Bool, satisfaction: Evaluation.Satisfaction?, contacted: Bool?, comment: String?, unit: String?)
    case reopened(reason: String, unit: String?)
    /// Urged by a person, or reminded by the sweeper (`reminderDue`: the deadline it reminds of).
    case urged(note: String?, unit: String?, reminderDue: Date?)
    case extended(until: Date?, reason: String, previous: Date?)
    case closed(note: String?, resolved: Bool?, unit: String?)
    /// A remark; `details` as given (an Open311 client's requested status, a photo link, a
    /// refused automatic step).
    case commented(text: String, details: [String: String], unit: String?)
    case overdue(deadline: DeadlineName?, due: Date?, followUpQueued: Bool, unit: String?)
    case escalated(due: Date?, unit: String?)
    case summonsOverdue(summoned: String, due: Date?, unit: String?)
    case extensionRequested(until: Date?, previous: Date?, reason: String, unit: String?)
    case extensionApproved(until: Date?, previous: Date?, reason: String, note: String?, unit: String?)
    case extensionRefused(until: Date?, reason: String, note: String?, unit: String?)
    case summoned(units: [String], arriveBy: Date?, note: String?, unit: String?)
    case summonsAcknowledged(summoned: String, onTime: Bool, unit: String?)
    /// `acknowledgedNow`: the report counted as the arrival, on time or not.
    case summonsReported(summoned: String, text: String, acknowledgedNow: Bool, onTime: Bool?, unit: String?)
    case summonsRated(summoned: String, score: Int?, note: String?, unit: String?)
    case followUpAttempted(attempt: Int, of: Int, note: String?, unit: String?)
    case followUpEnded(outcome: FollowUpEnd?, note: String?, unit: String?)
    case contactsErased(basis: ErasureBasis, fields: [String], note: String?)

    /// Where a ticket was routed.
    public struct Routing: Sendable, Equatable {
        public var leadUnit: String
        public var coUnits: [String]
        public var note: String?

        public init(leadUnit: String, coUnits: [String] = [], note: String? = nil) {
            self.leadUnit = leadUnit
            self.coUnits = coUnits
            self.note = note
        }
    }

    /// A unit and when it was assigned the ticket (`nil` in rows older than the field).
    public struct Assignment: Sendable, Equatable {
        public var unit: String?
        public var assignedAt: Date?

        public init(unit: String?, assignedAt: Date?) {
            self.unit = unit
            self.assignedAt = assignedAt
        }
    }

    /// How a follow-up nobody answered ended.
    public enum FollowUpEnd: String, Sendable, Equatable {
        /// Replied, and nobody to ask: closed and left out of the rates.
        case notEvaluated = "not_evaluated"
        /// Expired without a reply: the unit still owes the work.
        case abandoned
    }
}

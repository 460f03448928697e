import Foundation

/// The main state of a ticket. The legal moves between them live in ``TicketStateMachine``.
public enum TicketStatus: String, Codable, Sendable, CaseIterable {
    /// Filed, not yet routed.
    case received
    /// A consultation answered on first contact; final.
    case answered
    /// Routed to a lead unit, waiting for it to accept.
    case dispatched
    /// The lead unit signed for it.
    case accepted
    /// The unit sent it back as mis-routed; waits for the dispatcher.
    case returned
    /// A unit disputed the ticket a second time; waits for a supervisor's ruling.
    case arbitration
    /// The unit has made first contact with the complainant.
    case contacted
    /// The unit has given its answer.
    case replied
    /// The complainant rated the answer.
    case evaluated
    /// Sent back to the unit after a dissatisfied or unresolved rating, or after closure.
    case reopened
    /// Finished.
    case closed
    /// Joined to a parent ticket as a duplicate; final.
    case merged

    /// Whether a unit still owes work on the ticket (used for "overdue").
    public var isOpenWork: Bool {
        switch self {
        case .dispatched, .accepted, .contacted, .reopened, .returned, .arbitration: true
        default: false
        }
    }

    /// States from which nothing but a reopen (for `closed`) can happen.
    public var isFinal: Bool {
        switch self {
        case .answered, .closed, .merged: true
        default: false
        }
    }

    /// States in which the ticket is still open from the complainant's point of view.
    public static let open: [TicketStatus] = allCases.filter { !$0.isFinal }
}

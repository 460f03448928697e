import Foundation

/// What a user is allowed to do. Checked on every route through ``Permission``.
public enum Role: String, Codable, Sendable, CaseIterable {
    /// Call-taker and follow-up agent.
    case agent
    /// Routes tickets and rules on returns.
    case dispatcher
    /// Works tickets for exactly one unit.
    case handler
    /// Oversees deadlines, extensions, arbitration.
    case supervisor
    /// Manages users, units, categories, keys; does no casework (supervisors do), so that no
    /// one who runs the system can move a ticket or a rating.
    case admin
    /// A machine client authenticated by API key.
    case integration
    /// The hotline itself (sweeper, automatic routing); never a login.
    case system
    /// A complainant rating their own request through a signed follow-up link; never a login.
    /// Holds the rating and the close or reopen it leads to, on a ticket waiting for its rating
    /// (``TicketAccess``), and nothing else.
    case complainant

    /// Roles a person can log in with.
    public static let loginRoles: [Role] = [.agent, .dispatcher, .handler, .supervisor, .admin]
}

/// A capability that routes require; ``Role/allows(_:)`` is the single table of who may do what.
public enum Permission: String, Sendable, CaseIterable {
    case createTicket, readTickets, answer, dispatch, arbitrate, workTicket, evaluate, reopen, merge, urge, extend, close
    /// Add a remark to a ticket's timeline.
    case comment
    case manageReferenceData, manageUsers, manageAPIKeys
    /// See the complainant's full phone and email.
    case seeContactDetails
    /// Take the deadline sweeper's steps (the system only).
    case sweep
    /// Work the follow-up queue: record ratings and unanswered calls.
    case followUp
    /// Read the assessment of units (rates and rankings).
    case readAssessment
    /// Read demand analysis (frequent problems, hotspots, repeat callers, spike alerts).
    case readInsight
    /// Mark a spike alert as taken in hand (people only: an integration reads alerts).
    case acknowledgeAlerts
    /// Open and steer topics of the month.
    case manageTopics
    /// Read the access log: who saw which complainant's contact data.
    case readAccessLog
    /// Erase a complainant's contact data on her request (the retention purge runs as the system).
    case eraseContacts
    /// Read the server's operational metrics (`GET /metrics`: queues, latencies, the database):
    /// admins, and a scraper's API key.
    case readMetrics
}

extension Role {
    /// Whether this role holds `permission`. Handlers are further limited to their own unit's
    /// tickets by the caller.
    public func allows(_ permission: Permission) -> Bool {
        if self == .complainant { return [.evaluate, .close, .reopen].contains(permission) }
        return switch permission {
        case .createTicket: [.agent, .dispatcher, .supervisor, .integration, .system].contains(self)
        case .readTickets: true
        case .answer: [.agent, .dispatcher, .supervisor, .system].contains(self)
        case .dispatch: [.dispatcher, .supervisor, .system].contains(self)
        case .arbitrate: self == .supervisor
        case .workTicket: [.handler, .supervisor].contains(self)
        // Ratings move the rankings: the complainant's (through an agent, a follow-up link, or
        // the integration that filed the ticket: TicketAccess), never an admin's.
        case .evaluate: [.agent, .supervisor, .integration].contains(self)
        // An integration speaks for residents: a report that is still not fixed reopens it.
        case .reopen: [.agent, .supervisor, .integration].contains(self)
        // A call-taker attaches a repeat call to the open ticket it repeats, while on the phone.
        case .merge: [.agent, .dispatcher, .supervisor, .system].contains(self)
        case .urge: [.dispatcher, .supervisor, .system].contains(self)
        case .extend: self == .supervisor
        case .close: [.agent, .dispatcher, .supervisor, .system].contains(self)
        case .comment: ![.system, .admin].contains(self)
        case .manageReferenceData, .manageUsers, .manageAPIKeys: self == .admin
        case .seeContactDetails: [.agent, .supervisor, .handler].contains(self)
        case .sweep: self == .system
        case .followUp: [.agent, .supervisor, .system].contains(self)
        case .readAssessment: self != .system
        // Handlers see their own unit's work, not the city's demand; repeat-caller lists are
        // for those who oversee.
        case .readInsight: [.dispatcher, .supervisor, .admin, .integration].contains(self)
        case .acknowledgeAlerts: [.dispatcher, .supervisor, .admin].contains(self)
        case .manageTopics: [.supervisor, .admin].contains(self)
        case .readAccessLog: self == .supervisor
        case .eraseContacts: [.supervisor, .system].contains(self)
        case .readMetrics: [.admin, .integration].contains(self)
        }
    }
}

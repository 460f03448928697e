import Foundation

/// Why an action on a ticket was refused. Each case maps to one HTTP status in the server.
public enum TransitionError: Error, Sendable, Equatable {
    /// The action is not legal in the ticket's current state (HTTP 409).
    case illegalTransition(action: String, from: TicketStatus, allowed: [String])
    /// The return window closed at the given instant (HTTP 409).
    case returnWindowClosed(closedAt: Date)
    /// The client's copy of the ticket is older than the stored one (HTTP 409).
    case staleVersion(expected: Int, actual: Int)
    /// An argument of the action is invalid (HTTP 422).
    case invalid(FieldError)
}

extension TransitionError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .illegalTransition(let action, let from, let allowed):
            "cannot \(action) a ticket that is \(from.rawValue); allowed now: \(allowed.isEmpty ? "nothing" : allowed.joined(separator: ", "))"
        case .returnWindowClosed(let at):
            "the return window closed at \(at.formatted(.iso8601))"
        case .staleVersion(let expected, let actual):
            "the ticket changed: you sent version \(expected), it is at version \(actual)"
        case .invalid(let error):
            "\(error.field): \(error.message)"
        }
    }
}

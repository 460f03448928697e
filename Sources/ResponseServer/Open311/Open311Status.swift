import Foundation
import ResponseCore

/// SwiftResponse's states as Open311 shows them: the basic `open`/`closed` of `GET requests`,
/// and the extended statuses of the FixMyStreet update feed. The one table of docs/open311.md.
public enum Open311Status {
    /// `closed` once nothing more will happen without a reopen: answered on the spot, closed,
    /// or merged into another request. A reply alone does not close a request: it still waits
    /// for the complainant's rating ("closed" must not mean "fixed").
    public static func basic(_ status: TicketStatus) -> String {
        status.isFinal ? "closed" : "open"
    }

    /// The extended status an event announces, or `nil` for events the public feed leaves out
    /// (creation, internal triage, urging, remarks).
    public static func extended(_ event: TicketEvent) -> String? {
        switch event.detail {
        case .created, .triaged, .urged, .commented: return nil
        case .answered: return "closed"
        case .dispatched, .arbitrated, .reopened, .returnRejected: return "open"
        case .accepted: return "investigating"
        case .returned(let reason, _, _):
            if event.toStatus == .returned, reason == .notOurMandate { return "not_councils_responsibility" }
            return "internal_referral"
        case .contacted: return "in_progress"
        case .extended: return "action_scheduled"
        case .replied(_, let resolved, _, _): return resolved ? "fixed" : "no_further_action"
        case .evaluated(let resolved, _, _, _, _): return resolved ? "fixed" : "open"
        case .closed(_, let resolved, _):
            switch resolved {
            case true?: return "fixed"
            case false?: return "no_further_action"
            case nil: return "closed"
            }
        case .merged: return "duplicate"
        case .extensionApproved: return "action_scheduled"
        case .followUpEnded: return event.toStatus == .closed ? "closed" : nil
        // Internal accountability steps (deadline notices, summons, extension requests,
        // follow-up calls) are not public updates.
        case .overdue, .escalated, .extensionRequested, .extensionRefused, .summoned, .summonsAcknowledged, .summonsReported,
             .summonsRated, .summonsOverdue, .followUpAttempted, .contactsErased:
            return nil
        }
    }

    /// Every extended status a client may send in `POST servicerequestupdates`, lower case.
    public static let accepted: Set<String> = [
        "open", "reopen", "investigating", "in_progress", "action_scheduled", "planned", "fixed", "closed", "no_further_action",
        "not_councils_responsibility", "duplicate", "internal_referral", "for_triage",
    ]

    /// The statuses that mean "this is still not solved": on an answered request they reopen it.
    public static let reopening: Set<String> = ["open", "reopen"]
}

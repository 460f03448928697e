import Foundation

/// A message the complainant is owed because their ticket changed.
public struct ComplainantNotice: Codable, Sendable, Equatable {
    /// What happened, for templates and filters.
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case received, answered, dispatched, transferred, replied, extended, reopened, closed, merged
    }

    public var kind: Kind
    /// The message, in Chinese and English.
    public var text: String
    /// Whether the message should carry a follow-up link (the complainant is asked to rate).
    public var asksForRating: Bool

    public init(kind: Kind, text: String, asksForRating: Bool = false) {
        self.kind = kind
        self.text = text
        self.asksForRating = asksForRating
    }

    /// The notice an event owes the complainant, or `nil` when the change does not concern them
    /// (internal steps such as triage, urging, summons).
    /// - Parameters:
    ///   - event: The event just recorded.
    ///   - ticket: The ticket after the event.
    public static func notice(for event: TicketEvent, ticket: Ticket) -> ComplainantNotice? {
        let n = ticket.number
        switch event.detail {
        case .created:
            return ComplainantNotice(kind: .received, text: "您的诉求已受理，编号 \(n)。Your request was received: number \(n).")
        case .answered:
            return ComplainantNotice(kind: .answered, text: "诉求 \(n) 已答复：\(ticket.reply ?? "")。Request \(n) was answered.")
        case .dispatched(_, let upheld):
            if upheld != nil {
                return ComplainantNotice(kind: .transferred, text: "诉求 \(n) 已转交新的承办单位。Request \(n) was passed to another unit.")
            }
            return ComplainantNotice(kind: .dispatched, text: "诉求 \(n) 已派至承办单位办理。Request \(n) was sent to the unit in charge.")
        case .arbitrated(_, let replaced):
            guard replaced?.unit != nil else { return nil }
            return ComplainantNotice(kind: .transferred, text: "诉求 \(n) 已转交新的承办单位。Request \(n) was passed to another unit.")
        case .replied:
            return ComplainantNotice(
                kind: .replied, text: "诉求 \(n) 已办结回复：\(ticket.reply ?? "")。请评价。Request \(n) has a reply; please rate it.", asksForRating: true
            )
        case .extensionApproved(let until, _, _, _, _):
            let due = until.map(TicketStateMachine.stamp) ?? ""
            return ComplainantNotice(kind: .extended, text: "诉求 \(n) 办理期限延至 \(due)。The deadline of request \(n) was extended to \(due).")
        case .reopened:
            return ComplainantNotice(kind: .reopened, text: "诉求 \(n) 已重新交办。Request \(n) was sent back to the unit to be redone.")
        case .closed:
            return ComplainantNotice(kind: .closed, text: "诉求 \(n) 已办结。Request \(n) is closed.")
        case .followUpEnded:
            guard event.toStatus == .closed else { return nil }
            return ComplainantNotice(kind: .closed, text: "诉求 \(n) 已办结。Request \(n) is closed.")
        case .merged:
            let parent = ticket.mergedInto ?? ""
            return ComplainantNotice(kind: .merged, text: "诉求 \(n) 与 \(parent) 合并办理。Request \(n) is handled together with \(parent).")
        // Internal steps, and changes the complainant is told of otherwise (the follow-up call).
        case .accepted, .returned, .returnRejected, .triaged, .contacted, .evaluated, .urged, .extended, .commented, .overdue, .escalated,
             .summonsOverdue, .extensionRequested, .extensionRefused, .summoned, .summonsAcknowledged, .summonsReported, .summonsRated,
             .followUpAttempted, .contactsErased:
            return nil
        }
    }
}

import Foundation

/// What the follow-up agent or the complainant's link recorded.
public enum FollowUpOutcome: Sendable, Equatable {
    /// The complainant answered the three questions.
    case rated(Evaluation)
    /// Nobody answered the call.
    case noAnswer(note: String?)
}

/// Turns a follow-up outcome into the actions that record it, applied in one transaction.
public enum FollowUpPlan {
    /// - Returns: For a rating, the evaluation and then a redo (reopen to the same unit) when the
    ///   complainant says it is unresolved or is dissatisfied, else the closure; for a call nobody
    ///   answered, the attempt and, at the city's last attempt, the end of the follow-up.
    public static func actions(for outcome: FollowUpOutcome, ticket: Ticket, policy: AccountabilityPolicy) -> [TicketAction] {
        switch outcome {
        case .rated(let evaluation):
            guard evaluation.requiresRedo, ticket.leadUnit != nil else {
                return [.evaluate(evaluation), .close(note: "closed after follow-up")]
            }
            let why = evaluation.resolved ? "the complainant is dissatisfied" : "the complainant says it is not resolved"
            return [.evaluate(evaluation), .reopen(reason: "redo after follow-up: \(why)")]
        case .noAnswer(let note):
            let attempts = (ticket.oversight.followUp?.attempts ?? 0) + 1
            guard attempts >= policy.followUpAttempts else { return [.followUpAttempt(note: note)] }
            return [.followUpAttempt(note: note), .endFollowUp(note: "no answer after \(attempts) calls")]
        }
    }
}

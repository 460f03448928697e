import Foundation

/// Why a unit sends a ticket back to the dispatcher.
public enum ReturnReason: String, Codable, Sendable, CaseIterable {
    case wrongLocation = "wrong_location"
    case notOurMandate = "not_our_mandate"
    case unclearOwnership = "unclear_ownership"
    case overlappingMandate = "overlapping_mandate"
}

/// A command on an existing ticket. Each case is one `/api/v1/tickets/{number}/…` endpoint.
public enum TicketAction: Sendable, Equatable {
    /// Consultation answered on the spot; final. `article`: the knowledge-base article read out,
    /// whose use the store counts in the same transaction.
    case answer(text: String, article: String? = nil)
    /// Route to a lead unit with optional co-units.
    case dispatch(leadUnit: String, coUnits: [String], note: String?)
    /// The lead unit signs for the ticket.
    case accept
    /// The lead unit returns a mis-routed ticket.
    case giveBack(reason: ReturnReason, note: String?)
    /// First (or further) contact with the complainant.
    case contact(note: String)
    /// The unit's answer and whether it says the problem is solved.
    case reply(text: String, resolved: Bool)
    /// The complainant's rating.
    case evaluate(Evaluation)
    /// Back to the lead unit (redo), from a rating or after closure.
    case reopen(reason: String)
    /// Record how the ticket was classified and located (and why), or a dispatcher's
    /// correction of it. Does not change the state.
    case triage(Triage)
    /// The dispatcher refuses a unit's return: the unit keeps the ticket and its clocks.
    case rejectReturn(note: String?)
    /// A supervisor rules on a second dispute: the named unit leads and may not return again.
    case arbitrate(leadUnit: String, coUnits: [String], note: String?)
    /// Join as duplicate of another ticket, by its public number.
    case merge(into: String)
    /// Press the unit to act; record only.
    case urge(note: String?)
    /// Move the resolution deadline to a later instant.
    case extend(until: Date, reason: String)
    /// Finish the ticket.
    case close(note: String?)
    /// A remark on the ticket from the complainant's side (an Open311 client's update) or from
    /// staff, for the lead unit to read; `details` (a status the reporter asked for, a photo
    /// link) go into the event as they are. Does not change the state.
    case comment(text: String, details: [String: String])
    /// A step of the deadline sweeper (reminder, breach notice, escalation, late summons).
    case sweep(SweepStep)
    /// The lead unit asks for a later resolution deadline, before the current one expires.
    case requestExtension(until: Date, reason: String)
    /// A supervisor approves or refuses the pending extension request.
    case decideExtension(approve: Bool, note: String?)
    /// The lead unit summons departments or companies to the ticket ("blows the whistle").
    case summon(units: [String], note: String?)
    /// A summoned unit acknowledges (arrives).
    case acknowledgeSummons(unit: String)
    /// A summoned unit reports what it did.
    case reportSummons(unit: String, text: String)
    /// The lead unit rates a summoned unit's help, 1–5.
    case rateSummons(unit: String, score: Int, note: String?)
    /// A follow-up call that reached nobody.
    case followUpAttempt(note: String?)
    /// Ends a follow-up nobody answered: a replied ticket closes as "not evaluated"; an expired
    /// one leaves the queue and stays with its unit.
    case endFollowUp(note: String?)
    /// Erase the complainant's name, phone and e-mail, and redact every free text of the ticket
    /// and its history with her name (``Erasure``). Does not change the state.
    case eraseContacts(basis: ErasureBasis, note: String?)

    /// Which action this is, without its arguments.
    public var kind: Kind {
        switch self {
        case .answer: .answer
        case .dispatch: .dispatch
        case .accept: .accept
        case .giveBack: .giveBack
        case .contact: .contact
        case .reply: .reply
        case .evaluate: .evaluate
        case .reopen: .reopen
        case .triage: .triage
        case .rejectReturn: .rejectReturn
        case .arbitrate: .arbitrate
        case .merge: .merge
        case .urge: .urge
        case .extend: .extend
        case .close: .close
        case .comment: .comment
        case .sweep: .sweep
        case .requestExtension: .requestExtension
        case .decideExtension: .decideExtension
        case .summon: .summon
        case .acknowledgeSummons: .acknowledgeSummons
        case .reportSummons: .reportSummons
        case .rateSummons: .rateSummons
        case .followUpAttempt: .followUpAttempt
        case .endFollowUp: .endFollowUp
        case .eraseContacts: .eraseContacts
        }
    }

    /// The permission a caller needs.
    public var permission: Permission { kind.permission }

    /// The name used in URLs and errors (`return`, not `giveBack`).
    public var name: String { kind.rawValue }
}

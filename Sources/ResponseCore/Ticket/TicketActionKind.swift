import Foundation

extension TicketAction {
    /// The actions by name, without their arguments: named once here, in the order clients are
    /// shown them. The raw value is the name in URLs and errors (`return`, not `giveBack`).
    public enum Kind: String, CaseIterable, Sendable, Codable {
        case answer, dispatch, accept
        case giveBack = "return"
        case contact, reply, evaluate, reopen, triage
        case rejectReturn = "reject-return"
        case arbitrate, merge, urge, extend, close, comment
        case requestExtension = "request-extension"
        case decideExtension = "decide-extension"
        case summon
        case acknowledgeSummons = "acknowledge-summons"
        case reportSummons = "report-summons"
        case rateSummons = "rate-summons"
        case followUpAttempt = "follow-up-attempt"
        case endFollowUp = "end-follow-up"
        case eraseContacts = "erase-contacts"
        /// A step of the deadline sweeper; never offered to clients.
        case sweep

        /// The permission a caller needs.
        public var permission: Permission {
            switch self {
            case .answer: .answer
            case .dispatch, .triage, .rejectReturn: .dispatch
            case .arbitrate: .arbitrate
            case .accept, .giveBack, .contact, .reply: .workTicket
            case .evaluate: .evaluate
            case .reopen: .reopen
            case .merge: .merge
            case .urge: .urge
            case .extend, .decideExtension: .extend
            case .close: .close
            case .comment: .comment
            case .sweep: .sweep
            case .requestExtension, .summon, .acknowledgeSummons, .reportSummons, .rateSummons: .workTicket
            case .followUpAttempt, .endFollowUp: .followUp
            case .eraseContacts: .eraseContacts
            }
        }
    }
}

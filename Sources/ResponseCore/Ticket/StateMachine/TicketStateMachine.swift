import Foundation

/// The ticket lifecycle as a pure function: a ticket and an action in, the next ticket and the
/// event to append out, or a typed refusal. No I/O; the store persists both in one transaction.
///
/// Written as SwiftNIO writes its state machines: the table (``rule(for:)``) says where each
/// action may start and what else the ticket must hold; one small function per action
/// (``Transition``, grouped by concern in this folder) works out the change.
public enum TicketStateMachine {
    /// Everything an action needs besides the ticket.
    public struct Context: Sendable {
        public var now: Date
        public var actor: Actor
        /// The ticket's city: its calendar, deadlines and accountability rules.
        public var city: City

        public init(now: Date, actor: Actor, city: City) {
            self.now = now
            self.actor = actor
            self.city = city
        }

        /// The city's deadlines, on its calendar.
        public var policy: DeadlinePolicy { city.deadlines }
        /// Reminders, escalation, arrival limits and follow-up rules of the city.
        public var accountability: AccountabilityPolicy { city.accountability }
    }

    /// One row of the table.
    public struct Rule: Sendable {
        /// The states the action may start from.
        public let sources: Set<TicketStatus>
        /// What else the ticket must hold for the action to be legal at all (an illegal
        /// transition otherwise).
        public let requires: @Sendable (Ticket) -> Bool
        /// Whether clients are offered the action when it is legal: never for internal steps,
        /// and only when there is something to act on for some. An action not offered may still
        /// be sent; its own function then says what is missing.
        public let offered: @Sendable (Ticket) -> Bool

        init(_ sources: Set<TicketStatus>, requires: @escaping @Sendable (Ticket) -> Bool = { _ in true }, offered: @escaping @Sendable (Ticket) -> Bool = { _ in true }) {
            self.sources = sources
            self.requires = requires
            self.offered = offered
        }
    }

    static let working: Set<TicketStatus> = [.accepted, .contacted, .reopened]
    static let assigned: Set<TicketStatus> = [.dispatched, .accepted, .contacted, .reopened]
    static let disputed: Set<TicketStatus> = [.returned, .arbitration]
    static let any = Set(TicketStatus.allCases)
    static let never: @Sendable (Ticket) -> Bool = { _ in false }

    /// The table: the single source of truth for legality.
    public static func rule(for kind: TicketAction.Kind) -> Rule {
        switch kind {
        case .answer: Rule([.received])
        case .dispatch: Rule([.received, .returned])
        case .accept: Rule([.dispatched])
        case .giveBack: Rule([.dispatched, .accepted])
        case .contact, .reply: Rule(working)
        // A follow-up after an expired deadline rates a ticket the unit never replied to.
        case .evaluate: Rule(assigned.union([.replied]), requires: \.awaitsRating)
        case .reopen: Rule([.replied, .evaluated, .closed])
        case .triage: Rule(disputed.union([.received, .dispatched]))
        case .rejectReturn: Rule([.returned])
        case .arbitrate: Rule([.arbitration])
        case .merge: Rule(assigned.union(disputed).union([.received]))
        case .urge: Rule(assigned.union(disputed))
        case .extend: Rule(assigned)
        case .close: Rule([.replied, .evaluated])
        case .comment: Rule(any)
        case .requestExtension: Rule(assigned, offered: { $0.oversight.extensionRequest == nil })
        case .decideExtension: Rule(assigned.union(disputed), offered: { $0.oversight.extensionRequest != nil })
        case .summon: Rule(working)
        case .acknowledgeSummons, .reportSummons, .rateSummons:
            Rule(working.union([.replied]), offered: { $0.oversight.summons.contains { $0.rating == nil } })
        case .followUpAttempt, .endFollowUp: Rule(assigned.union(disputed).union([.replied]), offered: never)
        case .eraseContacts: Rule(any, offered: Erasure.hasContacts)
        case .sweep: Rule(Set(TicketStatus.allCases.filter(\.isOpenWork)), offered: never)
        }
    }

    /// The table, built once.
    static let table: [TicketAction.Kind: Rule] = Dictionary(uniqueKeysWithValues: TicketAction.Kind.allCases.map { ($0, rule(for: $0)) })

    /// Names of the actions clients are offered on this ticket now, in a stable order.
    public static func allowedActions(for ticket: Ticket) -> [String] {
        TicketAction.Kind.allCases.filter { kind in
            guard let rule = table[kind] else { return false }
            return rule.sources.contains(ticket.status) && rule.requires(ticket) && rule.offered(ticket)
        }.map(\.rawValue)
    }

    /// Applies `action` to `ticket`.
    /// - Parameters:
    ///   - action: What to do.
    ///   - ticket: The ticket as stored.
    ///   - context: Clock reading, actor and the ticket's city.
    /// - Returns: The updated ticket (version + 1) and the event that records the change.
    /// - Throws: ``TransitionError`` when the action is illegal now or its arguments are invalid.
    public static func apply(_ action: TicketAction, to ticket: Ticket, context: Context) throws(TransitionError) -> (Ticket, TicketEvent) {
        guard let rule = table[action.kind], rule.sources.contains(ticket.status), rule.requires(ticket) else {
            throw .illegalTransition(action: action.name, from: ticket.status, allowed: allowedActions(for: ticket))
        }
        var t = Transition(ticket: ticket, context: context)
        let detail: EventDetail
        switch action {
        case .answer(let text, let article): detail = try t.answer(text, article: article)
        case .dispatch(let lead, let coUnits, let note): detail = try t.dispatch(lead, coUnits, note)
        case .accept: detail = t.accept()
        case .giveBack(let reason, let note): detail = try t.giveBack(reason, note)
        case .contact(let note): detail = try t.contact(note)
        case .reply(let text, let resolved): detail = try t.reply(text, resolved)
        case .evaluate(let evaluation): detail = t.evaluate(evaluation)
        case .reopen(let reason): detail = try t.reopen(reason)
        case .triage(let triage): detail = try t.triage(triage)
        case .rejectReturn(let note): detail = try t.rejectReturn(note)
        case .arbitrate(let lead, let coUnits, let note): detail = try t.arbitrate(lead, coUnits, note)
        case .merge(let parent): detail = try t.merge(into: parent)
        case .urge(let note): detail = t.urge(note)
        case .extend(let until, let reason): detail = try t.extend(until, reason)
        case .close(let note): detail = t.close(note)
        case .comment(let text, let details): detail = try t.comment(text, details)
        case .sweep(let step): detail = try t.sweep(step)
        case .requestExtension(let until, let reason): detail = try t.requestExtension(until, reason)
        case .decideExtension(let approve, let note): detail = try t.decideExtension(approve, note)
        case .summon(let units, let note): detail = try t.summon(units, note)
        case .acknowledgeSummons(let unit): detail = try t.acknowledgeSummons(unit)
        case .reportSummons(let unit, let text): detail = try t.reportSummons(unit, text)
        case .rateSummons(let unit, let score, let note): detail = try t.rateSummons(unit, score, note)
        case .followUpAttempt(let note): detail = try t.followUpAttempt(note)
        case .endFollowUp(let note): detail = try t.endFollowUp(note)
        case .eraseContacts(let basis, let note): detail = try t.eraseContacts(basis, note)
        }
        return t.finish(detail)
    }

    /// Applies an automatic step (intake's triage, dispatch or merge; an import's history) that
    /// must never cost the ticket: if the step is refused, the ticket is filed as it is, and a
    /// remark in its history says what was not done and why, for the dispatcher to see.
    public static func applyOrNote(_ action: TicketAction, to ticket: Ticket, context: Context) -> (Ticket, TicketEvent) {
        do {
            return try apply(action, to: ticket, context: context)
        } catch {
            let text = "automatic \(action.name) not taken: \(error)"
            return Transition(ticket: ticket, context: context).finish(.commented(text: text, details: ["refused": action.name], unit: ticket.leadUnit))
        }
    }

    /// Instants in payloads: ISO 8601 with milliseconds, so a replay reads back the exact instant.
    public static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

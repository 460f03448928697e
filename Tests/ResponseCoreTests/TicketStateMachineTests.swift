import Foundation
import Testing
@testable import ResponseCore

@Suite("Ticket state machine")
struct TicketStateMachineTests {
    static let start = Date(timeIntervalSince1970: 1_794_960_000)  // 2026-11-18 00:00 UTC
    let policy = DeadlinePolicy.standard()
    let dispatcher = Actor(name: "d", role: .dispatcher)

    func ticket(_ status: TicketStatus, kind: TicketKind = .complaint) -> Ticket {
        var t = Ticket(id: "t1", tenantID: "c", number: "20261118-000001", kind: kind, channel: .phone, title: "x", description: "y", createdAt: Self.start)
        t.status = status
        if status != .received { t.leadUnit = "unit-a" }
        t.complainant = Complainant(name: "李四", phone: "13800001234")
        return t
    }

    func context(_ offset: TimeInterval = 60) -> TicketStateMachine.Context {
        .init(now: Self.start.addingTimeInterval(offset), actor: dispatcher, city: .test(policy))
    }

    /// The expected table, written out by hand, independently of `TicketStateMachine.rule(for:)`:
    /// every status × action pair outside it must be refused as an illegal transition. Every
    /// action a client or the follow-up can send is here (the sweeper's steps have their own tests).
    static let legal: [String: Set<TicketStatus>] = [
        "answer": [.received],
        "dispatch": [.received, .returned],
        "accept": [.dispatched],
        "return": [.dispatched, .accepted],
        "contact": [.accepted, .contacted, .reopened],
        "reply": [.accepted, .contacted, .reopened],
        // The fixture waits for a follow-up, so a rating is legal wherever the unit still works.
        "evaluate": [.replied, .dispatched, .accepted, .contacted, .reopened],
        "reopen": [.replied, .evaluated, .closed],
        "triage": [.received, .dispatched, .returned, .arbitration],
        "reject-return": [.returned],
        "arbitrate": [.arbitration],
        "merge": [.received, .dispatched, .accepted, .returned, .arbitration, .contacted, .reopened],
        "urge": [.dispatched, .accepted, .returned, .arbitration, .contacted, .reopened],
        "extend": [.dispatched, .accepted, .contacted, .reopened],
        "close": [.replied, .evaluated],
        "comment": Set(TicketStatus.allCases),
        "request-extension": [.dispatched, .accepted, .contacted, .reopened],
        "decide-extension": [.dispatched, .accepted, .contacted, .reopened, .returned, .arbitration],
        "summon": [.accepted, .contacted, .reopened],
        "acknowledge-summons": [.accepted, .contacted, .reopened, .replied],
        "report-summons": [.accepted, .contacted, .reopened, .replied],
        "rate-summons": [.accepted, .contacted, .reopened, .replied],
        "follow-up-attempt": [.replied, .dispatched, .accepted, .contacted, .reopened, .returned, .arbitration],
        "end-follow-up": [.replied, .dispatched, .accepted, .contacted, .reopened, .returned, .arbitration],
        "erase-contacts": Set(TicketStatus.allCases),
    ]

    static func validAction(_ name: String) -> TicketAction {
        switch name {
        case "answer": .answer(text: "see article 12")
        case "dispatch": .dispatch(leadUnit: "unit-b", coUnits: ["unit-c"], note: nil)
        case "accept": .accept
        case "return": .giveBack(reason: .wrongLocation, note: "not ours")
        case "contact": .contact(note: "called")
        case "reply": .reply(text: "fixed", resolved: true)
        case "evaluate": .evaluate(Evaluation(resolved: true, satisfaction: .satisfied))
        case "reopen": .reopen(reason: "still broken")
        case "triage": .triage(Triage(categoryCode: "01.02"))
        case "reject-return": .rejectReturn(note: "the address is in your street")
        case "arbitrate": .arbitrate(leadUnit: "unit-b", coUnits: [], note: "ruling")
        case "merge": .merge(into: "20261118-000002")
        case "urge": .urge(note: "hurry")
        case "extend": .extend(until: start.addingTimeInterval(90 * 86_400), reason: "needs parts")
        case "close": .close(note: nil)
        case "comment": .comment(text: "seen", details: [:])
        case "request-extension": .requestExtension(until: start.addingTimeInterval(90 * 86_400), reason: "needs parts")
        case "decide-extension": .decideExtension(approve: true, note: nil)
        case "summon": .summon(units: ["unit-x"], note: "come")
        case "acknowledge-summons": .acknowledgeSummons(unit: "unit-s")
        case "report-summons": .reportSummons(unit: "unit-s", text: "pipe fixed")
        case "rate-summons": .rateSummons(unit: "unit-s", score: 4, note: nil)
        case "follow-up-attempt": .followUpAttempt(note: nil)
        case "end-follow-up": .endFollowUp(note: nil)
        case "erase-contacts": .eraseContacts(basis: .request, note: "ref 1")
        default: fatalError("unknown action \(name)")
        }
    }

    /// A ticket in `status` that holds what every action may need: a unit, contacts, a
    /// resolution deadline ahead, a waiting follow-up, a summoned unit that reported unrated, and
    /// an extension request (except for the action that makes one).
    func fixture(_ status: TicketStatus, for name: String) -> Ticket {
        var t = ticket(status)
        t.deadlines.resolution = Self.start.addingTimeInterval(10 * 86_400)
        t.oversight.followUp = FollowUp(since: Self.start, reason: .expired)
        t.oversight.summons = [Summons(unit: "unit-s", summonedAt: Self.start, arriveBy: Self.start.addingTimeInterval(3600), reportedAt: Self.start)]
        if name != "request-extension" {
            t.oversight.extensionRequest = ExtensionRequest(until: Self.start.addingTimeInterval(60 * 86_400), reason: "parts", requestedAt: Self.start, unit: "unit-a")
        }
        return t
    }

    @Test("every status × action pair is legal exactly when the hand-written table says so", arguments: TicketStatus.allCases)
    func fullTable(status: TicketStatus) throws {
        #expect(Set(Self.legal.keys) == Set(TicketAction.Kind.allCases.filter { $0 != .sweep }.map(\.rawValue)), "every action is in the table")
        for (name, sources) in Self.legal {
            let action = Self.validAction(name)
            #expect(action.name == name)
            let t = fixture(status, for: name)
            if sources.contains(status) {
                let (next, event) = try TicketStateMachine.apply(action, to: t, context: context())
                #expect(next.version == t.version + 1)
                #expect(event.sequence == next.version)
                #expect(event.fromStatus == status)
                #expect(event.toStatus == next.status)
                #expect(event.type == action.eventType)
                #expect(event.at == context().now)
            } else {
                do {
                    _ = try TicketStateMachine.apply(action, to: t, context: context())
                    Issue.record("\(name) from \(status) was accepted")
                } catch {
                    guard case .illegalTransition(let refused, let from, let allowed) = error else {
                        Issue.record("\(name) from \(status): \(error)")
                        continue
                    }
                    #expect(refused == name && from == status)
                    #expect(!allowed.contains(name), "the refusal does not offer what it refused")
                }
            }
        }
    }

    @Test("what clients are offered: legal, and with something to act on")
    func offeredActions() {
        var t = ticket(.accepted)
        #expect(TicketStateMachine.allowedActions(for: t) == [
            "return", "contact", "reply", "merge", "urge", "extend", "comment", "request-extension", "summon", "erase-contacts",
        ])
        t = fixture(.replied, for: "decide-extension")
        #expect(TicketStateMachine.allowedActions(for: t) == [
            "evaluate", "reopen", "close", "comment", "acknowledge-summons", "report-summons", "rate-summons", "erase-contacts",
        ])
        t.complainant = Complainant()
        t.oversight = Oversight()
        t.status = .closed
        #expect(TicketStateMachine.allowedActions(for: t) == ["reopen", "comment"])
    }

    @Test("a duplicate joins only an open ticket: one rule for intake, the API and the store")
    func mergeTargets() throws {
        #expect(throws: TransitionError.invalid(FieldError(field: "into", message: "no ticket 20261118-000009"))) {
            try TicketStateMachine.checkMergeTarget(nil, number: "20261118-000009")
        }
        for status in TicketStatus.allCases {
            var parent = ticket(status)
            parent.mergedInto = status == .merged ? "20261118-000003" : nil
            if status.isFinal {
                #expect(throws: TransitionError.self) { try TicketStateMachine.checkMergeTarget(parent, number: parent.number) }
            } else {
                try TicketStateMachine.checkMergeTarget(parent, number: parent.number)
            }
        }
    }

    @Test("a refused automatic step leaves the ticket as it was, with a remark saying why")
    func refusedAutomaticStep() throws {
        let t = ticket(.received)
        let (after, event) = TicketStateMachine.applyOrNote(.merge(into: t.number), to: t, context: context())
        #expect(after.status == .received && after.mergedInto == nil)
        #expect(after.version == t.version + 1)
        #expect(event.type == .commented)
        #expect(event.payload["refused"] == "merge")
        #expect(event.payload["text"] == "automatic merge not taken: into: a ticket cannot be merged into itself")
        let (dispatched, taken) = TicketStateMachine.applyOrNote(Self.validAction("dispatch"), to: t, context: context())
        #expect(dispatched.status == .dispatched && taken.type == .dispatched)
    }

    @Test func targetStates() throws {
        let expected: [(String, TicketStatus, TicketStatus)] = [
            ("answer", .received, .answered), ("dispatch", .received, .dispatched), ("dispatch", .returned, .dispatched),
            ("accept", .dispatched, .accepted), ("return", .accepted, .returned), ("contact", .accepted, .contacted),
            ("reply", .contacted, .replied), ("evaluate", .replied, .evaluated), ("reopen", .evaluated, .reopened),
            ("reopen", .closed, .reopened), ("merge", .received, .merged), ("urge", .accepted, .accepted),
            ("extend", .contacted, .contacted), ("close", .evaluated, .closed),
        ]
        for (name, from, to) in expected {
            let (next, _) = try TicketStateMachine.apply(Self.validAction(name), to: ticket(from), context: context())
            #expect(next.status == to, "\(name) from \(from)")
        }
    }

    @Test func dispatchSetsDeadlinesFromPolicy() throws {
        let (t, event) = try TicketStateMachine.apply(.dispatch(leadUnit: "street-1", coUnits: ["dept-2"], note: "by location"), to: ticket(.received), context: context(0))
        #expect(t.leadUnit == "street-1")
        #expect(t.coUnits == ["dept-2"])
        #expect(t.deadlines.accept == Self.start.addingTimeInterval(2 * 3600))
        #expect(t.deadlines.firstContact == Self.start.addingTimeInterval(24 * 3600))
        #expect(t.deadlines.returnWindow == Self.start.addingTimeInterval(2 * 3600))
        #expect(t.deadlines.resolution != nil)
        #expect(event.payload["leadUnit"] == "street-1")
        #expect(event.payload["coUnits"] == "dept-2")
    }

    @Test func leadUnitMayNotAlsoBeCoUnit() {
        #expect(throws: TransitionError.self) {
            try TicketStateMachine.apply(.dispatch(leadUnit: "a", coUnits: ["a"], note: nil), to: ticket(.received), context: context())
        }
    }

    @Test func returnOnlyInsideTheWindow() throws {
        let (dispatched, _) = try TicketStateMachine.apply(.dispatch(leadUnit: "u", coUnits: [], note: nil), to: ticket(.received), context: context(0))
        let late = TicketStateMachine.Context(now: Self.start.addingTimeInterval(2 * 3600 + 1), actor: dispatcher, city: .test(policy))
        #expect(throws: TransitionError.returnWindowClosed(closedAt: Self.start.addingTimeInterval(2 * 3600))) {
            try TicketStateMachine.apply(.giveBack(reason: .notOurMandate, note: nil), to: dispatched, context: late)
        }
        let onTime = TicketStateMachine.Context(now: Self.start.addingTimeInterval(2 * 3600), actor: dispatcher, city: .test(policy))
        let (returned, event) = try TicketStateMachine.apply(.giveBack(reason: .notOurMandate, note: nil), to: dispatched, context: onTime)
        #expect(returned.status == .returned)
        #expect(returned.returnCount == 1)
        #expect(event.payload["reason"] == "not_our_mandate")
    }

    @Test("bouncing a ticket does not reset the resolution clock")
    func redispatchKeepsResolutionDeadline() throws {
        let (first, _) = try TicketStateMachine.apply(.dispatch(leadUnit: "u1", coUnits: [], note: nil), to: ticket(.received), context: context(0))
        let (returned, _) = try TicketStateMachine.apply(.giveBack(reason: .wrongLocation, note: nil), to: first, context: context(600))
        let (second, _) = try TicketStateMachine.apply(.dispatch(leadUnit: "u2", coUnits: [], note: nil), to: returned, context: context(3 * 86_400))
        #expect(second.deadlines.resolution == first.deadlines.resolution)
        #expect(second.deadlines.accept == Self.start.addingTimeInterval(3 * 86_400 + 2 * 3600))
        #expect(second.leadUnit == "u2")
    }

    @Test func reopenCountsRedoAndRenewsDeadlines() throws {
        var t = ticket(.evaluated)
        t.closedAt = Self.start
        let (next, _) = try TicketStateMachine.apply(.reopen(reason: "not fixed"), to: t, context: context(86_400))
        #expect(next.reopenCount == 1)
        #expect(next.closedAt == nil)
        #expect(next.deadlines.resolution ?? .distantPast > Self.start.addingTimeInterval(86_400))
    }

    @Test func reopenNeedsAUnit() {
        var t = ticket(.closed)
        t.leadUnit = nil
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.reopen(reason: "x"), to: t, context: context()) }
    }

    @Test func invalidArguments() {
        let cases: [(TicketAction, TicketStatus)] = [
            (.answer(text: "  "), .received),
            (.contact(note: ""), .accepted),
            (.reply(text: "\n", resolved: true), .contacted),
            (.merge(into: "20261118-000001"), .received),  // itself
            (.merge(into: "not-a-number"), .received),
            (.extend(until: Self.start.addingTimeInterval(-10), reason: "x"), .accepted),
            (.reopen(reason: ""), .closed),
        ]
        for (action, status) in cases {
            #expect(throws: TransitionError.self, "\(action)") { try TicketStateMachine.apply(action, to: ticket(status), context: context()) }
        }
    }

    @Test func extendMustMoveTheDeadlineLater() throws {
        var t = ticket(.accepted)
        t.deadlines.resolution = Self.start.addingTimeInterval(10 * 86_400)
        #expect(throws: TransitionError.self) {
            try TicketStateMachine.apply(.extend(until: Self.start.addingTimeInterval(5 * 86_400), reason: "x"), to: t, context: context())
        }
        let (next, event) = try TicketStateMachine.apply(.extend(until: Self.start.addingTimeInterval(20 * 86_400), reason: "parts"), to: t, context: context())
        #expect(next.deadlines.resolution == Self.start.addingTimeInterval(20 * 86_400))
        #expect(event.payload["reason"] == "parts")
        #expect(event.payload["from"] != nil)
    }

    @Test func contactRecordsWhetherFirstContactWasOnTime() throws {
        let (d, _) = try TicketStateMachine.apply(.dispatch(leadUnit: "u", coUnits: [], note: nil), to: ticket(.received), context: context(0))
        let (a, _) = try TicketStateMachine.apply(.accept, to: d, context: context(60))
        let (_, late) = try TicketStateMachine.apply(.contact(note: "x"), to: a, context: context(25 * 3600))
        #expect(late.payload["onTime"] == "false")
        let (_, early) = try TicketStateMachine.apply(.contact(note: "x"), to: a, context: context(3600))
        #expect(early.payload["onTime"] == "true")
    }

    @Test func overdueOnlyWhileWorkIsOwed() throws {
        let (d, _) = try TicketStateMachine.apply(.dispatch(leadUnit: "u", coUnits: [], note: nil), to: ticket(.received), context: context(0))
        #expect(!d.isOverdue(at: Self.start.addingTimeInterval(3600)))
        #expect(d.isOverdue(at: Self.start.addingTimeInterval(3 * 3600)))  // not accepted within 2 h
        var replied = d
        replied.status = .replied
        #expect(!replied.isOverdue(at: Self.start.addingTimeInterval(365 * 86_400)))
    }

    @Test func evaluationRedoRule() {
        #expect(Evaluation(resolved: false, satisfaction: .satisfied).requiresRedo)
        #expect(Evaluation(resolved: true, satisfaction: .dissatisfied).requiresRedo)
        #expect(!Evaluation(resolved: true, satisfaction: .basicallySatisfied).requiresRedo)
    }
}

extension TicketAction {
    /// The event this action records, written out by hand: the state machine derives it from
    /// the detail each action returns, and the table test holds the two against each other.
    var eventType: EventType {
        switch self {
        case .answer: .answered
        case .dispatch: .dispatched
        case .accept: .accepted
        case .giveBack: .returned
        case .contact: .contacted
        case .reply: .replied
        case .evaluate: .evaluated
        case .reopen: .reopened
        case .triage: .triaged
        case .rejectReturn: .returnRejected
        case .arbitrate: .arbitrated
        case .merge: .merged
        case .urge: .urged
        case .extend: .extended
        case .close: .closed
        case .comment: .commented
        case .sweep(let step):
            switch step {
            case .remind: .urged
            case .breach: .overdue
            case .escalate: .escalated
            case .summonsLate: .summonsOverdue
            }
        case .requestExtension: .extensionRequested
        case .decideExtension(let approve, _): approve ? .extensionApproved : .extensionRefused
        case .summon: .summoned
        case .acknowledgeSummons: .summonsAcknowledged
        case .reportSummons: .summonsReported
        case .rateSummons: .summonsRated
        case .followUpAttempt: .followUpAttempted
        case .endFollowUp: .followUpEnded
        case .eraseContacts: .contactsErased
        }
    }
}

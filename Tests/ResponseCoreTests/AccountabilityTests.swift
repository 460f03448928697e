import Foundation
import Testing
@testable import ResponseCore

@Suite("Accountability: sweeper, extensions, whistle, follow-up")
struct AccountabilityTests {
    // 2026-11-16 09:00 Beijing (a Monday).
    static let start = Date(timeIntervalSince1970: 1_794_790_800)
    let calendar = BusinessCalendar(timeZone: "Asia/Shanghai")
    var policy: DeadlinePolicy { .standard(calendar: calendar) }
    let rules = AccountabilityPolicy.standard
    let dispatcher = Actor(name: "d", role: .dispatcher)
    let handler = Actor(name: "h", role: .handler, unitCode: "street-1")

    func context(_ at: Date, _ actor: Actor? = nil) -> TicketStateMachine.Context {
        .init(now: at, actor: actor ?? dispatcher, city: .test(policy, accountability: rules))
    }

    func dispatched(kind: TicketKind = .complaint) throws -> Ticket {
        let t = Ticket(id: "t1", tenantID: "c", number: "20261116-000001", kind: kind, channel: .phone, title: "x", description: "y",
                       complainant: Complainant(name: "王五", phone: "13800000000"), createdAt: Self.start)
        return try TicketStateMachine.apply(.dispatch(leadUnit: "street-1", coUnits: [], note: nil), to: t, context: context(Self.start)).0
    }

    /// Applies every due step, as the store's sweep does.
    func sweep(_ t: Ticket, at now: Date) throws -> (Ticket, [TicketEvent]) {
        var current = t
        var events: [TicketEvent] = []
        for step in DeadlineSweep.due(t, at: now, policy: rules, calendar: calendar) {
            let (next, e) = try TicketStateMachine.apply(.sweep(step), to: current, context: context(now, .system))
            current = next
            events.append(e)
        }
        return (current, events)
    }

    @Test("the sweeper urges before expiry, notices each breach, escalates long overdue, and a second pass does nothing")
    func sweeperSteps() throws {
        var t = try dispatched()
        let accept = try #require(t.deadlines.accept), resolution = try #require(t.deadlines.resolution)
        #expect(t.oversight.nextCheck == Date(millisecondsSince1970: accept.millisecondsSince1970 + 1), "the first thing to check is the accept deadline")
        #expect(try sweep(t, at: accept).1.isEmpty, "at the deadline instant it has not passed yet")

        var (after, events) = try sweep(t, at: accept.addingTimeInterval(60))
        #expect(events.map(\.type) == [.overdue])
        #expect(events[0].payload["deadline"] == "accept")
        #expect(events[0].payload["unit"] == "street-1")
        #expect(try sweep(after, at: accept.addingTimeInterval(120)).1.isEmpty, "idempotent: the breach is marked")
        t = try TicketStateMachine.apply(.accept, to: after, context: context(accept.addingTimeInterval(200), handler)).0
        t = try TicketStateMachine.apply(.contact(note: "called"), to: t, context: context(accept.addingTimeInterval(300), handler)).0

        // 24 hours before the resolution deadline: the reminder (催办).
        (after, events) = try sweep(t, at: resolution.addingTimeInterval(-24 * 3600 - 1))
        #expect(events.isEmpty)
        (after, events) = try sweep(t, at: resolution.addingTimeInterval(-24 * 3600))
        #expect(events.map(\.type) == [.urged])
        #expect(events[0].payload["stage"] == "reminder")
        #expect(after.oversight.nextCheck == Date(millisecondsSince1970: resolution.millisecondsSince1970 + 1))

        // Past the deadline: the breach notice, and the ticket joins the follow-up queue.
        (after, events) = try sweep(after, at: resolution.addingTimeInterval(1))
        #expect(events.map(\.type) == [.overdue])
        #expect(after.oversight.followUp?.reason == .expired)
        #expect(try sweep(after, at: resolution.addingTimeInterval(2)).1.isEmpty)

        // Three working days later: supervision (督办).
        let escalateAt = rules.escalateAfter.end(from: resolution, calendar: calendar)
        #expect(try sweep(after, at: escalateAt).1.isEmpty)
        (after, events) = try sweep(after, at: escalateAt.addingTimeInterval(1))
        #expect(events.map(\.type) == [.escalated])
        #expect(after.oversight.escalatedAt != nil)
        #expect(after.oversight.nextCheck == nil, "nothing left to do until something changes")
        #expect(try sweep(after, at: escalateAt.addingTimeInterval(86_400 * 30)).1.isEmpty)
    }

    @Test("a sweep that was down for days does not send a stale reminder, only the breach and the escalation")
    func lateSweep() throws {
        var t = try dispatched()
        t = try TicketStateMachine.apply(.accept, to: t, context: context(Self.start.addingTimeInterval(60), handler)).0
        t = try TicketStateMachine.apply(.contact(note: "called"), to: t, context: context(Self.start.addingTimeInterval(120), handler)).0
        let (after, events) = try sweep(t, at: try #require(t.deadlines.resolution).addingTimeInterval(30 * 86_400))
        #expect(events.map(\.type) == [.overdue, .escalated])
        #expect(after.oversight.marks["remind.resolution"] != nil)
        // A step that is not due is refused by the state machine itself.
        #expect(throws: TransitionError.self) {
            try TicketStateMachine.apply(.sweep(.remind(due: after.deadlines.resolution!)), to: after, context: context(Self.start, .system))
        }
    }

    @Test("escalation counted in working days skips a holiday")
    func escalationAcrossHoliday() throws {
        var cal = calendar
        cal.holidays = ["2026-12-01"]
        let due = Date(timeIntervalSince1970: 1_795_744_800)  // Friday 2026-11-27 10:00 Beijing
        // Three working days after Friday, with Tuesday a holiday: Mon, Wed, Thu.
        let escalate = rules.escalateAfter.end(from: due, calendar: cal)
        #expect(DayKeys(identifier: "Asia/Shanghai").key(escalate) == "2026-12-03")
    }

    @Test("an extension is asked for before expiry, approved by a supervisor, and moves the clocks")
    func extensions() throws {
        var t = try dispatched()
        let due = try #require(t.deadlines.resolution)
        let later = due.addingTimeInterval(5 * 86_400)
        #expect(throws: TransitionError.self) {
            try TicketStateMachine.apply(.requestExtension(until: later, reason: "parts"), to: t, context: context(due.addingTimeInterval(1), handler))
        }
        #expect(throws: TransitionError.self) {
            try TicketStateMachine.apply(.requestExtension(until: due, reason: "parts"), to: t, context: context(Self.start, handler))
        }
        #expect(throws: TransitionError.self) {
            try TicketStateMachine.apply(.decideExtension(approve: true, note: nil), to: t, context: context(Self.start))
        }
        var e: TicketEvent
        (t, e) = try TicketStateMachine.apply(.requestExtension(until: later, reason: "parts on order"), to: t, context: context(Self.start.addingTimeInterval(60), handler))
        #expect(e.type == .extensionRequested)
        #expect(t.oversight.extensionRequest?.until == later)
        #expect(TicketStateMachine.allowedActions(for: t).contains("decide-extension"))
        #expect(throws: TransitionError.self) {
            try TicketStateMachine.apply(.requestExtension(until: later, reason: "again"), to: t, context: context(Self.start.addingTimeInterval(90), handler))
        }
        (t, e) = try TicketStateMachine.apply(.decideExtension(approve: true, note: "ok"), to: t, context: context(Self.start.addingTimeInterval(120)))
        #expect(e.type == .extensionApproved)
        #expect(t.deadlines.resolution == later)
        #expect(t.oversight.extensionRequest == nil)
        #expect(ComplainantNotice.notice(for: e, ticket: t)?.kind == .extended, "the complainant is told")
        // A refused request leaves the deadline alone.
        (t, _) = try TicketStateMachine.apply(.requestExtension(until: later.addingTimeInterval(86_400), reason: "more"), to: t, context: context(Self.start.addingTimeInterval(200), handler))
        (t, e) = try TicketStateMachine.apply(.decideExtension(approve: false, note: "no"), to: t, context: context(Self.start.addingTimeInterval(300)))
        #expect(e.type == .extensionRefused)
        #expect(t.deadlines.resolution == later)
        #expect(ComplainantNotice.notice(for: e, ticket: t) == nil)
    }

    @Test("whistle and report: summoned units acknowledge, report, are rated, and a missed arrival is recorded")
    func whistle() throws {
        var t = try dispatched()
        t = try TicketStateMachine.apply(.accept, to: t, context: context(Self.start.addingTimeInterval(60), handler)).0
        let at = Self.start.addingTimeInterval(600)
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.summon(units: ["street-1"], note: nil), to: t, context: context(at, handler)) }
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.summon(units: ["water", "water"], note: nil), to: t, context: context(at, handler)) }
        var e: TicketEvent
        (t, e) = try TicketStateMachine.apply(.summon(units: ["water", "city-mgmt"], note: "burst main"), to: t, context: context(at, handler))
        #expect(e.type == .summoned)
        #expect(t.oversight.summons.map(\.arriveBy) == [at.addingTimeInterval(1800), at.addingTimeInterval(1800)], "30 minutes to arrive")
        let days = DayKeys(identifier: "Asia/Shanghai")
        #expect(Set(AssessmentFact.facts(of: e, days: days).map(\.unit)) == ["water", "city-mgmt"])

        (t, e) = try TicketStateMachine.apply(.acknowledgeSummons(unit: "water"), to: t, context: context(at.addingTimeInterval(900)))
        #expect(e.payload["onTime"] == "true")
        #expect(AssessmentFact.facts(of: e, days: days).map(\.metric) == [.summonsOnTime])
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.rateSummons(unit: "water", score: 5, note: nil), to: t, context: context(at.addingTimeInterval(950), handler)) }

        // city-mgmt never arrives: the sweeper records it once.
        let due = DeadlineSweep.due(t, at: at.addingTimeInterval(2000), policy: rules, calendar: calendar)
        #expect(due == [.summonsLate(unit: "city-mgmt", arriveBy: at.addingTimeInterval(1800))])
        (t, e) = try TicketStateMachine.apply(.sweep(due[0]), to: t, context: context(at.addingTimeInterval(2000), .system))
        #expect(e.type == .summonsOverdue)
        #expect(DeadlineSweep.due(t, at: at.addingTimeInterval(3000), policy: rules, calendar: calendar).isEmpty)

        (t, _) = try TicketStateMachine.apply(.reportSummons(unit: "water", text: "valve closed, main repaired"), to: t, context: context(at.addingTimeInterval(5000)))
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.rateSummons(unit: "water", score: 6, note: nil), to: t, context: context(at.addingTimeInterval(5100), handler)) }
        (t, e) = try TicketStateMachine.apply(.rateSummons(unit: "water", score: 4, note: "quick"), to: t, context: context(at.addingTimeInterval(5100), handler))
        #expect(AssessmentFact.facts(of: e, days: days).map { "\($0.metric.rawValue)=\($0.value)" } == ["summons_rated=1", "summons_score=4"])
        // A report counts as arriving, late here.
        (t, e) = try TicketStateMachine.apply(.reportSummons(unit: "city-mgmt", text: "came late"), to: t, context: context(at.addingTimeInterval(6000)))
        #expect(e.payload["acknowledged"] == "true")
        #expect(e.payload["onTime"] == "false")
        #expect(t.status == .accepted, "the lead unit stays responsible; the main state does not move")
    }

    @Test("follow-up: a dissatisfied rating is a redo to the same unit; unanswered calls end the follow-up")
    func followUp() throws {
        var t = try dispatched()
        for (action, offset) in [(TicketAction.accept, 60.0), (.contact(note: "called"), 120), (.reply(text: "done", resolved: true), 180)] {
            t = try TicketStateMachine.apply(action, to: t, context: context(Self.start.addingTimeInterval(offset), handler)).0
        }
        #expect(t.oversight.followUp?.reason == .replied)
        let rated = FollowUpPlan.actions(for: .rated(Evaluation(contacted: true, resolved: true, satisfaction: .dissatisfied)), ticket: t, policy: rules)
        #expect(rated.map(\.name) == ["evaluate", "reopen"])
        var redo = t
        for a in rated { redo = try TicketStateMachine.apply(a, to: redo, context: context(Self.start.addingTimeInterval(300))).0 }
        #expect(redo.status == .reopened)
        #expect(redo.leadUnit == "street-1")
        #expect(redo.reopenCount == 1)
        #expect(redo.oversight.followUp == nil)
        #expect(try #require(redo.deadlines.resolution) > t.deadlines.resolution!, "a new deadline for the redo")

        let happy = FollowUpPlan.actions(for: .rated(Evaluation(resolved: true, satisfaction: .basicallySatisfied)), ticket: t, policy: rules)
        #expect(happy.map(\.name) == ["evaluate", "close"])

        // Three calls nobody answers: the third closes it as not evaluated.
        var u = t
        for call in 1...3 {
            let actions = FollowUpPlan.actions(for: .noAnswer(note: "no answer"), ticket: u, policy: rules)
            #expect(actions.count == (call < 3 ? 1 : 2))
            var last: TicketEvent?
            for a in actions { (u, last) = try TicketStateMachine.apply(a, to: u, context: context(Self.start.addingTimeInterval(Double(400 + call)))) }
            if call == 3 {
                #expect(last?.type == .followUpEnded)
                #expect(last?.payload["outcome"] == "not_evaluated")
                #expect(AssessmentFact.facts(of: try #require(last), days: DayKeys(identifier: "UTC")).map(\.metric) == [.notEvaluated])
            }
        }
        #expect(u.status == .closed)

        // Expired without a reply: the follow-up ends, the unit keeps the work.
        var x = try dispatched()
        x = try sweep(x, at: try #require(x.deadlines.resolution).addingTimeInterval(1)).0
        #expect(x.oversight.followUp?.reason == .expired)
        #expect(TicketStateMachine.allowedActions(for: x).contains("evaluate"))
        let (ended, e) = try TicketStateMachine.apply(.endFollowUp(note: nil), to: x, context: context(x.deadlines.resolution!.addingTimeInterval(10)))
        #expect(e.payload["outcome"] == "abandoned")
        #expect(ended.status == .dispatched)
        #expect(!TicketStateMachine.allowedActions(for: ended).contains("evaluate"))
        #expect(throws: TransitionError.self) {
            try TicketStateMachine.apply(.evaluate(Evaluation(resolved: true, satisfaction: .satisfied)), to: ended, context: context(x.deadlines.resolution!.addingTimeInterval(20)))
        }
    }

    @Test("complainant notices: every change that concerns the complainant, and nothing internal")
    func notices() throws {
        var t = try dispatched()
        let created = TicketEvent(sequence: 1, ticketID: t.id, tenantID: "c", type: .created, at: Self.start, actor: dispatcher, fromStatus: nil, toStatus: .received)
        #expect(NotificationRecord.make(for: created, ticket: t)?.channel == .sms)
        t.complainant = Complainant(email: "a@example.com")
        #expect(NotificationRecord.make(for: created, ticket: t)?.channel == .email)
        t.complainant = Complainant()
        let none = try #require(NotificationRecord.make(for: created, ticket: t))
        #expect(none.channel == .none)
        #expect(none.status == .skipped, "nothing to send it to, but the record exists")
        for type in [EventType.urged, .summoned, .triaged, .overdue, .escalated, .commented] {
            let e = TicketEvent(sequence: 2, ticketID: t.id, tenantID: "c", type: type, at: Self.start, actor: .system, fromStatus: .dispatched, toStatus: .dispatched)
            #expect(ComplainantNotice.notice(for: e, ticket: t) == nil, "\(type) is internal")
        }
        let replied = TicketEvent(sequence: 3, ticketID: t.id, tenantID: "c", type: .replied, at: Self.start, actor: handler, fromStatus: .contacted, toStatus: .replied)
        #expect(ComplainantNotice.notice(for: replied, ticket: t)?.asksForRating == true)
    }
}

extension AccountabilityTests {
    @Test("an urgent 24-hour ticket is urged halfway, not the moment it arrives")
    func urgentReminderAtHalfTime() throws {
        let t = Ticket(id: "t2", tenantID: "c", number: "20261116-000002", kind: .complaint, channel: .phone, title: "x", description: "y", urgency: .urgent, createdAt: Self.start)
        let (d, _) = try TicketStateMachine.apply(.dispatch(leadUnit: "street-1", coUnits: [], note: nil), to: t, context: context(Self.start))
        let due = try #require(d.deadlines.resolution)
        #expect(due == Self.start.addingTimeInterval(24 * 3600))
        let remind = try #require(DeadlineSweep.pending(d, policy: rules, calendar: calendar).first { if case .remind = $0.step { true } else { false } })
        #expect(remind.at == Self.start.addingTimeInterval(12 * 3600))
    }
}

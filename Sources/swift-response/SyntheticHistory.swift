import Foundation
import ResponseCore

/// A synthetic city and its tickets, walked through the real state machine, for benchmarks at
/// scales no demo file reaches. Deterministic: ticket `i` is always the same ticket.
struct SyntheticHistory: Sendable {
    let tenant: Tenant
    let city: City
    let units: [OrgUnit]

    init(tenant: Tenant, streets: Int = 300, departments: Int = 60) {
        self.tenant = tenant
        self.city = City(tenant)
        var units: [OrgUnit] = []
        for i in 0..<streets {
            units.append(OrgUnit(code: String(format: "st-%03d", i), tenantID: tenant.id, name: "街道\(i)", kind: .street, population: 30_000 + (i * 7_919) % 90_000))
        }
        for i in 0..<departments {
            units.append(OrgUnit(code: String(format: "dep-%02d", i), tenantID: tenant.id, name: "部门\(i)", kind: i % 6 == 5 ? .company : .department))
        }
        self.units = units
    }

    /// The caller of ticket `i`: 50,000 people, so most call more than once.
    static func caller(_ i: Int) -> (name: String, phone: String) {
        ("王芳\(i % 50_000)", "139" + String(format: "%08d", i % 50_000))
    }

    /// A cheap deterministic number in 0..<1 for ticket `i`, draw `k`.
    static func draw(_ i: Int, _ k: Int) -> Double {
        var x = UInt64(truncatingIfNeeded: i &* 0x9E37_79B9) &+ UInt64(truncatingIfNeeded: k &* 0x85EB_CA6B)
        x ^= x >> 33
        x = x &* 0xff51_afd7_ed55_8ccd
        x ^= x >> 33
        return Double(x % 1_000_000) / 1_000_000
    }

    func context(_ at: Date, _ actor: Actor) -> TicketStateMachine.Context {
        city.context(now: at, actor: actor)
    }

    /// Ticket `i` as filed at `at`, with its `created` event. Numbers are unique per benchmark city.
    /// With `contacts`, a complainant (one of 50,000 callers) whose name and number are also in the description.
    func newTicket(_ i: Int, at: Date, contacts: Bool = false) -> (Ticket, TicketEvent) {
        var new = NewTicket(kind: .complaint, channel: .phone, title: "合成诉求 \(i)", description: "基准测试数据 benchmark data", urgency: i % 50 == 0 ? .urgent : .normal)
        if contacts {
            let caller = Self.caller(i)
            new.complainant = Complainant(name: caller.name, phone: caller.phone, email: "c\(i % 50_000)@example.com")
            new.description = "\(caller.name)反映，电话 \(caller.phone)。基准测试数据"
        }
        return new.makeTicket(id: TicketID.make(at: at), number: TicketNumber(day: "20000101", sequence: i + 1).description, tenantID: tenant.id,
                              actor: Actor(name: "agent", role: .agent), now: at)
    }

    /// Ticket `i` of a month: filed at its place in the month, then dispatched, accepted,
    /// contacted, replied, rated and closed, with the returns, late contacts, redos and
    /// unanswered follow-ups a real month has.
    func monthTicket(_ i: Int, of count: Int, start: Date, length: TimeInterval, contacts: Bool = false) -> (Ticket, [TicketEvent]) {
        var at = start.addingTimeInterval(length * Double(i) / Double(count))
        var (t, created) = newTicket(i, at: at, contacts: contacts)
        var events = [created]
        let d = { (k: Int) in Self.draw(i, k) }
        let lead = units[Int(d(1) * Double(units.count))].code
        let handler = Actor(name: "h", role: .handler, unitCode: lead)
        func step(_ hours: Double, _ action: TicketAction, _ actor: Actor) {
            at = at.addingTimeInterval(hours * 3600)
            guard let (next, event) = try? TicketStateMachine.apply(action, to: t, context: context(at, actor)) else { return }
            t = next
            events.append(event)
        }
        let dispatcher = Actor(name: "d", role: .dispatcher), agent = Actor(name: "a", role: .agent)
        if d(2) < 0.05 {  // mis-routed first
            let wrong = units[(Int(d(3) * Double(units.count)) + 1) % units.count].code
            step(0.1, .dispatch(leadUnit: wrong, coUnits: [], note: nil), dispatcher)
            step(0.5, .giveBack(reason: .wrongLocation, note: nil), Actor(name: "h", role: .handler, unitCode: wrong))
        }
        step(0.2, .dispatch(leadUnit: lead, coUnits: [], note: nil), dispatcher)
        step(0.5 + d(4), .accept, handler)
        step(d(5) < 0.9 ? 2 + 10 * d(6) : 30, .contact(note: "已联系"), handler)
        step(24 * (1 + 9 * d(7)), .reply(text: "已处理", resolved: d(8) < 0.95), handler)
        if d(9) < 0.03 {
            step(5, .followUpAttempt(note: nil), agent)
            step(5, .followUpAttempt(note: nil), agent)
            step(5, .followUpAttempt(note: nil), agent)
            step(0, .endFollowUp(note: nil), agent)
            return (t, events)
        }
        let satisfaction: Evaluation.Satisfaction = d(10) < 0.85 ? .satisfied : d(10) < 0.95 ? .basicallySatisfied : .dissatisfied
        let evaluation = Evaluation(contacted: true, resolved: d(11) < 0.94, satisfaction: satisfaction)
        step(6, .evaluate(evaluation), agent)
        if evaluation.requiresRedo {
            step(0, .reopen(reason: "redo"), agent)
            step(3, .contact(note: "再次联系"), handler)
            step(48, .reply(text: "已重新处理", resolved: true), handler)
            step(6, .evaluate(Evaluation(resolved: true, satisfaction: .basicallySatisfied)), agent)
        }
        step(0, .close(note: nil), agent)
        return (t, events)
    }

    /// An open ticket for the sweeper: dispatched, accepted and contacted at `at`.
    func openTicket(_ i: Int, at: Date) -> (Ticket, [TicketEvent]) {
        var (t, created) = newTicket(i, at: at)
        let lead = units[i % units.count].code
        var events = [created]
        for (k, action) in [TicketAction.dispatch(leadUnit: lead, coUnits: [], note: nil), .accept, .contact(note: "已联系")].enumerated() {
            guard let (next, e) = try? TicketStateMachine.apply(action, to: t, context: context(at.addingTimeInterval(Double(k) * 60), Actor(name: "h", role: .handler, unitCode: lead))) else { continue }
            t = next
            events.append(e)
        }
        return (t, events)
    }
}

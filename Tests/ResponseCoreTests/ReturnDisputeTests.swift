import Foundation
import Testing
@testable import ResponseCore

/// Returns done right: upheld, rejected, disputed again, arbitrated — and no clock reset.
@Suite("Returns, rejections and arbitration")
struct ReturnDisputeTests {
    static let start = Date(timeIntervalSince1970: 1_794_960_000)
    let policy = DeadlinePolicy.standard()
    let dispatcher = Actor(name: "d", role: .dispatcher)
    let handler = Actor(name: "h", role: .handler, unitCode: "street-a")
    let supervisor = Actor(name: "s", role: .supervisor)

    func at(_ minutes: Double, _ actor: Actor) -> TicketStateMachine.Context {
        .init(now: Self.start.addingTimeInterval(minutes * 60), actor: actor, city: .test(policy))
    }

    func dispatched() throws -> Ticket {
        let t = Ticket(id: "t", tenantID: "c", number: "20261118-000001", kind: .complaint, channel: .phone, title: "x", description: "y", createdAt: Self.start)
        return try TicketStateMachine.apply(.dispatch(leadUnit: "street-a", coUnits: [], note: nil), to: t, context: at(0, dispatcher)).0
    }

    @Test("a rejected return keeps the unit and its original deadlines")
    func rejectKeepsClocks() throws {
        let first = try dispatched()
        let (returned, r) = try TicketStateMachine.apply(.giveBack(reason: .wrongLocation, note: nil), to: first, context: at(30, handler))
        #expect(returned.status == .returned && r.payload["reason"] == "wrong_location")
        let (kept, e) = try TicketStateMachine.apply(.rejectReturn(note: "it is yours"), to: returned, context: at(60, dispatcher))
        #expect(kept.status == .dispatched && kept.leadUnit == "street-a")
        #expect(kept.deadlines == first.deadlines, "bouncing bought no time: accept, contact, resolution and return window unchanged")
        #expect(kept.disputes == 1 && e.type == .returnRejected && e.payload["unit"] == "street-a")
    }

    @Test("a second dispute after a rejection goes to arbitration, not back to the dispatcher")
    func secondDisputeArbitrates() throws {
        var t = try dispatched()
        t = try TicketStateMachine.apply(.giveBack(reason: .notOurMandate, note: nil), to: t, context: at(10, handler)).0
        t = try TicketStateMachine.apply(.rejectReturn(note: nil), to: t, context: at(20, dispatcher)).0
        let (disputed, e) = try TicketStateMachine.apply(.giveBack(reason: .unclearOwnership, note: "still not ours"), to: t, context: at(30, handler))
        #expect(disputed.status == .arbitration && e.toStatus == .arbitration && disputed.returnCount == 2)
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.dispatch(leadUnit: "x", coUnits: [], note: nil), to: disputed, context: at(40, dispatcher)) }

        let (ruled, a) = try TicketStateMachine.apply(.arbitrate(leadUnit: "street-a", coUnits: ["water"], note: "street leads, water assists"), to: disputed, context: at(50, supervisor))
        #expect(ruled.status == .dispatched && ruled.leadUnit == "street-a" && ruled.coUnits == ["water"] && a.type == .arbitrated)
        #expect(ruled.deadlines.accept == t.deadlines.accept, "the same unit keeps its original sign-off deadline")
        #expect(ruled.deadlines.resolution == t.deadlines.resolution)
        #expect(throws: TransitionError.self, "the ruling closes the return window") {
            try TicketStateMachine.apply(.giveBack(reason: .notOurMandate, note: nil), to: ruled, context: at(51, handler))
        }
    }

    @Test("an upheld return re-routes: the new unit gets a sign-off window, the resolution clock runs on")
    func upheld() throws {
        var t = try dispatched()
        let resolution = t.deadlines.resolution
        t = try TicketStateMachine.apply(.giveBack(reason: .wrongLocation, note: nil), to: t, context: at(10, handler)).0
        let (rerouted, e) = try TicketStateMachine.apply(.dispatch(leadUnit: "street-b", coUnits: [], note: nil), to: t, context: at(90, dispatcher))
        #expect(e.payload["upheld"] == "true" && e.payload["returnedBy"] == "street-a")
        #expect(rerouted.deadlines.resolution == resolution)
        #expect(rerouted.deadlines.accept == Self.start.addingTimeInterval(90 * 60 + 2 * 3600))
        #expect(rerouted.disputes == 0)
    }

    @Test("an arbitration to another unit gives it its own sign-off window")
    func arbitrateElsewhere() throws {
        var t = try dispatched()
        t = try TicketStateMachine.apply(.giveBack(reason: .notOurMandate, note: nil), to: t, context: at(10, handler)).0
        t = try TicketStateMachine.apply(.rejectReturn(note: nil), to: t, context: at(20, dispatcher)).0
        t = try TicketStateMachine.apply(.giveBack(reason: .notOurMandate, note: nil), to: t, context: at(30, handler)).0
        let (ruled, e) = try TicketStateMachine.apply(.arbitrate(leadUnit: "housing", coUnits: [], note: nil), to: t, context: at(60, supervisor))
        #expect(ruled.leadUnit == "housing" && e.payload["from"] == "street-a")
        #expect(ruled.deadlines.accept == Self.start.addingTimeInterval(60 * 60 + 2 * 3600))
    }

    @Test("triage sets category and place, records the reasons, and leaves the state alone")
    func triage() throws {
        let t = Ticket(id: "t", tenantID: "c", number: "20261118-000001", kind: .complaint, channel: .phone, title: "x", description: "y", categoryCode: "01", createdAt: Self.start)
        let (next, e) = try TicketStateMachine.apply(.triage(Triage(categoryCode: "02.01", streetCode: "s1", notes: ["basis": "unit model", "confidence": "0.91"])), to: t, context: at(0, .system))
        #expect(next.status == .received && next.categoryCode == "02.01" && next.location.streetCode == "s1")
        #expect(e.type == .triaged && e.payload["previousCategory"] == "01" && e.payload["basis"] == "unit model")
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.triage(Triage(categoryCode: "not a code!")), to: t, context: at(0, .system)) }
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.triage(Triage()), to: t, context: at(0, .system)) }
    }
}

import Foundation
import Testing
@testable import ResponseCore

@Suite("Typed event details and their stored form")
struct EventDetailTests {
    static let t0 = Date(timeIntervalSince1970: 1_795_000_000)
    static let t1 = Date(timeIntervalSince1970: 1_795_086_400.25)

    /// One detail of every event type, with every field set.
    static let samples: [EventDetail] = [
        .created(kind: .complaint, channel: .phone, categoryCode: "01.01"),
        .answered(text: "see article 12", article: "kb-12"),
        .dispatched(.init(leadUnit: "s1", coUnits: ["water", "dept"], note: "by place"), upheld: .init(unit: "s2", assignedAt: t1)),
        .arbitrated(.init(leadUnit: "s1"), replaced: .init(unit: "s2", assignedAt: t1)),
        .accepted(unit: "s1"),
        .returned(reason: .notOurMandate, note: "not ours", unit: "s1"),
        .returnRejected(note: "yours", unit: "s1"),
        .triaged(Triage(categoryCode: "01.02", districtCode: "d", streetCode: "s", notes: ["basis": "model", "confidence": "0.91"]), previousCategory: "01.01"),
        .merged(into: "20261118-000002"),
        .contacted(note: "called", onTime: true, first: .init(unit: nil, assignedAt: t1), unit: "s1"),
        .replied(text: "fixed", resolved: true, onTime: false, unit: "s1"),
        .evaluated(resolved: true, satisfaction: .basicallySatisfied, contacted: true, comment: "ok", unit: "s1"),
        .reopened(reason: "still broken", unit: "s1"),
        .urged(note: nil, unit: "s1", reminderDue: t1),
        .extended(until: t0, reason: "parts", previous: t0.addingTimeInterval(-86_400)),
        .closed(note: "done", resolved: false, unit: "s1"),
        .commented(text: "status please", details: ["requestedStatus": "open"], unit: "s1"),
        .overdue(deadline: .resolution, due: t1, followUpQueued: true, unit: "s1"),
        .escalated(due: t1, unit: "s1"),
        .summonsOverdue(summoned: "water", due: t1, unit: "s1"),
        .extensionRequested(until: t1, previous: t1.addingTimeInterval(-3600), reason: "parts", unit: "s1"),
        .extensionApproved(until: t1, previous: t1.addingTimeInterval(-3600), reason: "parts", note: "ok", unit: "s1"),
        .extensionRefused(until: t1, reason: "parts", note: "no", unit: "s1"),
        .summoned(units: ["water", "dept"], arriveBy: t1, note: "come", unit: "s1"),
        .summonsAcknowledged(summoned: "water", onTime: true, unit: "s1"),
        .summonsReported(summoned: "water", text: "pipe fixed", acknowledgedNow: true, onTime: false, unit: "s1"),
        .summonsRated(summoned: "water", score: 4, note: nil, unit: "s1"),
        .followUpAttempted(attempt: 2, of: 3, note: "no answer", unit: "s1"),
        .followUpEnded(outcome: .notEvaluated, note: nil, unit: "s1"),
        .contactsErased(basis: .retention, fields: ["name", "phone"], note: "retention: 1095 days"),
    ]

    @Test("every event type has a detail, and each reads back from its stored form unchanged")
    func roundTrip() {
        #expect(Set(Self.samples.map(\.type)) == Set(EventType.allCases))
        for detail in Self.samples {
            #expect(EventDetail(type: detail.type, payload: detail.payload) == detail, "\(detail.type)")
        }
    }

    @Test("rows written before the type existed read as they always meant; 'from' is a unit or an instant by type")
    func oldRows() {
        let arbitrated = EventDetail(type: .arbitrated, payload: ["leadUnit": "s1", "from": "s2", "fromAssignedAt": "2026-11-20T08:00:00.000Z"])
        guard case .arbitrated(let routing, let replaced) = arbitrated else { Issue.record("\(arbitrated)"); return }
        #expect(routing.leadUnit == "s1" && replaced?.unit == "s2" && replaced?.assignedAt == Date(timeIntervalSince1970: 1_795_161_600))
        let extended = EventDetail(type: .extended, payload: ["until": "2026-12-20T00:00:00Z", "from": "2026-12-10T00:00:00Z", "reason": "r"])
        guard case .extended(let until, _, let previous) = extended else { Issue.record("\(extended)"); return }
        #expect(until == Date(timeIntervalSince1970: 1_797_724_800) && previous == Date(timeIntervalSince1970: 1_796_860_800))
        // The log has always been lenient: a missing key is an absent value.
        #expect(EventDetail(type: .replied, payload: ["resolved": "true"]) == .replied(text: "", resolved: true, onTime: nil, unit: nil))
        #expect(EventDetail(type: .evaluated, payload: [:]) == .evaluated(resolved: false, satisfaction: nil, contacted: nil, comment: nil, unit: nil))
        // The event stores exactly the flat form, so the API's timeline is what it was.
        let event = TicketEvent(sequence: 2, ticketID: "t", tenantID: "c", at: Self.t0, actor: .system, fromStatus: .received, toStatus: .dispatched,
                                detail: .dispatched(.init(leadUnit: "s1"), upheld: nil))
        #expect(event.type == .dispatched && event.payload == ["leadUnit": "s1"])
    }
}

import Foundation
import Testing
@testable import ResponseCore

@Suite("Erasure of a complainant's contact data, and the retention rule")
struct ErasureTests {
    static let start = Date(timeIntervalSince1970: 1_794_960_000)  // 2026-11-18 00:00 UTC
    let supervisor = Actor(name: "s", role: .supervisor)

    func planted(_ status: TicketStatus = .closed, anonymous: Bool = false) -> Ticket {
        var t = Ticket(
            id: "t1", tenantID: "c", number: "20261118-000001", kind: .complaint, channel: .phone, title: "王芳家门口漏水",
            description: "王芳，电话 139 1234 5678，邮箱 wf@example.com，身份证 11010519900307123X", createdAt: Self.start
        )
        t.status = status
        t.leadUnit = "unit-a"
        t.complainant = Complainant(name: "王芳", phone: "13912345678", email: "wf@example.com", anonymous: anonymous)
        t.location.address = "朝阳路 1 号 王芳家"
        t.location.latitude = 39.91234
        t.reply = "已修好，已电话告知王芳 13912345678"
        t.evaluation = Evaluation(resolved: true, satisfaction: .satisfied, comment: "谢谢，王芳")
        t.closedAt = Self.start.addingTimeInterval(86_400)
        return t
    }

    func context(_ actor: Actor) -> TicketStateMachine.Context {
        .init(now: Self.start.addingTimeInterval(3 * 86_400), actor: actor, city: .test(.standard()))
    }

    @Test("erasing clears name, phone and e-mail, redacts every text, keeps what the rates count; an event records it")
    func erase() throws {
        let t = planted()
        let (erased, event) = try TicketStateMachine.apply(.eraseContacts(basis: .request, note: "request by 王芳 of 2 Dec, ref 17"), to: t, context: context(supervisor))
        #expect(erased.complainant == Complainant())
        for text in [erased.title, erased.description, erased.reply ?? "", erased.location.address ?? "", erased.evaluation?.comment ?? "", event.payload["note"] ?? ""] {
            for secret in ["王芳", "139 1234 5678", "13912345678", "wf@example.com", "11010519900307123X"] {
                #expect(!text.contains(secret), "\(secret) in \(text)")
            }
        }
        #expect(erased.description.contains("[phone]") && erased.description.contains("[name]"))
        #expect(event.type == .contactsErased && event.payload["basis"] == "request" && event.payload["fields"] == "name,phone,email")
        #expect(event.payload["note"] == "request by [name] of 2 Dec, ref 17")
        // Everything else stands: state, unit, times, rating, place.
        #expect(erased.status == t.status && erased.leadUnit == t.leadUnit && erased.closedAt == t.closedAt && erased.version == t.version + 1)
        #expect(erased.evaluation?.satisfaction == .satisfied && erased.location.latitude == t.location.latitude)
        #expect(AssessmentFact.facts(of: event, days: DayKeys(identifier: "Asia/Shanghai")).isEmpty, "an erasure counts in no rate")
        // Nothing left: refused, and no longer offered.
        #expect(TicketStateMachine.allowedActions(for: t).contains("erase-contacts"))
        #expect(!TicketStateMachine.allowedActions(for: erased).contains("erase-contacts"))
        #expect(throws: TransitionError.self) { try TicketStateMachine.apply(.eraseContacts(basis: .retention, note: nil), to: erased, context: context(.system)) }
    }

    @Test("an anonymous complainant stays anonymous; only the fields held are named; open tickets too")
    func anonymousAndOpen() throws {
        var t = planted(.contacted, anonymous: true)
        t.complainant.email = nil
        t.closedAt = nil
        let (erased, event) = try TicketStateMachine.apply(.eraseContacts(basis: .request, note: nil), to: t, context: context(supervisor))
        #expect(erased.complainant == Complainant(anonymous: true) && erased.status == .contacted)
        #expect(event.payload["fields"] == "name,phone" && event.payload["note"] == nil)
    }

    @Test("who may erase: supervisors and the system's purge, nobody else")
    func permission() {
        #expect(TicketAction.eraseContacts(basis: .request, note: nil).permission == .eraseContacts)
        #expect(Role.allCases.filter { $0.allows(.eraseContacts) } == [.supervisor, .system])
    }

    @Test("the event redaction touches free texts only")
    func eventTexts() {
        let e = TicketEvent(sequence: 3, ticketID: "t1", tenantID: "c", type: .contacted, at: Self.start, actor: supervisor, fromStatus: .accepted,
                            toStatus: .contacted, payload: ["note": "called 王芳 on 13912345678", "unit": "unit-a", "onTime": "true", "assignedAt": "2026-11-18T00:00:00.000Z"])
        let r = Redactor(names: ["王芳"]).texts(of: e)
        #expect(r.payload["note"] == "called [name] on [phone]")
        #expect(r.payload.filter { $0.key != "note" } == e.payload.filter { $0.key != "note" })
        #expect(AssessmentFact.facts(of: r, days: DayKeys(identifier: "UTC")) == AssessmentFact.facts(of: e, days: DayKeys(identifier: "UTC")))
    }

    @Test("the retention cutoff: the start of the city day so many days back; 0 keeps for ever; bounds")
    func cutoff() throws {
        let days = DayKeys(identifier: "Asia/Shanghai")
        // 2026-12-02 01:30 in Shanghai is 2026-12-01 17:30 UTC.
        let now = Date(timeIntervalSince1970: 1_796_146_200)
        #expect(days.key(now) == "2026-12-02")
        let cut = try #require(RetentionPolicy(retentionDays: 30).cutoff(now: now, days: days))
        #expect(days.key(cut) == "2026-11-02" && days.startOfDay(cut) == cut)
        #expect(RetentionPolicy(retentionDays: 0).cutoff(now: now, days: days) == nil)
        #expect(RetentionPolicy().retentionDays == 1_095)
        #expect(RetentionPolicy(retentionDays: -1).validationErrors().count == 1 && RetentionPolicy(retentionDays: 36_501).validationErrors().count == 1)
        #expect(try JSONDecoder().decode(RetentionPolicy.self, from: Data("{}".utf8)) == RetentionPolicy())
    }
}

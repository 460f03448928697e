import Foundation
import ResponseCore
import SQLKit
import Testing
@testable import ResponseStore

@Suite("Retention purge and erasure on request: contacts gone, history redacted, statistics unchanged")
struct ErasureStoreTests {
    static let t0 = TicketStoreTests.t0  // 2026-11-18 08:00 in Shanghai
    static let day: TimeInterval = 86_400
    static let secrets = ["13912345678", "139 1234 5678", "王芳", "wf@example.com"]

    /// A ticket of 王芳's worked to the end (or left open), her name and number planted in every text.
    /// - Parameter address: Repeat places keep the address as written (a place, not a person), so
    ///   the name is planted there only where the test reads the ticket, not the whole file.
    static func worked(_ h: StoreHarness, at start: Date, finish: Bool, phone: String = "139 1234 5678", address: String = "朝阳路 1 号 王芳家") async throws -> Ticket {
        let new = NewTicket(
            kind: .complaint, channel: .phone, title: "王芳家门口漏水", description: "王芳，电话 \(phone)，邮箱 wf@example.com",
            categoryCode: "03.01", location: Location(latitude: 39.9, longitude: 116.4, address: address, districtCode: "cy"),
            complainant: Complainant(name: "王芳", phone: phone, email: "wf@example.com")
        )
        var t = try await h.store.createTicket(new, tenant: h.tenant, actor: StoreHarness.agent, now: start).0
        let handler = Actor(name: "h", role: .handler, unitCode: "u1")
        func act(_ action: TicketAction, _ offset: TimeInterval, _ actor: Actor) async throws {
            t = try await h.store.apply(action, number: t.number, tenantID: h.tenant.id, expectedVersion: nil,
                                        context: .init(now: start.addingTimeInterval(offset), actor: actor, city: .test(StoreHarness.policy))) { _ in }.0
        }
        try await act(.dispatch(leadUnit: "u1", coUnits: [], note: "王芳 asks for a call on 13912345678"), 60, Actor(name: "d", role: .dispatcher))
        try await act(.accept, 120, handler)
        try await act(.contact(note: "已联系王芳 13912345678"), 3600, handler)
        guard finish else { return t }
        try await act(.reply(text: "已修好，已告知王芳", resolved: true), 7200, handler)
        try await act(.evaluate(Evaluation(resolved: true, satisfaction: .satisfied, comment: "谢谢，王芳")), 9000, StoreHarness.agent)
        try await act(.close(note: nil), 9600, StoreHarness.agent)
        return t
    }

    static func texts(_ h: StoreHarness, _ t: Ticket) async throws -> String {
        let ticket = try #require(try await h.store.ticket(number: t.number, tenantID: h.tenant.id))
        let events = try await h.store.events(ticketID: t.id, tenantID: h.tenant.id)
        let messages = try await h.store.notifications(number: t.number, tenantID: h.tenant.id)
        return ([ticket.title, ticket.description, ticket.reply ?? "", ticket.location.address ?? "", ticket.evaluation?.comment ?? "",
                 ticket.complainant.name ?? "", ticket.complainant.phone ?? "", ticket.complainant.email ?? ""]
                + events.flatMap(\.payload.values) + messages.map(\.text) + messages.compactMap(\.recipient)).joined(separator: "\n")
    }

    @Test("the purge erases finished tickets past the cutoff only; texts redacted, rates and events' facts unchanged; idempotent", arguments: Engine.available)
    func purge(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let old = try await Self.worked(h, at: Self.t0, finish: true)
            let open = try await Self.worked(h, at: Self.t0.addingTimeInterval(Self.day), finish: false)
            let recent = try await Self.worked(h, at: Self.t0.addingTimeInterval(20 * Self.day), finish: true, phone: "13800002222")
            let period = AssessmentPeriod(from: "2026-11-01", to: "2027-01-01")
            let counts = try await h.store.unitCounts(tenantID: h.tenant.id, period: period)
            let facts = try await h.store.events(ticketID: old.id, tenantID: h.tenant.id).flatMap { AssessmentFact.facts(of: $0, days: DayKeys(identifier: "Asia/Shanghai")) }
            #expect(counts["u1"] != nil)

            let cutoff = Self.t0.addingTimeInterval(10 * Self.day)
            let due = try await h.store.retentionDue(tenantID: h.tenant.id, before: cutoff, after: nil, limit: 100)
            #expect(due.map(\.number) == [old.number], "only the finished ticket before the cutoff")
            let context = TicketStateMachine.Context(now: Self.t0.addingTimeInterval(1100 * Self.day), actor: .system, city: .test(StoreHarness.policy))
            #expect(try await h.store.eraseContacts(numbers: due.map(\.number), tenantID: h.tenant.id, basis: .retention, note: "retention: 1095 days",
                                                   finishedBefore: cutoff, context: context) == 1)

            let erased = try #require(try await h.store.ticket(number: old.number, tenantID: h.tenant.id))
            #expect(erased.complainant == Complainant() && erased.status == .closed && erased.evaluation?.satisfaction == .satisfied)
            let text = try await Self.texts(h, old)
            for secret in Self.secrets { #expect(!text.contains(secret), "\(secret) survives the purge") }
            #expect(text.contains("已联系[name] [phone]"), "the contact note is redacted, not dropped")
            let events = try await h.store.events(ticketID: old.id, tenantID: h.tenant.id)
            let last = try #require(events.last)
            #expect(last.type == .contactsErased && last.actor == .system && last.payload["basis"] == "retention" && last.payload["fields"] == "name,phone,email")
            #expect(events.flatMap { AssessmentFact.facts(of: $0, days: DayKeys(identifier: "Asia/Shanghai")) } == facts, "the events count the same")
            #expect(try await h.store.unitCounts(tenantID: h.tenant.id, period: period) == counts, "the rates are unchanged")
            #expect(try await h.store.notifications(number: old.number, tenantID: h.tenant.id).allSatisfy { $0.recipient == nil })

            // The open ticket and the recent one keep everything.
            for kept in [open, recent] {
                #expect(try await h.store.ticket(number: kept.number, tenantID: h.tenant.id)?.complainant.name == "王芳")
                #expect(try await Self.texts(h, kept).contains("13912345678"))
            }
            // Nothing left to do.
            #expect(try await h.store.retentionDue(tenantID: h.tenant.id, before: cutoff, after: nil, limit: 100).isEmpty)
            #expect(try await h.store.eraseContacts(numbers: [old.number], tenantID: h.tenant.id, basis: .retention, note: nil, finishedBefore: cutoff, context: context) == 0)
            #expect(try await h.store.events(ticketID: old.id, tenantID: h.tenant.id).count == events.count)
            // A ticket reopened since it was listed is not erased.
            #expect(try await h.store.eraseContacts(numbers: [open.number], tenantID: h.tenant.id, basis: .retention, note: nil, finishedBefore: cutoff, context: context) == 0)

            // Repeat callers: the days and months before the cutoff go, later ones stay.
            let before = try await h.store.repeats(tenantID: h.tenant.id, kind: .caller, range: DayRange(from: "2026-11-01", to: "2026-12-31"), minimum: 1, limit: 10)
            #expect(before.reduce(0) { $0 + $1.tickets } == 3)
            #expect(try await h.store.purgeRepeatCallers(tenantID: h.tenant.id, before: "2026-11-28") > 0)
            let after = try await h.store.repeats(tenantID: h.tenant.id, kind: .caller, range: DayRange(from: "2026-11-01", to: "2026-12-31"), minimum: 1, limit: 10)
            #expect(after.reduce(0) { $0 + $1.tickets } == 1, "only the caller of 8 December is left")
            #expect(try await h.store.repeats(tenantID: h.tenant.id, kind: .address, range: DayRange(from: "2026-11-01", to: "2026-12-31"), minimum: 1, limit: 10).count > 0)
        }
    }

    @Test("the event log stays append-only: texts may be redacted only on a ticket whose erasure is recorded", arguments: Engine.available)
    func appendOnly(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let kept = try await Self.worked(h, at: Self.t0, finish: false)
            let erased = try await Self.worked(h, at: Self.t0, finish: false, phone: "13800002222")
            let context = TicketStateMachine.Context(now: Self.t0.addingTimeInterval(Self.day), actor: Actor(name: "s", role: .supervisor), city: .test(StoreHarness.policy))
            #expect(try await h.store.eraseContacts(numbers: [erased.number], tenantID: h.tenant.id, basis: .request, note: "ref 9", finishedBefore: nil, context: context) == 1)
            let db = h.store.backend
            for statement: SQLQueryString in [
                "UPDATE events SET payload = '{}' WHERE ticket_id = \(bind: kept.id)",
                "UPDATE events SET type = 'closed' WHERE ticket_id = \(bind: erased.id)",
                "UPDATE events SET at = 0 WHERE ticket_id = \(bind: erased.id)",
                "DELETE FROM events WHERE ticket_id = \(bind: erased.id)",
            ] {
                await #expect(throws: (any Error).self) { try await db.transaction { try await $0.raw(statement).run() } }
            }
            try await db.transaction { try await $0.raw("UPDATE events SET payload = payload WHERE ticket_id = \(bind: erased.id)").run() }
        }
    }

    @Test("one complainant's request: her tickets found by phone in any writing or by e-mail; her repeat counts go", arguments: Engine.available)
    func request(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let a = try await Self.worked(h, at: Self.t0, finish: true)
            let b = try await Self.worked(h, at: Self.t0.addingTimeInterval(Self.day), finish: false, phone: "+86 139-1234-5678")
            let other = try await Self.worked(h, at: Self.t0, finish: false, phone: "13800002222")
            #expect(try await h.store.tickets(ofComplainantPhone: "13912345679", email: nil, tenantID: h.tenant.id) { _ in }.isEmpty, "the digits must match")
            for writing in ["139 1234 5678", "+8613912345678", "0086 139 1234 5678"] {
                #expect(Set(try await h.store.tickets(ofComplainantPhone: writing, email: nil, tenantID: h.tenant.id) { _ in }) == [a.number, b.number], "\(writing)")
            }
            #expect(Set(try await h.store.tickets(ofComplainantPhone: nil, email: "WF@example.com", tenantID: h.tenant.id) { _ in }) == [a.number, b.number, other.number])
            let context = TicketStateMachine.Context(now: Self.t0.addingTimeInterval(2 * Self.day), actor: Actor(name: "s", role: .supervisor), city: .test(StoreHarness.policy))
            #expect(try await h.store.eraseContacts(numbers: [a.number, b.number], tenantID: h.tenant.id, basis: .request, note: "ref 9", finishedBefore: nil, context: context) == 2)
            let callers = try await h.store.repeats(tenantID: h.tenant.id, kind: .caller, range: DayRange(from: "2026-11-01", to: "2026-12-01"), minimum: 1, limit: 10)
            #expect(!callers.contains { $0.label.hasSuffix("5678") }, "her repeat counts are gone")
            #expect(callers.contains { $0.label.hasSuffix("2222") }, "another caller's stay")
        }
    }

    @Test("after a purge the SQLite file holds none of the complainant's data, in any page or the WAL")
    func sqliteFile() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sr-erase-\(UUID().uuidString).sqlite").path
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        let tenant = Tenant(id: "t-erase", name: "Test City", timeZone: "Asia/Shanghai")
        let store = try await SQLTicketStore.open(url: path, contacts: .ephemeral())
        let h = StoreHarness(store: store, tenant: tenant, path: path, url: path)
        try await store.running { store in
            try await store.migrate()
            try await store.saveTenant(tenant)
            var numbers: [String] = []
            for i in 0..<30 { numbers.append(try await Self.worked(h, at: Self.t0.addingTimeInterval(Double(i) * 600), finish: true, address: "朝阳路 1 号").number) }
            let context = TicketStateMachine.Context(now: Self.t0.addingTimeInterval(1100 * Self.day), actor: .system, city: .test(StoreHarness.policy))
            #expect(try await store.eraseContacts(numbers: numbers, tenantID: tenant.id, basis: .request, note: nil, finishedBefore: nil, context: context) == 30)
            #expect(try await store.purgeRepeatCallers(tenantID: tenant.id, before: "2027-01-01") >= 0)
        }
        var bytes = Data()
        for suffix in ["", "-wal"] { bytes.append(FileManager.default.contents(atPath: path + suffix) ?? Data()) }
        #expect(bytes.count > 100_000)
        for secret in Self.secrets + ["已联系王芳"] { #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is still in the SQLite file") }
    }
}

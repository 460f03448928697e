import Foundation
import ResponseCore
import SQLKit
import Testing
@testable import ResponseStore

@Suite("Ticket store (SQLite and PostgreSQL)")
struct TicketStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_794_960_000)  // 2026-11-18 00:00 UTC = 08:00 in Shanghai

    @Test(arguments: Engine.available)
    func migrationsAreIdempotent(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            try await h.store.migrate()
            try await h.store.migrate()
            #expect(try await h.store.appliedMigrations() == Migration.all.map(\.version))
        }
    }

    @Test(arguments: Engine.available)
    func createAndReadBack(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let t = try await h.file("小区噪音扰民", description: "夜间施工 at night", category: "01.02.03", district: "chaoyang", at: Self.t0)
            #expect(t.number == "20261118-000001")
            #expect(t.status == .received)
            let back = try #require(try await h.store.ticket(number: t.number, tenantID: h.tenant.id))
            #expect(back == t)
            let events = try await h.store.events(ticketID: t.id, tenantID: h.tenant.id)
            #expect(events.count == 1)
            #expect(events.first?.type == .created)
            #expect(events.first?.payload["kind"] == "complaint")
            #expect(try await h.store.ticket(number: t.number, tenantID: "other-city") == nil)
        }
    }

    @Test(arguments: Engine.available)
    func numbersAreDailyAndUniqueUnderConcurrency(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let numbers = try await withThrowingTaskGroup(of: String.self) { group in
                for i in 0..<40 { group.addTask { try await h.file("t\(i)", at: Self.t0).number } }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(Set(numbers).count == 40)
            #expect(Set(numbers) == Set((1...40).map { String(format: "20261118-%06d", $0) }))
            // 16:30 UTC is already the next day in Shanghai: the counter starts again.
            let next = try await h.file("next day", at: Self.t0.addingTimeInterval(16.5 * 3600))
            #expect(next.number == "20261119-000001")
        }
    }

    @Test(arguments: Engine.available)
    func transitionsUpdateTheRowAndAppendEvents(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            var t = try await h.file("路灯不亮", at: Self.t0)
            t = try await h.apply(.dispatch(leadUnit: "street-1", coUnits: ["power"], note: nil), to: t, at: Self.t0.addingTimeInterval(60))
            t = try await h.apply(.accept, to: t, at: Self.t0.addingTimeInterval(120))
            t = try await h.apply(.contact(note: "called"), to: t, at: Self.t0.addingTimeInterval(180))
            t = try await h.apply(.reply(text: "repaired", resolved: true), to: t, at: Self.t0.addingTimeInterval(240))
            t = try await h.apply(.evaluate(Evaluation(contacted: true, resolved: true, satisfaction: .basicallySatisfied, comment: "ok")), to: t, at: Self.t0.addingTimeInterval(300))
            t = try await h.apply(.close(note: nil), to: t, at: Self.t0.addingTimeInterval(360))
            let stored = try #require(try await h.store.ticket(number: t.number, tenantID: h.tenant.id))
            #expect(stored == t)
            #expect(stored.status == .closed)
            #expect(stored.coUnits == ["power"])
            #expect(stored.evaluation?.satisfaction == .basicallySatisfied)
            #expect(stored.version == 7)
            let events = try await h.store.events(ticketID: t.id, tenantID: h.tenant.id)
            #expect(events.map(\.type) == [.created, .dispatched, .accepted, .contacted, .replied, .evaluated, .closed])
            #expect(events.map(\.sequence) == Array(1...7))
        }
    }

    @Test(arguments: Engine.available)
    func refusedActionsChangeNothing(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let t = try await h.file("x", at: Self.t0)
            await #expect(throws: TransitionError.self) { try await h.apply(.accept, to: t, at: Self.t0) }
            await #expect(throws: TransitionError.staleVersion(expected: 5, actual: 1)) {
                try await h.apply(.dispatch(leadUnit: "u", coUnits: [], note: nil), to: t, at: Self.t0, version: 5)
            }
            await #expect(throws: TransitionError.self) { try await h.apply(.merge(into: "20991231-000001"), to: t, at: Self.t0) }
            await #expect(throws: StoreError.forbidden("no")) {
                try await h.store.apply(.dispatch(leadUnit: "u", coUnits: [], note: nil), number: t.number, tenantID: h.tenant.id, expectedVersion: nil,
                                        context: .init(now: Self.t0, actor: .system, city: .test(StoreHarness.policy))) { _ in throw StoreError.forbidden("no") }
            }
            await #expect(throws: StoreError.notFound("no ticket 20261118-000999")) {
                try await h.store.apply(.accept, number: "20261118-000999", tenantID: h.tenant.id, expectedVersion: nil,
                                        context: .init(now: Self.t0, actor: .system, city: .test(StoreHarness.policy))) { _ in }
            }
            #expect(try await h.store.ticket(number: t.number, tenantID: h.tenant.id) == t)
            #expect(try await h.store.events(ticketID: t.id, tenantID: h.tenant.id).count == 1)
        }
    }

    @Test(arguments: Engine.available)
    func mergeIntoAnExistingTicket(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let parent = try await h.file("parent", at: Self.t0)
            let child = try await h.file("child", at: Self.t0)
            let merged = try await h.apply(.merge(into: parent.number), to: child, at: Self.t0)
            #expect(merged.status == .merged)
            #expect(merged.mergedInto == parent.number)
            let third = try await h.file("third", at: Self.t0)
            await #expect(throws: TransitionError.self) { try await h.apply(.merge(into: child.number), to: third, at: Self.t0) }
        }
    }

    @Test(arguments: Engine.available)
    func concurrentWritersOnOneTicketNeverLoseAnUpdate(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            var t = try await h.file("x", at: Self.t0)
            t = try await h.apply(.dispatch(leadUnit: "u", coUnits: [], note: nil), to: t, at: Self.t0)
            let snapshot = t
            // 20 urges at once: every one must land as its own event with its own sequence.
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<20 { group.addTask { _ = try await h.apply(.urge(note: nil), to: snapshot, at: Self.t0) } }
                try await group.waitForAll()
            }
            let events = try await h.store.events(ticketID: t.id, tenantID: h.tenant.id)
            #expect(events.count == 22)
            #expect(events.map(\.sequence) == Array(1...22))
            #expect(try await h.store.ticket(number: t.number, tenantID: h.tenant.id)?.version == 22)
        }
    }

    @Test(arguments: Engine.available)
    func theEventLogIsAppendOnly(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let t = try await h.file("x", at: Self.t0)
            await #expect(throws: (any Error).self) {
                try await h.store.backend.transaction { db in try await db.raw("UPDATE events SET type = 'closed' WHERE ticket_id = \(bind: t.id)").run() }
            }
            await #expect(throws: (any Error).self) {
                try await h.store.backend.transaction { db in try await db.raw("DELETE FROM events WHERE ticket_id = \(bind: t.id)").run() }
            }
            #expect(try await h.store.events(ticketID: t.id, tenantID: h.tenant.id).first?.type == .created)
        }
    }

    @Test("a reader never sees a write that has not committed", arguments: Engine.available)
    func readersSeeOnlyCommittedWrites(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let before = try await h.store.countTickets(tenantID: h.tenant.id)
            let tenant = h.tenant
            struct Rollback: Error {}
            await #expect(throws: Rollback.self) {
                try await h.store.backend.transaction { db in
                    let (ticket, _) = NewTicket(kind: .help, channel: .web, title: "uncommitted", description: "")
                        .makeTicket(id: UUID().uuidString, number: "20261118-999999", tenantID: tenant.id, actor: StoreHarness.agent, now: Self.t0)
                    try await SQLTicketStore.insert(tickets: [ticket], contacts: h.store.contacts, on: db)
                    // Inside the open transaction, other connections still see the old state.
                    #expect(try await h.store.countTickets(tenantID: tenant.id) == before)
                    #expect(try await h.store.ticket(number: "20261118-999999", tenantID: tenant.id) == nil)
                    throw Rollback()
                }
            }
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == before)
        }
    }

    @Test("concurrent transactions: a failing one changes nothing, the others commit", arguments: Engine.available)
    func failuresAreIsolatedUnderConcurrency(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            struct Boom: Error {}
            let tenant = h.tenant
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for i in 0..<30 {
                    group.addTask {
                        do {
                            try await h.store.backend.transaction { db in
                                let (ticket, event) = NewTicket(kind: .help, channel: .web, title: "batch \(i)", description: "")
                                    .makeTicket(id: UUID().uuidString, number: "20261118-\(String(format: "%06d", 500 + i))", tenantID: tenant.id, actor: StoreHarness.agent, now: Self.t0)
                                try await SQLTicketStore.insert(tickets: [ticket], contacts: h.store.contacts, on: db)
                                try await SQLTicketStore.insert(events: [event], on: db)
                                if i % 3 == 0 { throw Boom() }  // after writing: the writes must vanish
                            }
                            return true
                        } catch {
                            return false
                        }
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 20)
            #expect(try await h.store.countTickets(tenantID: h.tenant.id) == 20)
            for i in stride(from: 0, to: 30, by: 3) {
                let number = "20261118-" + String(format: "%06d", 500 + i)
                let found = try await h.store.ticket(number: number, tenantID: h.tenant.id)
                #expect(found == nil, "\(number) was rolled back")
            }
        }
    }
}

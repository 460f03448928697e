import Foundation
import SQLKit
import ResponseCore
import Testing
@testable import ResponseStore

@Suite("Deadline sweeper in the store")
struct SweepStoreTests {
    static let start = Date(timeIntervalSince1970: 1_794_790_800)  // 2026-11-16 09:00 Beijing

    @Test("two sweepers at once (two server instances) take every due step exactly once", arguments: Engine.available)
    func concurrentSweepsDoNotDoubleProcess(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            var numbers: [String] = []
            for i in 0..<120 {
                let t = try await h.file("诉求 \(i)", at: Self.start)
                try await h.apply(.dispatch(leadUnit: "unit-\(i % 4)", coUnits: [], note: nil), to: t, at: Self.start)
                numbers.append(t.number)
            }
            let now = Self.start.addingTimeInterval(3 * 3600)  // past every accept deadline (2 h)
            let tenantID = h.tenant.id
            let context: @Sendable (Ticket) -> TicketStateMachine.Context = { _ in
                .init(now: now, actor: .system, city: .test(StoreHarness.policy, accountability: .standard))
            }
            @Sendable func sweepTogether(_ second: SQLTicketStore) async throws -> [Int] {
                try await withThrowingTaskGroup(of: Int.self) { group in
                    for store in [h.store, second] {
                        group.addTask {
                            var events = 0
                            while true {
                                let batch = try await store.sweep(now: now, limit: 7, tenantID: tenantID, context: context)
                                events += batch.events
                                if batch.claimed < 7 { return events }
                            }
                        }
                    }
                    return try await group.reduce(into: [Int]()) { $0.append($1) }
                }
            }
            // A second store on the same database plays the second instance (on SQLite, whose
            // one writer serialises everything, the same store twice).
            let totals = engine == .postgres
                ? try await SQLTicketStore.withStore(url: try #require(Engine.postgresURL), contacts: h.store.contacts) { try await sweepTogether($0) }
                : try await sweepTogether(h.store)
            #expect(totals.reduce(0, +) == 120, "one accept-deadline notice per ticket, whoever took it: \(totals)")
            let notices = try await h.store.events(tenantID: tenantID, types: [.overdue], from: Self.start, to: now.addingTimeInterval(1), limit: 1_000)
            #expect(notices.count == 120)
            #expect(Set(notices.map(\.number)) == Set(numbers), "every ticket exactly once")
            #expect(notices.allSatisfy { $0.event.payload["deadline"] == "accept" && $0.event.actor == .system })
            // Idempotent: the same instant again finds nothing; the counters saw each notice once.
            let again = try await h.store.sweep(now: now, limit: 100, tenantID: tenantID, context: context)
            #expect(again.claimed == 0 && again.events == 0)
            let ticket = try #require(try await h.store.ticket(number: numbers[0], tenantID: tenantID))
            #expect(ticket.oversight.marks["breach.accept"] == ticket.deadlines.accept)
            #expect(ticket.oversight.nextCheck == ticket.deadlines.firstContact.map { Date(millisecondsSince1970: $0.millisecondsSince1970 + 1) })
        }
    }

    @Test("rows migrated without a next check are looked at once and rescheduled", arguments: Engine.available)
    func oldRowsAreRescheduled(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let t = try await h.file("old", at: Self.start)
            try await h.apply(.dispatch(leadUnit: "u", coUnits: [], note: nil), to: t, at: Self.start)
            // As migration 4 leaves open work filed before it.
            try await h.store.backend.transaction { db in
                try await db.raw("UPDATE tickets SET next_check_at = 0, oversight = '' WHERE number = \(bind: t.number)").run()
            }
            let now = Self.start.addingTimeInterval(60)
            let batch = try await h.store.sweep(now: now, limit: 10, tenantID: h.tenant.id) { _ in
                .init(now: now, actor: .system, city: .test(StoreHarness.policy, accountability: .standard))
            }
            #expect(batch.claimed == 1 && batch.events == 0, "nothing is due yet")
            let again = try await h.store.sweep(now: now, limit: 10, tenantID: h.tenant.id) { _ in
                .init(now: now, actor: .system, city: .test(StoreHarness.policy, accountability: .standard))
            }
            #expect(again.claimed == 0, "rescheduled to its first deadline, not looked at again in the same pass")
        }
    }
}

import Foundation
import ResponseCore
import SQLKit
import Testing
@testable import ResponseStore

@Suite("Demand aggregates and alerts in the store (SQLite and PostgreSQL)")
struct DemandStoreTests {
    static let t0 = TicketStoreTests.t0  // 2026-11-18 08:00 in Shanghai
    static let day = "2026-11-18"
    static let november = DayRange(from: "2026-11-01", to: "2026-12-01")

    @Test("repeats over a rolling window reach back across the month's start; a calendar month does not", arguments: Engine.available)
    func rollingRepeats(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            // One caller: twice on 28 November, twice on 1 December (Shanghai time).
            for (day, hour) in [(10, 1.0), (10, 2.0), (13, 1.0), (13, 2.0)] {
                _ = try await h.file("噪音", category: "01.02.03", district: "chaoyang", at: Self.t0.addingTimeInterval(Double(day) * 86_400 + hour * 3600))
            }
            func callers(_ range: DayRange, minimum: Int = 3) async throws -> [Int] {
                try await h.store.repeats(tenantID: h.tenant.id, kind: .caller, range: range, minimum: minimum, limit: 10).map(\.tickets)
            }
            let december = try #require(DayRange.month("2026-12"))
            #expect(try await callers(december).isEmpty, "the calendar month on 2 December sees two calls")
            #expect(try await callers(december, minimum: 2) == [2])
            #expect(try await callers(DayRange.days(7, endingBefore: "2026-12-03")) == [4], "the last 7 days see all four")
            #expect(try await callers(DayRange.days(3, endingBefore: "2026-12-03"), minimum: 2) == [2])
            #expect(try await callers(DayRange(from: "2026-11-29", to: "2026-12-01")).isEmpty, "the days between")
            #expect(try await callers(DayRange(from: "2026-11-01", to: "2026-12-03")) == [4], "a whole month and two days")
            #expect(try await callers(DayRange(from: "2026-10-01", to: "2027-01-01")) == [4], "several whole months")
            #expect(try await h.store.repeats(tenantID: h.tenant.id, kind: .address, range: DayRange.days(30, endingBefore: "2026-12-03"), minimum: 4, limit: 10)
                .first?.lastNumber.hasPrefix("20261201") == true, "the last ticket's number")
            // A second caller: both are listed, most first, each with its own label.
            for hour in [3.0, 4.0] {
                let other = NewTicket(kind: .complaint, channel: .phone, title: "停水", description: "", categoryCode: "03.01",
                                      location: Location(latitude: 39.91, longitude: 116.41, districtCode: "chaoyang"), complainant: Complainant(phone: "13711112222"))
                _ = try await h.store.createTicket(other, tenant: h.tenant, actor: StoreHarness.agent, now: Self.t0.addingTimeInterval(13 * 86_400 + hour * 3600))
            }
            let both = try await h.store.repeats(tenantID: h.tenant.id, kind: .caller, range: DayRange.days(7, endingBefore: "2026-12-03"), minimum: 2, limit: 10)
            #expect(both.map(\.tickets) == [4, 2] && both.map(\.label) == ["*******1234", "*******2222"])
            #expect(both.allSatisfy { $0.lastNumber.hasPrefix("20261201") })
            // A rebuild fills the days as filing did.
            _ = try await h.store.rebuildDemand(tenantID: h.tenant.id, timeZone: h.tenant.timeZone) { _ in }
            #expect(try await callers(DayRange.days(7, endingBefore: "2026-12-03")) == [4])
        }
    }

    @Test("filing counts each ticket by day, category, place and cell; re-classifying moves it; repeats count callers and places", arguments: Engine.available)
    func aggregates(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let range = DayRange(from: Self.day, to: "2026-11-19")
            var tickets: [Ticket] = []
            for k in 0..<3 { tickets.append(try await h.file("噪音", category: "01.02.03", district: "chaoyang", at: Self.t0.addingTimeInterval(Double(k * 60)))) }
            tickets.append(try await h.file("停水", category: "03.01.01", district: "haidian", street: "hd-07", at: Self.t0.addingTimeInterval(600)))
            var counts = try await h.store.demandCounts(tenantID: h.tenant.id, range: range, district: nil, street: nil)
            #expect(Set(counts.map { "\($0.category)@\($0.district)=\($0.tickets)" }) == ["01.02.03@chaoyang=3", "03.01.01@haidian=1"])
            #expect(try await h.store.demandCounts(tenantID: h.tenant.id, range: range, district: "haidian", street: nil).map(\.tickets) == [1])
            #expect(try await h.store.demandCounts(tenantID: h.tenant.id, range: range.previous, district: nil, street: nil).isEmpty)
            let street = try await h.store.demandCounts(tenantID: h.tenant.id, range: range, district: nil, street: "hd-07")
            #expect(street.map { "\($0.category)@\($0.street)=\($0.tickets)" } == ["03.01.01@hd-07=1"])
            #expect(try await h.store.demandCounts(tenantID: h.tenant.id, range: range, district: nil, street: "hd-08").isEmpty)

            // The dispatcher corrects a category: the count moves, the total stays.
            _ = try await h.apply(.triage(Triage(categoryCode: "01.05", districtCode: nil, streetCode: nil, notes: [:])), to: tickets[0], at: Self.t0.addingTimeInterval(900))
            counts = try await h.store.demandCounts(tenantID: h.tenant.id, range: range, district: nil, street: nil)
            #expect(Set(counts.map { "\($0.category)@\($0.district)=\($0.tickets)" }) == ["01.02.03@chaoyang=2", "01.05@chaoyang=1", "03.01.01@haidian=1"])
            // Whole months are read from the monthly table: the same answer.
            let month = try await h.store.demandCounts(tenantID: h.tenant.id, range: DayRange(from: "2026-11-01", to: "2026-12-01"), district: nil, street: nil)
            #expect(Set(month.map { "\($0.category)=\($0.tickets)" }) == Set(counts.map { "\($0.category)=\($0.tickets)" }))

            let cells = try await h.store.demandCells(tenantID: h.tenant.id, range: range, categories: ["01.02.03", "01.05"], cells: nil, minimumPerCell: 1)
            #expect(cells.reduce(0) { $0 + $1.tickets } == 3)
            #expect(Set(cells.map(\.cell)) == [GridCell(latitude: 39.9, longitude: 116.4)])
            let here = try #require(GridCell(latitude: 39.9, longitude: 116.4)).id
            #expect(try await h.store.demandCells(tenantID: h.tenant.id, range: range, categories: nil, cells: [here], minimumPerCell: 1).reduce(0) { $0 + $1.tickets } == 4)
            #expect(try await h.store.demandCells(tenantID: h.tenant.id, range: range, categories: nil, cells: [here + 1], minimumPerCell: 1).isEmpty)
            #expect(try await h.store.demandCells(tenantID: h.tenant.id, range: range, categories: [], cells: nil, minimumPerCell: 1).isEmpty)
            #expect(try await h.store.demandCells(tenantID: h.tenant.id, range: range, categories: nil, cells: nil, minimumPerCell: 1).reduce(0) { $0 + $1.tickets } == 4)
            #expect(try await h.store.demandCells(tenantID: h.tenant.id, range: range, categories: nil, cells: nil, minimumPerCell: 2).map(\.tickets) == [2], "cells below the floor stay in the database")

            // The harness files every ticket from one phone and one address.
            let callers = try await h.store.repeats(tenantID: h.tenant.id, kind: .caller, range: Self.november, minimum: 2, limit: 10)
            #expect(callers.count == 1)
            #expect(callers.first?.tickets == 4, "re-classifying is not a new call")
            #expect(callers.first?.label == "*******1234")
            #expect(callers.first?.lastNumber == tickets[3].number)
            #expect(try await h.store.repeats(tenantID: h.tenant.id, kind: .address, range: Self.november, minimum: 2, limit: 10).first?.tickets == 4)
            #expect(try await h.store.repeats(tenantID: h.tenant.id, kind: .caller, range: Self.november, minimum: 5, limit: 10).isEmpty)

            let recent = try await h.store.recentTickets(tenantID: h.tenant.id, categories: ["01.02.03", "03.01.01"], from: Self.t0, to: Self.t0.addingTimeInterval(3600),
                                                         district: nil, limit: 2)
            #expect(recent.map(\.number) == [tickets[3].number, tickets[2].number], "newest first across categories")
            let box = GeoBounds(south: 39.8, west: 116.3, north: 40, east: 116.5)
            let placed = try await h.store.placedTickets(tenantID: h.tenant.id, categories: ["01.02.03", "03.01.01"], from: Self.t0, to: Self.t0.addingTimeInterval(3600), bounds: box, limit: 2)
            #expect(placed.map(\.number) == [tickets[3].number, tickets[2].number], "the newest across the categories, newest first")
            #expect(placed.allSatisfy { box.south <= $0.latitude && $0.latitude <= box.north && box.west <= $0.longitude && $0.longitude <= box.east })
            #expect(try await h.store.placedTickets(tenantID: h.tenant.id, categories: ["01.02.03", "03.01.01"], from: Self.t0, to: Self.t0.addingTimeInterval(3600),
                                                    bounds: GeoBounds(south: 30, west: 100, north: 31, east: 101), limit: 10).isEmpty, "none outside the box")

            // A rebuild from the tickets gives the live figures back.
            let before = Set(counts.map { "\($0.category)@\($0.district)=\($0.tickets)" })
            #expect(try await h.store.rebuildDemand(tenantID: h.tenant.id, timeZone: h.tenant.timeZone) { _ in } == 4)
            let rebuilt = try await h.store.demandCounts(tenantID: h.tenant.id, range: range, district: nil, street: nil)
            #expect(Set(rebuilt.map { "\($0.category)@\($0.district)=\($0.tickets)" }) == before)
            #expect(try await h.store.repeats(tenantID: h.tenant.id, kind: .caller, range: Self.november, minimum: 2, limit: 10).first?.tickets == 4)
            // What an import does at its end (ANALYZE on PostgreSQL), and the figures are as they were.
            try await h.store.refreshStatistics()
            #expect(Set(try await h.store.demandCounts(tenantID: h.tenant.id, range: range, district: nil, street: nil).map { "\($0.category)@\($0.district)=\($0.tickets)" }) == before)
        }
    }

    @Test("filings page in filing order; alerts are stored once, listed, and acknowledged once", arguments: Engine.available)
    func filingsAndAlerts(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            for k in 0..<5 { _ = try await h.file("t\(k)", category: "01", district: "chaoyang", at: Self.t0.addingTimeInterval(Double(k / 2))) }
            let first = try await h.store.filings(tenantID: h.tenant.id, from: Self.t0, to: Self.t0.addingTimeInterval(60), after: nil, limit: 3)
            #expect(first.count == 3)
            let last = try #require(first.last)
            let rest = try await h.store.filings(tenantID: h.tenant.id, from: last.createdAt, to: Self.t0.addingTimeInterval(60), after: last.id, limit: 10)
            #expect(rest.count == 2)
            #expect(Set((first + rest).map(\.id)).count == 5)
            #expect(first.allSatisfy { $0.category == "01" && $0.district == "chaoyang" && $0.channel == .phone })

            let alert = SpikeAlert(tenantID: h.tenant.id, category: "01", district: "chaoyang", windowMinutes: 60, onset: Self.t0, detectedAt: Self.t0.addingTimeInterval(300),
                                   observed: 9, expected: 0.4, probability: 1e-9, now: Self.t0.addingTimeInterval(301))
            #expect(try await h.store.saveAlert(alert))
            #expect(try await h.store.saveAlert(alert) == false, "a second server seeing the same spike stores nothing")
            let listed = try await h.store.alerts(tenantID: h.tenant.id, from: Self.t0, to: Self.t0.addingTimeInterval(3600), status: .open, limit: 10)
            #expect(listed == [alert])
            let acknowledged = try #require(try await h.store.acknowledgeAlert(id: alert.id, tenantID: h.tenant.id, by: "sup", at: Self.t0.addingTimeInterval(400)))
            #expect(acknowledged.status == .acknowledged && acknowledged.acknowledgedBy == "sup")
            let again = try await h.store.acknowledgeAlert(id: alert.id, tenantID: h.tenant.id, by: "other", at: Self.t0.addingTimeInterval(500))
            #expect(again?.acknowledgedBy == "sup", "the first to take it in hand stays on record")
            #expect(try await h.store.acknowledgeAlert(id: "al-none", tenantID: h.tenant.id, by: "sup", at: Self.t0) == nil)
            #expect(try await h.store.alerts(tenantID: h.tenant.id, from: Self.t0, to: Self.t0.addingTimeInterval(3600), status: .open, limit: 10).isEmpty)
            #expect(try await h.store.alerts(tenantID: "other-city", from: Self.t0, to: Self.t0.addingTimeInterval(3600), status: nil, limit: 10).isEmpty)
            #expect(try await h.store.claimAlertAnnouncements(tenantID: h.tenant.id, now: Self.t0.addingTimeInterval(9_999), lease: 60, limit: 10).isEmpty,
                    "stored without a webhook: nothing to announce")

            // An announced alert: claimed under a lease, retried when due, done once sent.
            let loud = SpikeAlert(tenantID: h.tenant.id, category: "02", district: "chaoyang", windowMinutes: 60, onset: Self.t0, detectedAt: Self.t0.addingTimeInterval(300),
                                  observed: 9, expected: 0.4, probability: 1e-9, now: Self.t0.addingTimeInterval(301))
            #expect(try await h.store.saveAlert(loud, announce: true))
            let t = Self.t0.addingTimeInterval(301)
            let claimed = try await h.store.claimAlertAnnouncements(tenantID: h.tenant.id, now: t, lease: 60, limit: 10)
            #expect(claimed.map { $0.alert.id } == [loud.id] && claimed.map { $0.attempt } == [1])
            #expect(try await h.store.claimAlertAnnouncements(tenantID: h.tenant.id, now: t.addingTimeInterval(10), lease: 60, limit: 10).isEmpty, "leased to the first claimer")
            try await h.store.finishAlertAnnouncement(id: loud.id, sent: false, nextAttempt: t.addingTimeInterval(30))
            #expect(try await h.store.claimAlertAnnouncements(tenantID: h.tenant.id, now: t.addingTimeInterval(29), lease: 60, limit: 10).isEmpty)
            #expect(try await h.store.claimAlertAnnouncements(tenantID: h.tenant.id, now: t.addingTimeInterval(30), lease: 60, limit: 10).map { $0.attempt } == [2])
            #expect(try await h.store.claimAlertAnnouncements(tenantID: h.tenant.id, now: t.addingTimeInterval(200), lease: 60, limit: 10).map { $0.attempt } == [3],
                    "a claimer that died: tried again after the lease")
            try await h.store.finishAlertAnnouncement(id: loud.id, sent: true, nextAttempt: nil)
            #expect(try await h.store.claimAlertAnnouncements(tenantID: h.tenant.id, now: t.addingTimeInterval(99_999), lease: 60, limit: 10).isEmpty)
        }
    }

    @Test("an answer (a brief, a view) is kept per city and name; a newer one replaces it, an older one does not; a rebuild drops them", arguments: Engine.available)
    func briefs(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let first = StoredAnswer(tenantID: h.tenant.id, name: Self.day, generatedAt: Self.t0, body: Data(#"{"tickets":1}"#.utf8))
            try await h.store.saveAnswer(first)
            #expect(try await h.store.storedAnswer(tenantID: h.tenant.id, name: Self.day) == first)
            #expect(try await h.store.storedAnswer(tenantID: h.tenant.id, name: "2026-11") == nil)
            #expect(try await h.store.storedAnswer(tenantID: "other-city", name: Self.day) == nil)
            var newer = first
            newer.generatedAt = Self.t0.addingTimeInterval(60)
            newer.body = Data(#"{"tickets":2}"#.utf8)
            try await h.store.saveAnswer(newer)
            var older = first
            older.body = Data(#"{"tickets":0}"#.utf8)
            try await h.store.saveAnswer(older)
            #expect(try await h.store.storedAnswer(tenantID: h.tenant.id, name: Self.day) == newer, "a slower builder that started earlier does not win")
            _ = try await h.store.rebuildDemand(tenantID: h.tenant.id, timeZone: h.tenant.timeZone) { _ in }
            #expect(try await h.store.storedAnswer(tenantID: h.tenant.id, name: Self.day) == nil)
        }
    }

    @Test("topics keep every version in an append-only log and refuse a stale change", arguments: Engine.available)
    func topics(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let id = "tp-" + h.tenant.id
            let topic = Topic(id: id, tenantID: h.tenant.id, month: "2026-11", title: "噪音", leadUnit: "cy",
                              problems: [.init(title: "工地", categories: ["01"])], updatedAt: Self.t0, updatedBy: "sup")
            let first = try await h.store.saveTopic(topic, expectedVersion: nil)
            var next = first
            next.status = .active
            let second = try await h.store.saveTopic(next, expectedVersion: 1)
            #expect(second.version == 2)
            await #expect(throws: StoreError.self) { _ = try await h.store.saveTopic(next, expectedVersion: 1) }
            #expect(try await h.store.topic(id: id, tenantID: h.tenant.id)?.status == .active)
            #expect(try await h.store.topicHistory(id: id, tenantID: h.tenant.id).map(\.version) == [1, 2])
            #expect(try await h.store.topics(tenantID: h.tenant.id, month: "2026-10").isEmpty)
            await #expect(throws: (any Error).self) {
                try await h.store.backend.transaction { db in try await db.raw("UPDATE topic_log SET actor = 'someone else' WHERE topic_id = \(bind: id)").run() }
            }
            await #expect(throws: (any Error).self) {
                try await h.store.backend.transaction { db in try await db.raw("DELETE FROM topic_log WHERE topic_id = \(bind: id)").run() }
            }
            #expect(try await h.store.topicHistory(id: id, tenantID: h.tenant.id).allSatisfy { $0.updatedBy == "sup" })
        }
    }
}

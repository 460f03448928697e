import Foundation
import HTTPTypes
import ResponseCore
import ResponseDispatch
import ResponseServer
import Testing

/// One server, two cities on opposite sides of the date line: each city's ticket numbers,
/// deadlines and live counters follow its own calendar, so its live assessment equals the replay
/// of its event log. (The configured city and the deadline policy are in Asia/Shanghai; the
/// second city is in America/New_York.)
@Suite("Cities in different time zones")
struct CityZonesHTTPTests {
    /// Friday 2026-07-31 23:10 in New York: already Saturday 1 August, 11:10, in Shanghai — another
    /// month, and not a working day.
    static let start = Date(timeIntervalSince1970: 1_785_553_800)

    struct TicketDTO: Decodable {
        struct Deadlines: Decodable { var accept: Date?; var resolution: Date? }
        var number: String
        var status: String
        var deadlines: Deadlines
    }

    struct ReplayDTO: Decodable {
        struct Report: Decodable { var units: [Unit] }
        struct Unit: Decodable { var unit: String; var counts: [String: Int] }
        var matchesLive: Bool
        var differingUnits: [String]
        var report: Report
    }

    @Test("a second city in another zone: numbers, deadlines and counters on its own calendar; live equals replay", arguments: Engine.available)
    func secondCityInAnotherZone(engine: Engine) async throws {
        let clock = ManualClock(Self.start)
        try await ServerHarness.run(engine, clock: clock, configure: { $0.dispatch.enabled = false }) { h in
            #expect(h.tenant.timeZone == "Asia/Shanghai")
            let ny = Tenant(id: h.tenant.id + "-ny", name: "New York", timeZone: "America/New_York")
            let prefix = h.prefix + "ny-"
            try await ServerHarness.seed(h.store, tenant: ny, prefix: prefix)
            func login(_ role: String) async throws -> String {
                let reply = try await h.send(.post, "/api/v1/auth/login", json: ["username": prefix + role, "password": ServerHarness.password])
                try #require(reply.status == .ok, "login \(role): \(reply.text)")
                return try #require(reply.json["token"] as? String)
            }
            let agent = try await login("agent"), dispatcher = try await login("dispatcher")
            let handler = try await login("handler"), supervisor = try await login("supervisor")

            let filed = try await h.fileTicket(agent)
            try #require(filed.status == .created, "\(filed.text)")
            let number = try filed.decode(TicketDTO.self).number
            #expect(number.hasPrefix("20260731-"), "numbered by New York's day, not Shanghai's (20260801)")

            func act(_ action: String, _ token: String, _ body: [String: Any] = [:]) async throws -> TicketDTO {
                clock.advance(by: 300)
                let reply = try await h.act(number, action, token, body)
                try #require(reply.status == .ok, "\(action): \(reply.text)")
                return try reply.decode(TicketDTO.self)
            }
            let dispatchedAt = Self.start.addingTimeInterval(300)
            let dispatched = try await act("dispatch", dispatcher, ["leadUnit": "cy-01"])
            let inNewYork = DeadlinePolicy.standard(calendar: BusinessCalendar(timeZone: ny.timeZone))
                .deadlines(kind: .complaint, urgency: .normal, category: "01.01.01", start: dispatchedAt)
            let inShanghai = DeadlinePolicy.standard(calendar: BusinessCalendar(timeZone: h.tenant.timeZone))
                .deadlines(kind: .complaint, urgency: .normal, category: "01.01.01", start: dispatchedAt)
            #expect(inNewYork.resolution != inShanghai.resolution, "the two calendars must disagree for this test to mean anything")
            #expect(dispatched.deadlines.resolution == inNewYork.resolution, "working days counted on New York's calendar")

            _ = try await act("accept", handler)
            _ = try await act("contact", handler, ["note": "called back before midnight"])
            _ = try await act("reply", handler, ["text": "works stopped", "resolved": true])
            _ = try await act("evaluate", agent, ["resolved": true, "satisfaction": "satisfied", "contacted": true])
            #expect(clock.now() < Self.start.addingTimeInterval(3600), "everything happened on 31 July in New York")

            // Every counter of that evening belongs to July in New York (December had not begun there).
            let replay = try await h.send(.get, "/api/v1/assessment/replay?period=2026-07", token: supervisor)
            try #require(replay.status == .ok, "\(replay.text)")
            let result = try replay.decode(ReplayDTO.self)
            #expect(result.matchesLive, "differing units: \(result.differingUnits)")
            let street = try #require(result.report.units.first { $0.unit == "cy-01" })
            #expect(street.counts["assigned"] == 1 && street.counts["rated"] == 1, "\(street.counts)")
            let live = try await h.send(.get, "/api/v1/assessment?period=2026-07", token: supervisor)
            #expect(live.text.contains("\"cy-01\""), "the live figures count the ticket in New York's July")
        }
    }
}

import Foundation
import HTTPTypes
import ResponseCore
import ResponseServer
import Testing

@Suite("GET /metrics: Prometheus text for a scraper's key, requests, filings, queues, overdue work and the database (SQLite and PostgreSQL)")
struct MetricsHTTPTests {
    /// One sample of the text format: `name{label="value",…} number`.
    struct Sample: Equatable {
        var name: String
        var labels: [String: String]
        var value: Double
    }

    /// Parses the exposition format; a line that is not a comment and not a sample fails the test.
    static func parse(_ text: String) -> [Sample] {
        var samples: [Sample] = []
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else {
                Issue.record("not a sample: \(line)")
                continue
            }
            let series = line[..<space]
            guard let brace = series.firstIndex(of: "{") else {
                samples.append(Sample(name: String(series), labels: [:], value: value))
                continue
            }
            var labels: [String: String] = [:]
            for pair in series[series.index(after: brace)..<series.index(before: series.endIndex)].split(separator: ",") {
                let parts = pair.split(separator: "=", maxSplits: 1)
                if parts.count == 2 { labels[String(parts[0])] = String(parts[1].dropFirst().dropLast()) }
            }
            samples.append(Sample(name: String(series[..<brace]), labels: labels, value: value))
        }
        return samples
    }

    /// The value of the one sample named `name` whose labels include `labels`.
    static func value(_ samples: [Sample], _ name: String, _ labels: [String: String] = [:]) -> Double? {
        let found = samples.filter { sample in sample.name == name && labels.allSatisfy { sample.labels[$0.key] == $0.value } }
        return found.count == 1 ? found[0].value : nil
    }

    static func scrape(_ h: ServerHarness, key: String) async throws -> [Sample] {
        let reply = try h.must(try await h.send(.get, "/metrics", headers: [.apiKey: key]))
        #expect(reply.headers[.contentType]?.hasPrefix("text/plain; version=0.0.4") == true)
        return parse(reply.text)
    }

    @Test(arguments: Engine.available)
    func aScraperSeesTheWorkAndTheDatabase(engine: Engine) async throws {
        let clock = ManualClock(Date())
        try await ServerHarness.run(engine, clock: clock) { h in
            let admin = try await h.login("admin"), agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            // Only the access rule's roles: nobody anonymous, no supervisor; an admin, or a key.
            #expect(try await h.send(.get, "/metrics").status == .unauthorized)
            #expect(try await h.send(.get, "/metrics", token: try await h.login("supervisor")).status == .forbidden)
            #expect(try await h.send(.get, "/metrics", token: admin).status == .ok)
            let key = try #require(try h.must(try await h.send(.post, "/api/v1/api-keys", token: admin, json: ["name": "prometheus"])).json["key"] as? String)

            let before = try await Self.scrape(h, key: key)
            let city = ["city": h.tenant.id]
            #expect(Self.value(before, "swiftresponse_database_up") == 1)
            #expect((Self.value(before, "swiftresponse_database_bytes") ?? 0) > 0)
            #expect((Self.value(before, "swiftresponse_database_connections", ["state": "max"]) ?? 0) >= 1)
            #expect(Self.value(before, "swiftresponse_overdue_tickets", city) == 0)
            #expect((Self.value(before, "process_resident_memory_bytes") ?? 0) > 1_000_000)

            // Two tickets: one left to a dispatcher, one dispatched by hand and then left to run late.
            let first = try #require(try h.must(try await h.fileTicket(agent)).json["number"] as? String)
            let second = try #require(try h.must(try await h.fileTicket(agent, ["title": "路灯不亮", "description": "小区门口路灯坏了三天"])).json["number"] as? String)
            try h.must(try await h.act(second, "dispatch", dispatcher, ["leadUnit": "cy-01"]))
            _ = first
            clock.advance(by: 40 * 86_400)

            let after = try await Self.scrape(h, key: key)
            let filed = after.filter { $0.name == "swiftresponse_tickets_filed_total" && $0.labels["city"] == h.tenant.id && $0.labels["channel"] == "phone" }
            #expect(filed.map(\.value).reduce(0, +) == 2, "two tickets filed by phone: \(filed)")
            #expect(Self.value(after, "swiftresponse_tickets_open", city.merging(["status": "dispatched"]) { a, _ in a }) == 1)
            let waiting = Self.value(after, "swiftresponse_tickets_open", city.merging(["status": "received"]) { a, _ in a }) ?? 0
            #expect(Self.value(after, "swiftresponse_queue_depth", city.merging(["queue": "dispatch"]) { a, _ in a }) == waiting)
            #expect(Self.value(after, "swiftresponse_overdue_tickets", city) == 1, "the dispatched ticket is 40 days past its deadline")
            #expect((Self.value(after, "swiftresponse_sweeper_lag_seconds", city) ?? 0) > 86_400, "no sweeper ran: its steps are days late")
            let posts = Self.value(after, "http_requests_total", ["route": "/api/v1/tickets", "method": "POST", "status": "201"])
            #expect(posts == 2, "each filing counted once under its route's pattern")
            let latency = after.first { $0.name == "http_request_duration_seconds_count" && $0.labels["route"] == "/api/v1/tickets/{number}/dispatch" }
            #expect(latency?.value == 1, "the dispatch timed under its pattern, not its path")
            #expect(Self.value(after, "http_requests_total", ["route": "/metrics", "status": "401"]) == 1)
        }
    }
}

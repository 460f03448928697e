import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ResponseCore
import ResponseDispatch
import ResponseInsight
import ResponseServer
import ResponseStore
import Synchronization
import Testing

@Suite("Demand insight over HTTP: frequent problems, text groups, hotspots, repeats, spike alerts")
struct InsightHTTPTests {
    @Test("the analyses answer from the aggregates, by role, with names and without personal data", arguments: Engine.available)
    func analyses(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), supervisor = try await h.login("supervisor")
            for k in 0..<6 {
                let reply = try await h.fileTicket(agent, ["location": ["latitude": 39.91 + Double(k) * 0.0001, "longitude": 116.45, "districtCode": "cy", "streetCode": "cy-01"]])
                #expect(reply.status == .created, "\(reply.text)")
            }
            try h.must(await h.fileTicket(agent, ["title": "无类别", "categoryCode": NSNull(), "complainant": ["anonymous": true]]))

            var reply = try await h.send(.get, "/api/v1/insight/frequent?level=1", token: supervisor)
            #expect(reply.status == .ok, "\(reply.text)")
            let frequent = try reply.decode(InsightViews.Frequent.self)
            #expect(frequent.total == 7)
            #expect(frequent.problems.first?.category == "01" && frequent.problems.first?.tickets == 6)
            #expect(frequent.problems.first?.categoryName == "城乡建设")
            #expect(frequent.problems.first?.previous == 0)
            reply = try await h.send(.get, "/api/v1/insight/frequent?level=3&by=district&limit=1", token: supervisor)
            let problems = try reply.decode(InsightViews.Frequent.self).problems
            #expect(problems.count == 1 && problems[0].category == "01.01.01" && problems[0].districtName == "朝阳区")

            reply = try await h.send(.get, "/api/v1/insight/clusters?category=01", token: supervisor)
            #expect(reply.status == .ok, "\(reply.text)")
            let grouped = try reply.decode(InsightViews.Clusters.self)
            #expect(grouped.tickets == 6 && grouped.sampled == 6)
            #expect(grouped.clusters.first?.tickets == 6, "the same complaint six times is one group")

            reply = try await h.send(.get, "/api/v1/insight/hotspots?level=1&tickets=1", token: supervisor)
            #expect(reply.status == .ok, "\(reply.text)")
            let spots = try reply.decode(InsightViews.Hotspots.self).hotspots
            #expect(spots.count == 1)
            #expect(spots.first?.tickets == 6 && spots.first?.unit == "cy-01" && spots.first?.unitName == "建外街道")
            #expect(spots.first?.numbers?.count == 6)
            #expect(spots.first?.growth == nil, "no growth without tickets before")

            reply = try await h.send(.get, "/api/v1/insight/repeats?kind=caller", token: supervisor)
            #expect(reply.status == .ok)
            let items = try reply.decode(RepeatList.self).items
            #expect(items.count == 1 && items[0].tickets == 6 && items[0].label == "*******5678")
            #expect(!reply.text.contains("13912345678"))
            _ = try await h.send(.get, "/api/v1/insight/repeats?kind=address&min=7", token: supervisor).decode(RepeatList.self)

            // The daily brief, as JSON and as a page.
            reply = try await h.send(.get, "/api/v1/insight/brief", token: supervisor)
            #expect(reply.status == .ok, "\(reply.text)")
            let brief = try reply.decode(InsightViews.Brief.self)
            #expect(brief.tickets == 7 && brief.previous == 0 && brief.span == "day")
            #expect(brief.problems.first?.categoryName == "市政管理", "level 2")
            #expect(brief.hotspots.first?.tickets == 6, "a new hotspot")
            #expect(brief.overdue != nil)
            reply = try await h.send(.get, "/api/v1/insight/brief?format=html", token: supervisor)
            #expect(reply.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(reply.text.contains("Daily brief") && reply.text.contains("市政管理") && reply.text.contains("<strong>7</strong> tickets today"))
            #expect(!reply.text.contains("13912345678"))
            #expect(try await h.send(.get, "/api/v1/insight/brief?day=yesterday", token: supervisor).status == .badRequest)
            let month = String(DayKeys(identifier: h.tenant.timeZone).key(Date()).prefix(7))
            reply = try await h.send(.get, "/api/v1/insight/brief?month=\(month)", token: supervisor)
            let monthly = try reply.decode(InsightViews.Brief.self)
            #expect(monthly.span == "month" && monthly.tickets == 7 && monthly.sameDayLastWeek == nil)
            #expect(try await h.send(.get, "/api/v1/insight/brief?month=\(month)&format=html", token: supervisor).text.contains("Monthly brief"))
            #expect(try await h.send(.get, "/api/v1/insight/brief?month=2026-13", token: supervisor).status == .badRequest)

            // Roles and input.
            for (path, role, status) in [("frequent", "agent", HTTPResponse.Status.forbidden), ("hotspots", "handler", .forbidden), ("frequent", nil, .unauthorized), ("frequent", "dispatcher", .ok)] {
                let token: String? = switch role { case nil: nil; case "agent": agent; case let role?: try await h.login(role) }
                let r = try await h.send(.get, "/api/v1/insight/" + path, token: token)
                #expect(r.status == status, "\(path) as \(role ?? "nobody"): \(r.status) \(r.text)")
            }
            for bad in ["frequent?level=9", "frequent?from=2026-02-30", "frequent?from=2026-11-20&to=2026-11-10", "frequent?from=2020-01-01&to=2026-01-01",
                        "frequent?by=street", "clusters", "hotspots?radius=5", "repeats?kind=friend", "repeats?month=2026-13", "alerts?status=closed"] {
                let r = try await h.send(.get, "/api/v1/insight/" + bad, token: supervisor)
                #expect(r.status == .badRequest, "\(bad): \(r.status)")
                #expect(try !r.decode(ProblemView.self).fields.isEmpty, "\(bad) names the field")
            }
            #expect(try await h.send(.get, "/api/v1/insight/clusters?category=99", token: supervisor).status == .notFound)
        }
    }

    struct RepeatList: Decodable {
        struct Item: Decodable { var label: String; var tickets: Int; var lastNumber: String }
        var kind: String
        var from: String
        var to: String
        var month: String?
        var items: [Item]
    }

    @Test("on the 2nd of a month, repeats list the caller who rang four times last week; the calendar month does not", arguments: Engine.available)
    func repeatsRollingWindow(engine: Engine) async throws {
        // 2026-11-28 08:00 in Shanghai, then 2026-12-02 08:00.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_824_000))
        try await ServerHarness.run(engine, clock: clock) { h in
            let agent = try await h.login("agent")
            for k in 0..<4 {
                let reply = try await h.fileTicket(agent, ["title": "夜间施工噪音 \(k)"])
                #expect(reply.status == .created, "\(reply.text)")
                clock.advance(by: 600)
            }
            clock.advance(by: 4 * 86_400 - 2_400)
            let supervisor = try await h.login("supervisor")  // a session from four days ago has expired
            let window = try await h.send(.get, "/api/v1/insight/repeats?kind=caller", token: supervisor).decode(RepeatList.self)
            #expect(window.from == "2026-11-03" && window.to == "2026-12-03" && window.month == nil, "the last 30 days, today included")
            #expect(window.items.map(\.tickets) == [4] && window.items.first?.label == "*******5678")
            #expect(window.items.first?.lastNumber.hasPrefix("20261128") == true)
            let week = try await h.send(.get, "/api/v1/insight/repeats?kind=caller&days=7", token: supervisor).decode(RepeatList.self)
            #expect(week.items.map(\.tickets) == [4] && week.from == "2026-11-26")
            let month = try await h.send(.get, "/api/v1/insight/repeats?kind=caller&month=2026-12", token: supervisor).decode(RepeatList.self)
            #expect(month.items.isEmpty && month.month == "2026-12" && month.from == "2026-12-01")
            let november = try await h.send(.get, "/api/v1/insight/repeats?kind=caller&month=2026-11", token: supervisor).decode(RepeatList.self)
            #expect(november.items.map(\.tickets) == [4])
            #expect(try await h.send(.get, "/api/v1/insight/repeats?kind=caller&days=3", token: supervisor).decode(RepeatList.self).items.isEmpty)
            let range = try await h.send(.get, "/api/v1/insight/repeats?kind=address&from=2026-11-28&to=2026-11-29&min=4", token: supervisor).decode(RepeatList.self)
            #expect(range.items.map(\.tickets) == [4])
            for bad in ["days=0", "days=400", "month=2026-13", "from=2026-11-30&to=2026-11-01"] {
                let r = try await h.send(.get, "/api/v1/insight/repeats?" + bad, token: supervisor)
                #expect(r.status == .badRequest, "\(bad): \(r.status) \(r.text)")
            }
        }
    }

    @Test("a webhook that fails is tried again with back-off until it takes the alert, once", arguments: Engine.available)
    func webhookRetries(engine: Engine) async throws {
        try await WebhookReceiver.run(answer: { _, n in n <= 2 ? .serviceUnavailable : .noContent }) { hook, address in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_579_200))
            try await ServerHarness.run(engine, clock: clock) { h in
                var settings = InsightSettings()
                settings.detector.warmUpDays = 0
                settings.webhook = URL(string: address + "/alerts")
                let monitor = AlertMonitor(store: h.store, tenant: h.tenant, settings: settings, signer: .random(), clock: clock, logger: Logger(label: "test"))
                _ = try await monitor.tick()
                let agent = try await h.login("agent")
                var raised: [SpikeAlert] = []
                for k in 0..<8 where raised.isEmpty {
                    #expect(try await h.fileTicket(agent, ["complainant": ["name": "居民", "phone": "1380000\(1000 + k)"]]).status == .created)
                    clock.advance(by: 30)
                    raised += try await monitor.tick()
                }
                #expect(raised.count == 1, "the fifth ticket")
                #expect(hook.received.count == 1, "the first POST, answered 503")
                clock.advance(by: 20)
                _ = try await monitor.tick()
                #expect(hook.received.count == 1, "not due yet")
                clock.advance(by: 40)
                _ = try await monitor.tick()
                #expect(hook.received.count == 2, "30 s after the first")
                clock.advance(by: 61)
                _ = try await monitor.tick()
                #expect(hook.received.count == 3, "60 s after the second: taken")
                clock.advance(by: 3600)
                _ = try await monitor.tick()
                let bodies = hook.received.map { String(decoding: $0, as: UTF8.self) }
                #expect(bodies.count == 3, "never again once taken")
                #expect(Set(bodies).count == 1 && bodies[0].contains(#""categoryName":"市政管理""#), "the same named alert each time")
            }
        }
    }

    // SQLite only: it counts every city in the store, and the PostgreSQL test database holds every test's cities.
    @Test("the early warning watches every city in the store, each on its own baselines")
    func everyCity() async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_579_200)) // 2026-11-25 12:00 in Beijing
        try await ServerHarness.run(clock: clock) { h in
            var settings = InsightSettings()
            settings.detector.warmUpDays = 0
            let warning = EarlyWarning(store: h.store, settings: settings, signer: .random(), clock: clock, logger: Logger(label: "test"))
            #expect(try await warning.tick().isEmpty)
            #expect(warning.watched == [h.tenant.id])
            // A second city joins while the server runs: it is watched from the next listing.
            let other = Tenant(id: h.tenant.id + "-b", name: "Second City", timeZone: "Europe/London")
            try await h.store.saveTenant(other)
            clock.advance(by: 61)
            #expect(try await warning.tick().isEmpty)
            #expect(warning.watched == [h.tenant.id, other.id])
            var raised: [SpikeAlert] = []
            for k in 0..<8 {
                let new = NewTicket(kind: .complaint, channel: .web, title: "burst main \(k)", description: "water everywhere", categoryCode: "03.01",
                                    location: Location(latitude: 51.5, longitude: -0.12, address: "Strand", districtCode: "westminster", streetCode: nil))
                _ = try await h.store.createTicket(new, tenant: other, actor: Actor(name: "web", role: .agent), now: clock.now())
                clock.advance(by: 30)
                raised += try await warning.tick()
            }
            #expect(raised.count == 1, "one incident: the district's stream (the city's stays silent)")
            #expect(raised.first?.tenantID == other.id && raised.first?.district == "westminster" && raised.first?.category == "03.01")
            #expect(try await h.store.alerts(tenantID: h.tenant.id, from: .distantPast, to: .distantFuture, status: nil, limit: 10).isEmpty)
        }
    }

    // SQLite only: it counts every city in the store, and the PostgreSQL test database holds every test's cities.
    @Test("the server's brief refresher builds every city's briefs, a city added while it runs included")
    func refresherServesEveryCity() async throws {
        try await ServerHarness.run(configure: { $0.dispatch.duplicates.mergeAt = 2; $0.insight.storedRefresh = 1 }) { h in
            let other = Tenant(id: h.tenant.id + "-b", name: "Second City", timeZone: "Europe/London")
            try await h.store.saveTenant(other)
            let today = DayKeys(identifier: other.timeZone).key(Date()), month = String(today.prefix(7))
            var found: StoredAnswer? = nil
            for _ in 0..<100 where found == nil {
                try await Task.sleep(for: .milliseconds(200))
                found = try await h.store.storedAnswer(tenantID: other.id, name: month)
            }
            #expect(found != nil, "the second city's month brief is built within 20 s (the refresher runs every second)")
            #expect(try await h.store.storedAnswer(tenantID: h.tenant.id, name: DayKeys(identifier: h.tenant.timeZone).key(Date())) != nil)
        }
    }

    @Test("briefs are stored and served while they hold: a day in progress for storedMaxAge, an ended one for good; the refresher builds the current and the just-ended", arguments: Engine.available)
    func storedBriefs(engine: Engine) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_579_200)) // 2026-11-25 12:00 in Beijing
        try await ServerHarness.run(engine, clock: clock) { h in
            let agent = try await h.login("agent")
            var supervisor = try await h.login("supervisor")
            func tickets(_ query: String = "") async throws -> Int? {
                let reply = try await h.send(.get, "/api/v1/insight/brief" + query, token: supervisor)
                #expect(reply.status == .ok, "\(query): \(reply.text)")
                return try reply.decode(InsightViews.Brief.self).tickets
            }
            for _ in 0..<2 { #expect(try await h.fileTicket(agent).status == .created) }
            #expect(try await tickets() == 2, "built at the first request")
            try h.must(await h.fileTicket(agent))
            clock.advance(by: 600)
            #expect(try await tickets() == 2, "served as stored for up to storedMaxAge (900 s)")
            let html = try await h.send(.get, "/api/v1/insight/brief?format=html", token: supervisor)
            #expect(html.headers[.contentType]?.hasPrefix("text/html") == true)
            #expect(html.text.contains("<strong>2</strong> tickets today"))
            #expect(try await tickets("?rebuild=true") == 3, "built again on request")
            #expect(try await h.send(.get, "/api/v1/insight/brief?rebuild=yes", token: supervisor).status == .badRequest)
            try h.must(await h.fileTicket(agent))
            clock.advance(by: 901)
            #expect(try await tickets() == 4, "too old: built again")

            // Yesterday has ended: its brief, built now, is final and served however old.
            #expect(try await tickets("?day=2026-11-24") == 0)
            let yesterday = try #require(try await h.store.storedAnswer(tenantID: h.tenant.id, name: "2026-11-24"))
            clock.advance(by: 3 * 3600)
            #expect(try await tickets("?day=2026-11-24") == 0)
            #expect(try await h.store.storedAnswer(tenantID: h.tenant.id, name: "2026-11-24") == yesterday, "not built again")

            // The refresher: the current day and month when they would grow too old before its
            // next round, an ended period once.
            let service = InsightService(store: h.store), days = DayKeys(identifier: h.tenant.timeZone)
            func refresh() async throws -> [String] { try await service.refreshBriefs(tenant: h.tenant, days: days, now: clock.now(), maxAge: 900, interval: 300) }
            #expect(try await refresh() == ["2026-10", "2026-11-25", "2026-11"])
            #expect(try await refresh() == [], "young enough until the next round")
            clock.advance(by: 599)
            #expect(try await refresh() == [], "899 s old at the next round: still served then")
            clock.advance(by: 1)
            #expect(try await refresh() == ["2026-11-25", "2026-11"], "900 s old at the next round: built now")
            try h.must(await h.fileTicket(agent))
            #expect(try await tickets() == 4, "the refresher's brief is served")
            #expect(try await tickets("?month=2026-11") == 4)
            // The next morning the refresher closes yesterday with its fifth ticket.
            clock.advance(by: 18 * 3600)
            #expect(try await refresh() == ["2026-11-25", "2026-11-26", "2026-11"])
            supervisor = try await h.login("supervisor")  // sessions last 12 hours
            #expect(try await tickets("?day=2026-11-25") == 5)
        }
    }

    @Test("the usual long hotspot views (every category, 30 or 90 days) are stored and served for storedMaxAge; other queries are computed each time", arguments: Engine.available)
    func storedHotspotViews(engine: Engine) async throws {
        let clock = ManualClock(Date(timeIntervalSince1970: 1_795_579_200)) // 2026-11-25 12:00 in Beijing
        try await ServerHarness.run(engine, clock: clock) { h in
            let agent = try await h.login("agent"), supervisor = try await h.login("supervisor")
            func file(_ n: Int) async throws {
                for _ in 0..<n {
                    #expect(try await h.fileTicket(agent, ["complainant": ["anonymous": true]]).status == .created)
                }
            }
            func spot(_ query: String) async throws -> (tickets: Int?, numbers: Int?, generatedAt: String?) {
                let reply = try await h.send(.get, "/api/v1/insight/hotspots?level=1&" + query, token: supervisor)
                #expect(reply.status == .ok, "\(query): \(reply.text)")
                let answer = try reply.decode(InsightViews.Hotspots.self)
                return (answer.hotspots.first?.tickets, answer.hotspots.first?.numbers?.count, answer.generatedAt)
            }
            try await file(6)
            let built = try await spot("days=30")
            #expect(built.tickets == 6 && built.numbers == 6 && built.generatedAt == "2026-11-25T04:00:00Z", "computed at the first request")
            try await file(1)
            clock.advance(by: 600)
            #expect(try await spot("days=30").tickets == 6, "served as stored")
            #expect(try await spot("days=30&tickets=0&limit=1").numbers == 0, "cut to what was asked")
            #expect(try await spot("days=7").tickets == 7, "a week is computed each time")
            #expect(try await spot("days=30&category=01").tickets == 7, "one category is computed each time")
            #expect(try await spot("days=30&min=6").tickets == 7, "a tuned finder is computed each time")
            #expect(try await spot("days=90&level=2").tickets == 7, "each view is stored on its own")
            #expect(try await h.send(.get, "/api/v1/insight/hotspots?days=30&rebuild=yes", token: supervisor).status == .badRequest)
            let rebuilt = try await spot("days=30&rebuild=true")
            #expect(rebuilt.tickets == 7 && rebuilt.generatedAt == "2026-11-25T04:10:00Z", "computed again on request")
            try await file(1)
            clock.advance(by: 901)
            #expect(try await spot("days=30").tickets == 8, "too old: computed again")

            // The refresher builds each window's three levels at once, and only when a view
            // would be too old before its next round.
            let service = InsightService(store: h.store), days = DayKeys(identifier: h.tenant.timeZone)
            let all = ["hotspots-30d-level1", "hotspots-30d-level2", "hotspots-30d-level3", "hotspots-90d-level1", "hotspots-90d-level2", "hotspots-90d-level3"]
            #expect(try await service.refreshHotspots(tenant: h.tenant, days: days, now: clock.now(), maxAge: 900, interval: 300) == all)
            #expect(try await service.refreshHotspots(tenant: h.tenant, days: days, now: clock.now(), maxAge: 900, interval: 300) == [])
            clock.advance(by: 601)
            #expect(try await service.refreshHotspots(tenant: h.tenant, days: days, now: clock.now(), maxAge: 900, interval: 300) == all)
            // A new day is a new window: yesterday's views are not served for it.
            try await file(1)
            clock.advance(by: 12 * 3600)
            let login = try await h.login("supervisor")
            let reply = try await h.send(.get, "/api/v1/insight/hotspots?level=1&days=30", token: login)
            let answer = try reply.decode(InsightViews.Hotspots.self)
            #expect(answer.range == ["from": "2026-10-28", "to": "2026-11-27"])
            #expect(answer.hotspots.first?.tickets == 9)
        }
    }

    @Test("a burst of tickets raises one alert per stream: stored, listed with names, POSTed to the webhook, acknowledged", arguments: Engine.available)
    func alerts(engine: Engine) async throws {
        try await WebhookReceiver.run { hook, address in
            let clock = ManualClock(Date(timeIntervalSince1970: 1_795_579_200)) // 2026-11-25 12:00 in Beijing
            try await ServerHarness.run(engine, clock: clock) { h in
                var settings = InsightSettings()
                settings.detector.warmUpDays = 0
                settings.webhook = URL(string: address + "/alerts")
                let monitor = AlertMonitor(store: h.store, tenant: h.tenant, settings: settings, signer: .random(), clock: clock, logger: Logger(label: "test"))
                #expect(try await monitor.tick().isEmpty, "nothing filed yet")
                let agent = try await h.login("agent")
                var raised: [SpikeAlert] = []
                // One resident calling six times is one report.
                for _ in 0..<6 {
                    #expect(try await h.fileTicket(agent).status == .created)
                    clock.advance(by: 30)
                    raised += try await monitor.tick()
                }
                #expect(raised.isEmpty)
                for k in 0..<8 {
                    #expect(try await h.fileTicket(agent, ["complainant": ["name": "居民", "phone": "1380000\(1000 + k)"]]).status == .created)
                    clock.advance(by: 30)
                    raised += try await monitor.tick()
                }
                // Level 2 (the default): 噪音扰民 counts as 市政管理; one incident, in its district,
                // at the fourth new caller.
                #expect(raised.count == 1)
                #expect(raised.first?.district == "cy")
                #expect(raised.allSatisfy { $0.category == "01.01" && $0.observed == 5 && $0.status == .open })
                #expect(try await monitor.tick().isEmpty, "nothing twice")

                let supervisor = try await h.login("supervisor")
                var reply = try await h.send(.get, "/api/v1/insight/alerts?status=open", token: supervisor)
                #expect(reply.status == .ok)
                let items = try reply.decode(ItemPage<InsightViews.Alert>.self).items
                #expect(items.count == 1)
                let district = try #require(items.first { $0.district == "cy" })
                #expect(district.categoryName == "市政管理" && district.districtName == "朝阳区")
                let id = district.id

                let posted = hook.received
                #expect(posted.count == 1)
                let body = try #require(posted.first.flatMap { try JSONSerialization.jsonObject(with: $0) as? [String: Any] })
                #expect(body["category"] as? String == "01.01" && body["observed"] as? Int == 5)

                #expect(try await h.send(.post, "/api/v1/insight/alerts/\(id)/acknowledge", token: try await h.login("handler")).status == .forbidden)
                reply = try await h.send(.post, "/api/v1/insight/alerts/\(id)/acknowledge", token: supervisor)
                #expect(reply.status == .ok)
                let acknowledged = try reply.decode(InsightViews.Alert.self)
                #expect(acknowledged.status == "acknowledged" && acknowledged.acknowledgedBy == h.user("supervisor"))
                #expect(try await h.send(.post, "/api/v1/insight/alerts/al-unknown/acknowledge", token: supervisor).status == .notFound)
                reply = try await h.send(.get, "/api/v1/insight/alerts?status=open", token: supervisor)
                #expect(try reply.decode(ItemPage<InsightViews.Alert>.self).items.isEmpty)
                #expect(try await h.send(.get, "/api/v1/insight/alerts", token: supervisor).decode(ItemPage<InsightViews.Alert>.self).items.count == 1)
            }
        }
    }
}

@Suite("Topics of the month over HTTP")
struct TopicHTTPTests {
    @Test("open a topic with its problems, follow its volume by month, change it with the version read, keep every version", arguments: Engine.available)
    func topics(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), supervisor = try await h.login("supervisor")
            for _ in 0..<3 { try h.must(await h.fileTicket(agent)) }
            try h.must(await h.fileTicket(agent, ["title": "停水三天", "description": "自来水停水，无人处理", "categoryCode": NSNull()]))
            let month = String(DayKeys(identifier: h.tenant.timeZone).key(Date()).prefix(7))
            let body: [String: Any] = [
                "month": month, "title": "夜间施工扰民专项治理", "leadUnit": "cy",
                "problems": [
                    ["title": "工地夜间施工", "categories": ["01.01"], "districts": ["cy"]],
                    ["title": "停水", "words": ["停水"]],
                ],
                "tasks": [["title": "排查在施工地", "unit": "cy-01", "done": false]],
            ]
            var reply = try await h.send(.post, "/api/v1/topics", token: supervisor, json: body)
            #expect(reply.status == .created, "\(reply.text)")
            let created = try reply.decode(InsightViews.Topic.self)
            let id = created.id
            #expect(created.version == 1 && created.status == "planned")

            reply = try await h.send(.get, "/api/v1/topics/\(id)", token: try await h.login("dispatcher"))
            #expect(reply.status == .ok, "\(reply.text)")
            let volume = try reply.decode(InsightViews.TopicDetail.self).volume
            #expect(volume.months.count == 4 && volume.months.last == month, "three months before, and the topic's month (nothing after it yet)")
            let problems = volume.problems
            #expect(problems[0].counts.last == 3, "from the aggregates: 01.01 covers 01.01.01")
            #expect(problems[1].counts.last == 1, "from the words")
            #expect(problems[0].after == nil)

            var change = body
            change["status"] = "active"
            change["tasks"] = [["title": "排查在施工地", "unit": "cy-01", "done": true, "note": "12 处"]]
            change["version"] = 1
            reply = try await h.send(.post, "/api/v1/topics/\(id)", token: supervisor, json: change)
            #expect(reply.status == .ok, "\(reply.text)")
            let changed = try reply.decode(InsightViews.Topic.self)
            #expect(changed.version == 2 && changed.status == "active")
            reply = try await h.send(.post, "/api/v1/topics/\(id)", token: supervisor, json: change)
            #expect(reply.status == .conflict, "version 1 is stale now")
            change["version"] = nil
            #expect(try await h.send(.post, "/api/v1/topics/\(id)", token: supervisor, json: change).status == .badRequest)

            reply = try await h.send(.get, "/api/v1/topics/\(id)/history", token: supervisor)
            #expect(try reply.decode(ItemPage<InsightViews.Topic>.self).items.map(\.version) == [1, 2])
            #expect(try await h.send(.get, "/api/v1/topics?month=\(month)", token: supervisor).decode(ItemPage<InsightViews.Topic>.self).items.count == 1)
            #expect(try await h.send(.get, "/api/v1/topics?month=2001-01", token: supervisor).decode(ItemPage<InsightViews.Topic>.self).items.isEmpty)

            // Who may, and what is checked.
            #expect(try await h.send(.post, "/api/v1/topics", token: try await h.login("dispatcher"), json: body).status == .forbidden)
            #expect(try await h.send(.get, "/api/v1/topics", token: try await h.login("handler")).status == .forbidden)
            var bad = body
            bad["leadUnit"] = "nobody"
            bad["problems"] = [["title": "x"], ["title": "y", "categories": ["99"]], ["title": "z", "words": ["a"]], ["title": "w", "words": ["b"]]]
            reply = try await h.send(.post, "/api/v1/topics", token: supervisor, json: bad)
            #expect(reply.status == .badRequest)
            let fields = Set(try reply.decode(ProblemView.self).fields)
            #expect(fields.isSuperset(of: ["leadUnit", "problems", "problems[0]", "problems[1].categories"]))
            #expect(try await h.send(.get, "/api/v1/topics/tp-none", token: supervisor).status == .notFound)
            #expect(try await h.send(.get, "/api/v1/topics?month=2026-13", token: supervisor).status == .badRequest)
        }
    }
}

/// The insight answers, typed.
enum InsightViews {
    struct Problem: Decodable {
        var category: String
        var categoryName: String?
        var districtName: String?
        var tickets: Int
        var previous: Int?
    }
    struct Frequent: Decodable {
        var total: Int
        var problems: [Problem]
    }
    struct Clusters: Decodable {
        struct Group: Decodable { var tickets: Int }
        var tickets: Int
        var sampled: Int
        var clusters: [Group]
    }
    struct Hotspot: Decodable {
        var tickets: Int
        var unit: String?
        var unitName: String?
        var numbers: [String]?
        var growth: Double?
    }
    struct Hotspots: Decodable {
        var hotspots: [Hotspot]
        var generatedAt: String?
        var range: [String: String]?
    }
    struct Alert: Decodable {
        var id: String
        var district: String?
        var districtName: String?
        var categoryName: String?
        var status: String
        var acknowledgedBy: String?
    }
    struct Topic: Decodable {
        struct Volume: Decodable {
            struct Problem: Decodable {
                var counts: [Int]
                var after: Int?
            }
            var months: [String]
            var problems: [Problem]
        }
        var id: String
        var version: Int
        var status: String
    }
    /// `GET /api/v1/topics/{id}`: the topic and its volume by month.
    struct TopicDetail: Decodable {
        var topic: Topic
        var volume: Topic.Volume
    }
    /// Any JSON value, not looked into.
    struct Opaque: Decodable {
        init(from decoder: any Decoder) throws {}
    }
    struct Brief: Decodable {
        var tickets: Int
        var previous: Int?
        var span: String
        var sameDayLastWeek: Int?
        var problems: [Problem]
        var hotspots: [Hotspot]
        var overdue: [Opaque]?
    }
}

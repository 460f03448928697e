import ArgumentParser
import Foundation
import ResponseCore
import ResponseInsight
import ResponseServer
import ResponseStore

/// `swift-response bench insight`: demand analysis at city scale — N synthetic tickets over a
/// few months (Beijing's 12345 takes about 70,000 a day), then every insight query timed, the
/// detector's throughput and peak memory.
struct BenchInsightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insight",
        abstract: "Demand analysis at N tickets: import rate, each insight query (median of 5), detector events/s, peak RSS."
    )

    @Option(help: "Tickets to generate.") var tickets: Int = 10_000_000
    @Option(help: "Days they span (ending yesterday).") var days: Int = 150
    @Option(help: "PostgreSQL URL to run on instead of a fresh SQLite file (data stays, in a city named bench-…).") var postgres: String?
    @Option(help: "SQLite file (default: a fresh temporary file, removed afterwards).") var sqlite: String?
    @Option(help: "Measure a city an earlier run imported (with --sqlite or --postgres) instead of importing a new one.") var existingCity: String?
    @Option(help: "Events fed to the detector for its throughput figure.") var detectorEvents: Int = 5_000_000
    @Option(help: "Measure only the queries whose name contains this text (and the detector only if it matches 'detector').") var only: String?

    func run() async throws {
        guard tickets > 0, days > 0 else { throw ValidationError("--tickets and --days must be positive") }
        let tenant = Tenant(id: existingCity ?? "bench-" + UUID().uuidString.prefix(6).lowercased(), name: "Insight Bench City", timeZone: "Asia/Shanghai")
        let city = InsightCity(tenant: tenant)
        let calendar = DayKeys(identifier: tenant.timeZone)
        let today = calendar.key(Date())
        guard let end = calendar.start(of: today), let start = calendar.adding(days: -days, to: end) else { throw ValidationError("bad dates") }
        let existing = existingCity
        try await withBenchStore(postgres: postgres, sqlite: sqlite) { store in
            say("bench insight: \(existing == nil ? tickets : try await store.countTickets(tenantID: tenant.id)) tickets over \(days) days on \(store.engine), city \(tenant.id), \(city.streets) streets, \(city.leaves.count) categories; \(ProcessInfo.processInfo.activeProcessorCount) cores")
            if existing == nil {
                try await city.save(into: store)
                let count = tickets, length = end.timeIntervalSince(start)
                let started = ContinuousClock.now
                try await importInChunks(count, into: store, timeZone: tenant.timeZone) { i in
                    city.ticket(i, at: start.addingTimeInterval(length * (Double(i) + 0.5) / Double(count)))
                } progress: { done, _ in
                    if done % 500_000 == 0 || done == count {
                        let s = (ContinuousClock.now - started) / .seconds(1)
                        FileHandle.standardError.write(Data("  imported \(done) tickets, \(Int(Double(done) / s)) tickets/s, RSS \(BenchCommand.Intake.peakRSSMegabytes()) MB\n".utf8))
                    }
                }
                let s = (ContinuousClock.now - started) / .seconds(1)
                say(String(format: "import: %d tickets in %.0f s (%.0f tickets/s, with their demand aggregates)", count, s, Double(count) / s))
            }
            try await measure(store, city: city, today: today, days: calendar)
        }
    }

    func measure(_ store: SQLTicketStore, city: InsightCity, today: String, days: DayKeys) async throws {
        let service = InsightService(store: store)
        var scope = InsightBenchScope(
            tenant: city.tenant, today: today, days: days, span: self.days, reference: try await service.reference(tenantID: city.tenant.id)
        )
        let top = try await service.frequent(
            tenantID: city.tenant.id, range: scope.week, level: 2, district: nil, street: nil, byDistrict: false, limit: 1, reference: scope.reference
        )
        scope.topCategory = top.problems.first?.category ?? scope.topCategory
        var timer = QueryTimer(only: only)
        say("queries (5 runs each):")
        try await Self.timeQueries(&timer, service: service, store: store, scope: scope)
        try await Self.timeStoredViews(&timer, service: service, scope: scope)
        var figures: [String: Any] = ["bench": "insight", "engine": store.engine, "queries": timer.results]
        if only.map({ "detector".localizedCaseInsensitiveContains($0) }) ?? true {
            let (warmUp, rate) = try await timeDetector(store: store, city: city, scope: scope)
            figures["detectorEventsPerSecond"] = Int(rate)
            figures["warmUpTicketsPerSecond"] = Int(warmUp)
        }
        let rss = BenchCommand.Intake.peakRSSMegabytes()
        say("peak RSS \(rss) MB")
        figures["peakRSSMB"] = rss
        printJSONLine(figures)
    }

    /// The ad-hoc queries: frequent problems, text groups, hotspots, repeats.
    static func timeQueries(_ timer: inout QueryTimer, service: InsightService, store: SQLTicketStore, scope: InsightBenchScope) async throws {
        let (tenant, reference, days) = (scope.tenant, scope.reference, scope.days)
        let (week, month, all) = (scope.week, scope.month, DayRange.days(scope.span, endingBefore: scope.today))
        let category = scope.topCategory
        for (name, range, level, street, byDistrict) in [
            ("frequent, 7 days, level 2", week, 2, nil, false), ("frequent, 30 days, level 3, by district", month, 3, nil, true),
            ("frequent, \(scope.span) days, level 1", all, 1, nil, false), ("frequent, 30 days, one street", month, 2, "st-007", false),
        ] as [(String, DayRange, Int, String?, Bool)] {
            try await timer.time(name) {
                let r = try await service.frequent(tenantID: tenant.id, range: range, level: level, district: nil, street: street, byDistrict: byDistrict, limit: 10, reference: reference)
                return "\(r.total) tickets"
            }
        }
        try await timer.time("text groups, 7 days, top level-2 category") {
            let r = try await service.clusters(tenantID: tenant.id, range: week, category: category, district: nil, days: days, reference: reference)
            return "\(r.sampled) of \(r.tickets) grouped, \(r.clusters.count) groups"
        }
        for (name, filter) in [("hotspots, 7 days, top level-2 category", Optional(category)), ("hotspots, 7 days, every category", nil)] {
            try await timer.time(name) {
                let r = try await service.hotspots(tenantID: tenant.id, range: week, category: filter, level: 2, finder: HotspotFinder(densityFactor: 3), limit: 20, withTickets: 5, days: days, reference: reference)
                return "\(r.hotspots.count) hotspots"
            }
        }
        for (name, range) in [("this month", DayRange.month(scope.thisMonth) ?? week), ("last 7 days", week), ("last 30 days", month)] {
            try await timer.time("repeat callers, \(name)") {
                "\(try await store.repeats(tenantID: tenant.id, kind: .caller, range: range, minimum: 3, limit: 50).count) callers"
            }
            try await timer.time("repeat places, \(name)") {
                "\(try await store.repeats(tenantID: tenant.id, kind: .address, range: range, minimum: 3, limit: 50).count) places"
            }
        }
    }

    /// What the server builds in the background and serves as stored (docs/insight.md): briefs,
    /// hotspot views and topic volumes, both costs.
    static func timeStoredViews(_ timer: inout QueryTimer, service: InsightService, scope: InsightBenchScope) async throws {
        let (tenant, reference, days) = (scope.tenant, scope.reference, scope.days)
        let category = scope.topCategory
        for (name, period) in [("daily brief, yesterday", scope.yesterday), ("monthly brief, last month", DayRange.month(before: scope.thisMonth) ?? scope.thisMonth)] {
            try await timer.time(name + ": built") {
                let b = try await service.buildAndStoreBrief(tenant: tenant, period: period, days: days, now: Date())
                return "\(b.tickets) tickets, \(b.hotspots.count) hotspots"
            }
            try await timer.time(name + ": served as stored") {
                let b = try await service.servedBrief(tenant: tenant, period: period, days: days, now: Date(), maxAge: 900)
                return "\(b.tickets) tickets, \(b.hotspots.count) hotspots"
            }
        }
        // Every category over a month or a quarter reads that many days of cells, as of the last day with tickets.
        for (window, range) in [(30, scope.month), (90, DayRange.days(90, endingBefore: scope.today))] {
            try await timer.time("hotspots, \(window) days, every category: computed") {
                let r = try await service.hotspots(tenantID: tenant.id, range: range, category: nil, level: 2, finder: HotspotView.finder, limit: 20, withTickets: 5, days: days, reference: reference)
                return "\(r.hotspots.count) hotspots"
            }
        }
        let lastSecond = (days.start(of: scope.today) ?? Date()).addingTimeInterval(-1)
        try await timer.time("hotspot views, 30 and 90 days x 3 levels: built") {
            "\(try await service.refreshHotspots(tenant: tenant, days: days, now: lastSecond, maxAge: 0, interval: 0).count) views"
        }
        for window in HotspotView.windows {
            try await timer.time("hotspots, \(window) days, every category: served as stored") {
                let r = try await service.servedHotspots(tenant: tenant, view: HotspotView(days: window, level: 2), limit: 20, withTickets: 5, days: days, now: lastSecond, maxAge: 900)
                return "\(r.hotspots.count) hotspots"
            }
        }
        let topic = Topic(id: "tp-bench", tenantID: tenant.id, month: scope.thisMonth, title: "bench", leadUnit: "dep-01",
                          problems: [.init(title: "by category", categories: [category]), .init(title: "by words", categories: [category], words: ["漏水"])],
                          updatedAt: Date(), updatedBy: "bench")
        try await timer.time("topic volume (7 months, categories and words)") {
            let v = try await service.volume(of: topic, currentMonth: scope.thisMonth, days: days, reference: reference)
            return "\(v.problems.map { $0.counts.reduce(0, +) })"
        }
    }

    /// The detector: what the monitor does at start (42 days read from the store), then the
    /// detector alone on events in memory. Returns tickets/s of the warm-up and events/s alone.
    func timeDetector(store: SQLTicketStore, city: InsightCity, scope: InsightBenchScope) async throws -> (warmUp: Double, rate: Double) {
        let (tenant, reference) = (scope.tenant, scope.reference)
        let zone = TimeZone(identifier: tenant.timeZone) ?? .gmt
        var detector = SpikeDetector(timeZone: zone)
        let learnFrom = scope.days.start(of: DayRange.key(number: (DayRange.number(scope.today) ?? 0) - 42)) ?? Date()
        let (read, readSeconds) = try await timedAsync { () -> Int in
            var (n, from, after) = (0, learnFrom, String?.none)
            while true {
                let page = try await store.filings(tenantID: tenant.id, from: from, to: Date(), after: after, limit: 10_000)
                for f in page { _ = detector.observe(category: reference.rollUp(f.category, to: 2), district: f.district, at: f.createdAt) }
                n += page.count
                guard page.count == 10_000, let last = page.last else { break }
                (from, after) = (last.createdAt, last.id)
            }
            return n
        }
        say(String(format: "detector warm-up from the store: %d tickets of 42 days in %.1f s (%.0f tickets/s, read and detect)", read, readSeconds, Double(read) / readSeconds))
        let events = (0..<detectorEvents).map { i in
            SpikeEvaluation.Event(category: city.leaves[city.leafIndex(i)].code.prefix(5).description, district: city.district(of: city.streetIndex(i)),
                                  at: learnFrom.addingTimeInterval(Double(i) * 42 * 86_400 / Double(max(1, detectorEvents))))
        }
        var (times, alerts) = ([Double](), 0)
        for _ in 0..<3 {
            let outcome = SpikeEvaluation.run(events, settings: SpikeDetector.Settings(), timeZone: zone)
            times.append(outcome.seconds)
            alerts = outcome.alerts.count
        }
        times.sort()
        let rate = Double(detectorEvents) / times[1]
        say(String(format: "detector alone: %d events in %.2f s (median of 3) = %.0f events/s; %d streams; %d alerts", detectorEvents, times[1], rate, detector.streamCount, alerts))
        return (Double(read) / readSeconds, rate)
    }
}

/// The city and days one insight benchmark measures.
struct InsightBenchScope {
    var tenant: Tenant
    var today: String
    var days: DayKeys
    /// How many days the tickets span.
    var span: Int
    var reference: InsightService.Reference
    /// The most frequent level-2 category of the last 7 days.
    var topCategory = "01.01"

    var yesterday: String { DayRange.key(number: (DayRange.number(today) ?? 0) - 1) }
    var thisMonth: String { String(yesterday.prefix(7)) }
    var week: DayRange { DayRange.days(7, endingBefore: today) }
    var month: DayRange { DayRange.days(30, endingBefore: today) }
}

/// Times named queries: median and max of 5 runs each, printed and kept for the JSON line;
/// queries whose name does not contain `only` are skipped.
struct QueryTimer {
    var only: String?
    var results: [[String: Any]] = []

    mutating func time(_ name: String, _ body: () async throws -> String) async throws {
        if let only, !name.localizedCaseInsensitiveContains(only) { return }
        var times: [Double] = []
        var detail = ""
        for _ in 0..<5 {
            let (d, s) = try await timedAsync(body)
            times.append(s)
            detail = d
        }
        times.sort()
        say(String(format: "  %-52@ median %7.1f ms  max %7.1f ms  %@", name as NSString, times[2] * 1000, times[4] * 1000, detail))
        results.append(["query": name, "medianMs": times[2] * 1000, "maxMs": times[4] * 1000])
    }
}

/// A synthetic city at Beijing's scale for the insight benchmark: 16 districts of 20 streets on
/// a grid, a 15 × 5 × 5 taxonomy, skewed demand, hotspots, repeat callers and places, and
/// texts that fall into a few groups per category. Ticket `i` is always the same ticket.
struct InsightCity: Sendable {
    let tenant: Tenant
    let streets = 320
    let leaves: [Category]
    let categories: [Category]
    static let phrases = ["楼上漏水，多次协调无果", "夜间施工噪音扰民", "路灯不亮，存在安全隐患", "垃圾清运不及时，气味很大", "停车位被长期占用", "小区停水，无人通知"]

    init(tenant: Tenant) {
        self.tenant = tenant
        var all: [Category] = []
        for a in 1...15 {
            let l1 = String(format: "%02d", a)
            all.append(Category(code: l1, tenantID: tenant.id, name: "一级类\(a)", level: 1, parentCode: nil))
            for b in 1...5 {
                let l2 = l1 + String(format: ".%02d", b)
                all.append(Category(code: l2, tenantID: tenant.id, name: "二级类\(a)-\(b)", level: 2, parentCode: l1))
                for c in 1...5 {
                    all.append(Category(code: l2 + String(format: ".%02d", c), tenantID: tenant.id, name: "三级类\(a)-\(b)-\(c)", level: 3, parentCode: l2))
                }
            }
        }
        categories = all
        leaves = all.filter { $0.level == 3 }
    }

    func save(into store: SQLTicketStore) async throws {
        try await store.saveTenant(tenant)
        for c in categories { try await store.saveCategory(c) }
        for d in 0..<16 { try await store.saveUnit(OrgUnit(code: String(format: "d-%02d", d), tenantID: tenant.id, name: "区\(d)", kind: .district)) }
        for s in 0..<streets {
            try await store.saveUnit(OrgUnit(code: String(format: "st-%03d", s), tenantID: tenant.id, name: "街道\(s)", kind: .street, parentCode: district(of: s)))
        }
        for d in 0..<40 { try await store.saveUnit(OrgUnit(code: String(format: "dep-%02d", d), tenantID: tenant.id, name: "部门\(d)", kind: .department)) }
    }

    func d(_ i: Int, _ k: Int) -> Double { SyntheticHistory.draw(i, k) }
    /// Skewed: the first categories and streets get most tickets, as in life.
    func leafIndex(_ i: Int) -> Int { min(leaves.count - 1, Int(Double(leaves.count) * pow(d(i, 1), 2.5))) }
    func streetIndex(_ i: Int) -> Int { min(streets - 1, Int(Double(streets) * pow(d(i, 2), 1.5))) }
    func district(of street: Int) -> String { String(format: "d-%02d", street / 20) }

    func ticket(_ i: Int, at: Date) -> (Ticket, [TicketEvent]) {
        var leaf = leaves[leafIndex(i)]
        let street = streetIndex(i)
        // Streets on a 16 × 20 grid of ~2 km cells around Beijing's centre.
        var lat = 39.75 + Double(street / 20) * 0.02 + d(i, 3) * 0.02
        var lon = 116.20 + Double(street % 20) * 0.025 + d(i, 4) * 0.025
        if d(i, 5) < 0.03 {
            // Twenty places that draw complaints of their own category (a building site, a market…).
            let spot = Int(d(i, 6) * 20)
            leaf = leaves[(spot * 17) % leaves.count]
            lat = 39.80 + Double(spot % 5) * 0.06 + d(i, 7) * 0.001
            lon = 116.25 + Double(spot / 5) * 0.08 + d(i, 8) * 0.001
        }
        let frequent = d(i, 9) < 0.25
        let phone = frequent ? String(format: "139%08d", Int(d(i, 10) * 20_000)) : String(format: "138%08d", i % 100_000_000)
        let phrase = Self.phrases[(leafIndex(i) + Int(d(i, 11) * 2)) % Self.phrases.count]
        let new = NewTicket(
            kind: .complaint, channel: .phone, title: phrase, description: "\(phrase)，地点在\(street)号街道第\(Int(d(i, 12) * 40))号楼附近。",
            categoryCode: leaf.code,
            location: Location(latitude: lat, longitude: lon, address: "街道\(street)第\(Int(d(i, 12) * 40))号楼", districtCode: district(of: street), streetCode: String(format: "st-%03d", street)),
            complainant: Complainant(name: "市民", phone: phone)
        )
        let agent = Actor(name: "agent", role: .agent)
        let (t, created) = new.makeTicket(id: TicketID.make(at: at), number: TicketNumber(day: "20000101", sequence: i + 1).description, tenantID: tenant.id, actor: agent, now: at)
        return (t, [created])
    }
}

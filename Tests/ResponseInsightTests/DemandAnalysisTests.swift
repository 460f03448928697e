import Foundation
import ResponseCore
import ResponseStore
import Testing
@testable import ResponseInsight

@Suite("Demand analysis: frequent problems, text groups, hotspots")
struct DemandAnalysisTests {
    @Test("frequent problems roll up to the asked level and carry their change")
    func frequent() {
        let parents = ["01.01.01": "01.01", "01.01.02": "01.01", "01.01": "01", "02.01": "02"]
        let level: [String: Int] = ["01": 1, "02": 1, "01.01": 2, "02.01": 2, "01.01.01": 3, "01.01.02": 3]
        func rollUp(_ code: String) -> String {
            var c = code
            while (level[c] ?? 1) > 1, let p = parents[c] { c = p }
            return c
        }
        let now = [
            DemandCount(category: "01.01.01", district: "cy", tickets: 6), DemandCount(category: "01.01.02", district: "hd", tickets: 4),
            DemandCount(category: "02.01", district: "cy", tickets: 5), DemandCount(category: "", district: "", tickets: 1),
        ]
        let before = [DemandCount(category: "01.01.01", district: "cy", tickets: 5), DemandCount(category: "02.01", district: "cy", tickets: 10)]
        let year = [DemandCount(category: "02.01", district: "hd", tickets: 2)]
        let (total, ranked) = FrequentProblem.rank(current: now, previous: before, yearEarlier: year, rollUp: rollUp, byDistrict: false, limit: 10)
        #expect(total == 16)
        #expect(ranked.map(\.category) == ["01", "02", ""])
        #expect(ranked[0].tickets == 10 && ranked[0].previous == 5 && ranked[0].change == 1.0 && ranked[0].yearChange == nil)
        #expect(ranked[1].change == -0.5 && ranked[1].yearChange == 1.5)
        #expect(abs(ranked[0].share - 10.0 / 16) < 1e-9)
        let byPlace = FrequentProblem.rank(current: now, previous: before, yearEarlier: year, rollUp: rollUp, byDistrict: true, limit: 2).problems
        #expect(byPlace.map { "\($0.category)@\($0.district ?? "")" } == ["01@cy", "02@cy"])
        #expect(FrequentProblem.rank(current: now, previous: [], yearEarlier: [], rollUp: { $0 }, byDistrict: false, limit: 2).problems.map(\.category) == ["01.01.01", "02.01"])
    }

    @Test("texts group by what they say, in Chinese and in English; unlike texts stay apart")
    func textGroups() {
        var docs: [TextClusterer.Document] = []
        for i in 0..<12 { docs.append(.init(id: "n\(i)", title: "夜间施工噪音扰民", text: "小区旁工地每晚\(10 + i % 3)点后还在施工，噪音很大，无法休息")) }
        for i in 0..<8 { docs.append(.init(id: "w\(i)", title: "停水", text: "\(i + 1)号楼停水两天了，自来水公司电话打不通")) }
        for i in 0..<6 { docs.append(.init(id: "p\(i)", title: "Pothole", text: "Large pothole on Main Street near number \(100 + i), car tyre damaged")) }
        docs.append(.init(id: "x", title: "建议", text: "建议在公园增设儿童游乐设施"))
        docs.append(.init(id: "y", title: "Dog", text: "Barking dog all night at the corner house"))
        let groups = TextClusterer().cluster(docs)
        #expect(groups.count == 3)
        #expect(groups.map(\.tickets) == [12, 8, 6])
        #expect(Set(groups[0].numbers).isSubset(of: Set((0..<12).map { "n\($0)" })))
        #expect(groups[0].label == "夜间施工噪音扰民")
        #expect(groups[1].keywords.contains("停水"))
        #expect(groups[2].label == "Pothole")
        #expect(abs(groups[0].share - 12.0 / 28) < 1e-9)
        #expect(TextClusterer.shingles("停水 No. 12") == ["停水", "no", "00"])
        #expect(TextClusterer().cluster([]).isEmpty)
    }

    @Test("hotspots: DBSCAN over weighted cells finds the dense places, with centre, radius, unit and growth")
    func hotspots() throws {
        let a = try #require(GridCell(latitude: 39.9100, longitude: 116.4500))
        let b = GridCell(row: a.row, column: a.column + 1)
        let c = try #require(GridCell(latitude: a.centre.latitude + 0.0018, longitude: a.centre.longitude), "the cell to the north")
        let far = try #require(GridCell(latitude: 39.95, longitude: 116.50))
        let lonely = try #require(GridCell(latitude: 39.85, longitude: 116.45))
        let cells = [
            DemandCell(category: "01", cell: a, street: "cy-01", tickets: 4), DemandCell(category: "01", cell: b, street: "cy-01", tickets: 3),
            DemandCell(category: "01", cell: c, street: "cy-02", tickets: 1), DemandCell(category: "01", cell: far, street: "hd-01", tickets: 6),
            DemandCell(category: "01", cell: lonely, street: "cy-03", tickets: 2),
        ]
        let spots = HotspotFinder(radius: 300, minimumTickets: 5).find(category: "01", cells: cells, previous: [DemandCell(category: "01", cell: a, street: "cy-01", tickets: 4)])
        #expect(spots.count == 2, "the lonely cell is noise")
        #expect(spots[0].tickets == 8 && spots[0].cells.count == 3)
        #expect(spots[0].unit == "cy-01")
        #expect(spots[0].previous == 4 && spots[0].growth == 1.0)
        #expect(spots[0].radius > 100 && spots[0].radius < 450)
        #expect(GridCell.distance((spots[0].latitude, spots[0].longitude), a.centre) < 200)
        #expect(spots[1].tickets == 6 && spots[1].unit == "hd-01" && spots[1].growth == nil)
        #expect(HotspotFinder(radius: 300, minimumTickets: 50).find(category: "01", cells: cells, previous: []).isEmpty)
    }

    @Test("where a category is everywhere, only places that stand out from its spread are hotspots")
    func hotspotsAgainstTheBackground() throws {
        let origin = try #require(GridCell(latitude: 39.80, longitude: 116.30))
        var cells: [DemandCell] = []
        for r in 0..<40 {
            for c in 0..<40 {
                let cell = try #require(GridCell(latitude: origin.centre.latitude + Double(r) * 0.0018, longitude: origin.centre.longitude + Double(c) * 0.00235))
                cells.append(DemandCell(category: "01", cell: cell, street: "s", tickets: r == 20 && c == 20 ? 40 : 2))
            }
        }
        #expect(HotspotFinder().find(category: "01", cells: cells, previous: []).count == 1, "without the background, the whole city is one hotspot")
        let spots = HotspotFinder(densityFactor: 3).find(category: "01", cells: cells, previous: [])
        #expect(spots.count == 1)
        #expect(spots[0].tickets < 80, "the busy place and its border, not the city: \(spots[0].tickets)")
        #expect(GridCell.distance((spots[0].latitude, spots[0].longitude), (origin.centre.latitude + 20 * 0.0018, origin.centre.longitude + 20 * 0.00235)) < 250)
    }

    @Test("the box a hotspot's tickets are looked for in holds every point of its cells, and little more")
    func hotspotBox() throws {
        var generator = SystemRandomNumberGenerator()
        for latitude in [-33.9, 0.5, 39.9, 42.36, 59.9] {
            for _ in 0..<500 {
                let lat = latitude + Double.random(in: -0.05...0.05, using: &generator), lon = 116.4 + Double.random(in: -0.05...0.05, using: &generator)
                let cell = try #require(GridCell(latitude: lat, longitude: lon))
                let box = InsightService.bounds(of: [cell.id])
                #expect(box.south <= lat && lat <= box.north && box.west <= lon && lon <= box.east, "\(lat), \(lon) outside the box of its cell")
                let height = GridCell.distance((box.south, box.west), (box.north, box.west))
                #expect(height < GridCell.size * 3, "\(height) m high")
            }
        }
    }

    @Test("a usual hotspot view is every category over the last 30 or 90 days up to today, with the default finder; a stored one is cut to the query")
    func hotspotViews() throws {
        let today = "2026-11-25"
        let month = DayRange(from: "2026-10-27", to: "2026-11-26")
        #expect(HotspotView.range(days: 30, today: today) == month)
        let view = try #require(HotspotView(range: month, category: nil, level: 2, finder: HotspotView.finder, today: today))
        #expect(view == HotspotView(days: 30, level: 2) && view.name == "hotspots-30d-level2")
        #expect(HotspotView(range: HotspotView.range(days: 90, today: today), category: nil, level: 3, finder: HotspotView.finder, today: today)?.name == "hotspots-90d-level3")
        #expect(HotspotView(range: month, category: nil, level: 2, finder: HotspotView.finder, today: "2026-11-26") == nil, "a window that does not end today")
        #expect(HotspotView(range: HotspotView.range(days: 7, today: today), category: nil, level: 2, finder: HotspotView.finder, today: today) == nil, "a week is computed each time")
        #expect(HotspotView(range: month, category: "01", level: 2, finder: HotspotView.finder, today: today) == nil)
        #expect(HotspotView(range: month, category: nil, level: 2, finder: HotspotFinder(radius: 500, densityFactor: 3), today: today) == nil)

        func spot(_ n: Int) -> Hotspot {
            Hotspot(category: "01", categoryName: nil, tickets: n, previous: 0, growth: nil, latitude: 0, longitude: 0, radius: 100, unit: nil, unitName: nil, cells: [Int64(n)], numbers: ["T\(n)"])
        }
        let report = InsightService.HotspotReport(range: month, level: 2, radius: 300, minimumTickets: 5, densityFactor: 3, hotspots: (1...5).reversed().map(spot))
        let cut = report.trimmed(limit: 3, withTickets: 2)
        #expect(cut.hotspots.map(\.tickets) == [5, 4, 3])
        #expect(cut.hotspots.map(\.numbers) == [["T5"], ["T4"], []])
    }
}

@Suite("Early warning: the spike detector")
struct SpikeDetectorTests {
    static let zone = TimeZone(identifier: "America/New_York")!
    static let start = Date(timeIntervalSince1970: 1_420_070_400 + 5 * 3600) // 2015-01-01 00:00 in Boston

    /// Three tickets a day in the stream, at 9:00, 13:00 and 17:00 local time, for `days` days.
    func quietHistory(days: Int) -> [SpikeEvaluation.Event] {
        (0..<days).flatMap { d in
            [9, 13, 17].map { h in SpikeEvaluation.Event(category: "potholes", district: "dorchester", at: Self.start.addingTimeInterval(Double(d * 86_400 + h * 3600))) }
        }
    }

    @Test("a steady stream learns its level and raises nothing; a burst after the warm-up is caught within minutes")
    func burst() throws {
        var detector = SpikeDetector(timeZone: Self.zone)
        for e in quietHistory(days: 30) { #expect(detector.observe(category: e.category, district: e.district, at: e.at).isEmpty) }
        let level = try #require(detector.dailyLevel(.init(category: "potholes", district: "dorchester")))
        #expect(abs(level - 3) < 0.2, "learnt about three a day: \(level)")
        // 11:00, an hour after which the stream is normally quiet.
        let onset = Self.start.addingTimeInterval(30 * 86_400 + 11 * 3600)
        var alerts: [SpikeDetector.Alert] = []
        var caughtAt: Int?
        for k in 0..<12 {
            let raised = detector.observe(category: "potholes", district: "dorchester", at: onset.addingTimeInterval(Double(k * 120)))
            if caughtAt == nil && !raised.isEmpty { caughtAt = k }
            alerts += raised
        }
        let first = try #require(caughtAt)
        #expect(first + 1 == SpikeDetector.Settings().minimumTickets, "the first ticket that reaches the minimum tips it")
        #expect(alerts.contains { $0.stream.district == "dorchester" })
        #expect(!alerts.contains { $0.stream.district.isEmpty }, "the city's stream stays silent: it is the district's incident")
        let district = try #require(alerts.first { $0.stream.district == "dorchester" })
        #expect(district.onset <= onset && onset.timeIntervalSince(district.onset) < 300)
        #expect(district.probability < 1e-6 && district.expected < 1)
        #expect(alerts.count == 1, "one alert, then quiet through the cool-down")
        // Unlocated tickets (no district) are watched in the city's stream.
        var city = SpikeDetector(timeZone: Self.zone)
        for e in quietHistory(days: 30) { _ = city.observe(category: e.category, district: "", at: e.at) }
        let cityAlerts = (0..<12).flatMap { k in city.observe(category: "potholes", district: "", at: onset.addingTimeInterval(Double(k * 120))) }
        #expect(cityAlerts.count == 1 && cityAlerts[0].stream.district.isEmpty)
    }

    @Test("one caller's repeated reports count once within the repeat window; other callers and categories count")
    func repeatCallers() throws {
        let onset = Self.start.addingTimeInterval(30 * 86_400 + 11 * 3600)
        func run(_ settings: SpikeDetector.Settings, callers: (Int) -> String?) -> (alerts: Int, repeats: Int) {
            var detector = SpikeDetector(settings: settings, timeZone: Self.zone)
            for e in quietHistory(days: 30) { _ = detector.observe(category: e.category, district: e.district, at: e.at) }
            let alerts = (0..<12).flatMap { k in
                detector.observe(category: "potholes", district: "dorchester", at: onset.addingTimeInterval(Double(k * 120)), caller: callers(k))
            }
            return (alerts.count, detector.repeats)
        }
        #expect(run(SpikeDetector.Settings(), callers: { _ in "resident-1" }) == (0, 11), "one resident twelve times is one report")
        #expect(run(SpikeDetector.Settings(), callers: { "resident-\($0)" }) == (1, 0), "twelve residents are a spike")
        #expect(run(SpikeDetector.Settings(), callers: { _ in nil }) == (1, 0), "unknown callers all count")
        #expect(run(SpikeDetector.Settings(), callers: { "resident-\($0 % 3)" }) == (0, 9), "three residents four times each are three reports")
        var off = SpikeDetector.Settings()
        off.repeatCallerMinutes = 0
        #expect(run(off, callers: { _ in "resident-1" }) == (1, 0), "0 counts every report")

        // The window is per category and ends: the same caller counts again after it, and for
        // another category at once.
        var detector = SpikeDetector(timeZone: Self.zone)
        _ = detector.observe(category: "potholes", district: "dorchester", at: onset, caller: "r")
        _ = detector.observe(category: "potholes", district: "dorchester", at: onset.addingTimeInterval(239 * 60), caller: "r")
        #expect(detector.repeats == 1)
        _ = detector.observe(category: "graffiti", district: "dorchester", at: onset.addingTimeInterval(239 * 60), caller: "r")
        _ = detector.observe(category: "potholes", district: "dorchester", at: onset.addingTimeInterval(241 * 60), caller: "r")
        #expect(detector.repeats == 1)
    }

    @Test("nothing is raised during the warm-up, and a stream keeps a cool-down after an alert")
    func warmUpAndCooldown() {
        var detector = SpikeDetector(timeZone: Self.zone)
        let early = Self.start.addingTimeInterval(2 * 86_400)
        var raised = 0
        for k in 0..<30 { raised += detector.observe(category: "flood", district: "eastie", at: early.addingTimeInterval(Double(k * 60))).count }
        #expect(raised == 0)
        var settings = SpikeDetector.Settings()
        settings.warmUpDays = 0
        settings.cooldownHours = 1
        var fast = SpikeDetector(settings: settings, timeZone: Self.zone)
        var times: [Date] = []
        for k in 0..<200 {
            let at = Self.start.addingTimeInterval(Double(k * 60))
            for a in fast.observe(category: "flood", district: "eastie", at: at) where !a.stream.district.isEmpty { times.append(a.detectedAt) }
        }
        #expect(times.count >= 2)
        #expect(zip(times, times.dropFirst()).allSatisfy { $1.timeIntervalSince($0) >= 3600 })
    }

    @Test("learnt from a single Wednesday, a Thursday's usual morning is not a spike")
    func coldStart() {
        var settings = SpikeDetector.Settings()
        settings.warmUpDays = 1
        var detector = SpikeDetector(settings: settings, timeZone: Self.zone)
        let wednesday = Date(timeIntervalSince1970: 1_577_854_800) // 2020-01-01 00:00 in New York, a Wednesday
        for k in 0..<100 {
            _ = detector.observe(category: "bulky", district: "sylmar", at: wednesday.addingTimeInterval(8 * 3600 + Double(k) * 360))
        }
        let thursday = wednesday.addingTimeInterval(86_400 + 10 * 3600)
        let raised = (0..<10).flatMap { k in detector.observe(category: "bulky", district: "sylmar", at: thursday.addingTimeInterval(Double(k) * 360)) }
        #expect(raised.isEmpty, "ten an hour is what Wednesday had: \(raised)")
        let shares = SpikeDetector.shares(of: (0..<168).map { $0 / 24 == 2 && (8..<18).contains($0 % 24) ? 10 : 0 })
        #expect(abs(shares.reduce(0, +) - 1) < 1e-9)
        #expect(shares[3 * 24 + 10] > 0 && shares[3 * 24 + 3] == 0, "Thursday 10:00 borrows Wednesday's hour; 03:00 stays quiet")
    }

    @Test("Poisson tails are exact where they matter")
    func poisson() {
        #expect(abs(SpikeDetector.poissonTail(atLeast: 1, mean: 2) - (1 - exp(-2))) < 1e-12)
        #expect(abs(SpikeDetector.poissonTail(atLeast: 3, mean: 1) - (1 - exp(-1) * 2.5)) < 1e-12)
        let tiny = SpikeDetector.poissonTail(atLeast: 20, mean: 0.1)
        #expect(tiny > 0 && tiny < 1e-30)
        #expect(SpikeDetector.poissonTail(atLeast: 5, mean: 50) > 0.999_999)
        #expect(abs(SpikeDetector.poissonTail(atLeast: 10, mean: 10) - 0.5420702855281478) < 1e-9)
        #expect(SpikeDetector.poissonTail(atLeast: 0, mean: 3) == 1)
    }

    @Test("settings: omitted keys keep their defaults, bad values are named")
    func settings() throws {
        let s = try JSONDecoder().decode(SpikeDetector.Settings.self, from: Data(#"{"minimumTickets": 7}"#.utf8))
        #expect(s.minimumTickets == 7 && s.windows == SpikeDetector.Settings().windows)
        var bad = SpikeDetector.Settings()
        bad.windows = [7]
        bad.significance = 2
        bad.repeatCallerMinutes = -1
        #expect(bad.problems.count == 3)
        #expect(try JSONDecoder().decode(SpikeDetector.Settings.self, from: Data(#"{"repeatCallerMinutes": 60}"#.utf8)).repeatCallerMinutes == 60)
    }

    @Test("an evaluation injects bursts where tickets are and matches the alerts to them")
    func evaluation() {
        let history = quietHistory(days: 40)
        let warm = Self.start.addingTimeInterval(15 * 86_400)
        let (mixed, bursts) = SpikeEvaluation.inject(into: history, count: 5, size: 20, minutes: 30, after: warm, seed: 7)
        #expect(bursts.count == 5 && mixed.count == history.count + 100)
        #expect(zip(mixed, mixed.dropFirst()).allSatisfy { $0.at <= $1.at })
        #expect(bursts.allSatisfy { $0.start >= warm })
        let clean = SpikeEvaluation.run(history, settings: SpikeDetector.Settings(), timeZone: Self.zone)
        #expect(clean.alerts.isEmpty && clean.unmatched == 0)
        let outcome = SpikeEvaluation.run(mixed, settings: SpikeDetector.Settings(), timeZone: Self.zone, bursts: bursts)
        // A burst that starts while the stream is still cooling down from the previous one is
        // not announced again; every other one must be caught.
        let cooldown = SpikeDetector.Settings().cooldownHours * 3600 + 3600
        var judged = 0
        for (i, burst) in bursts.enumerated() where i == 0 || burst.start.timeIntervalSince(bursts[i - 1].start) > cooldown {
            judged += 1
            #expect(outcome.delays[i] != nil, "burst at \(burst.start) caught, even beside the stream's usual hours")
        }
        #expect(judged >= 3)
        #expect(outcome.delays.compactMap { $0 }.allSatisfy { $0 <= 30 * 60 })
        #expect(SpikeEvaluation.inject(into: history, count: 5, size: 20, minutes: 30, after: warm, seed: 7).1 == bursts, "the same seed places the same bursts")
    }
}

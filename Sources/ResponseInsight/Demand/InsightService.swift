import Foundation
import ResponseCore
import ResponseStore

/// Demand analysis over the store's aggregates: frequent problems, what people say inside a
/// category, hotspots and repeat callers and places. Every query reads aggregate rows or a
/// bounded sample of tickets; none scans a city's tickets.
public struct InsightService: Sendable {
    let store: any TicketStore

    /// Most tickets read to group texts (the newest of the period).
    public static let textSample = 2_000
    /// Tickets in a hotspot query's period above which single-ticket cells count as background.
    public static let busyPeriod = 20_000

    public init(store: any TicketStore) { self.store = store }

    /// A city's categories and units, for names and roll-ups.
    public struct Reference: Sendable {
        public var categories: [String: Category]
        public var units: [String: OrgUnit]

        public init(categories: [Category], units: [OrgUnit]) {
            self.categories = Dictionary(categories.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
            self.units = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        }

        /// The code's category at `level` (its ancestor, or itself when at or above it).
        public func rollUp(_ code: String, to level: Int) -> String {
            var current = code
            for _ in 0..<10 {
                guard let c = categories[current], c.level > level, let parent = c.parentCode else { return current }
                current = parent
            }
            return current
        }

        /// The alert with its category's and district's names.
        public func named(_ alert: SpikeAlert) -> SpikeAlert {
            var a = alert
            a.categoryName = categories[a.category]?.name
            a.districtName = units[a.district]?.name
            return a
        }

        /// `code` and every category below it.
        public func descendants(of code: String) -> [String] {
            guard let level = categories[code]?.level else { return [code] }
            return categories.keys.filter { rollUp($0, to: level) == code }.sorted()
        }
    }

    public func reference(tenantID: String) async throws -> Reference {
        Reference(categories: try await store.categories(tenantID: tenantID), units: try await store.units(tenantID: tenantID))
    }

    /// What a frequent-problems query returns.
    public struct FrequentReport: Codable, Sendable, Equatable {
        public var range: DayRange
        public var previous: DayRange
        public var yearEarlier: DayRange
        public var level: Int
        public var district: String?
        public var street: String?
        public var total: Int
        public var problems: [FrequentProblem]
    }

    /// The `limit` categories (at taxonomy `level`) with most tickets over `range`, with change.
    /// - Parameters:
    ///   - district: Only this district; `street`: only this street.
    ///   - byDistrict: Rank category × district pairs instead of categories.
    public func frequent(
        tenantID: String, range: DayRange, level: Int, district: String?, street: String?, byDistrict: Bool, limit: Int, reference: Reference
    ) async throws -> FrequentReport {
        try await frequentWithTotals(
            tenantID: tenantID, range: range, level: level, district: district, street: street, byDistrict: byDistrict, limit: limit, reference: reference
        ).report
    }

    /// ``frequent(tenantID:range:level:district:street:byDistrict:limit:reference:)`` with the
    /// totals of the period before and a year earlier it read anyway (the brief needs them).
    func frequentWithTotals(
        tenantID: String, range: DayRange, level: Int, district: String?, street: String?, byDistrict: Bool, limit: Int, reference: Reference
    ) async throws -> (report: FrequentReport, previous: Int, yearEarlier: Int) {
        let ranges = [range, range.previous, range.yearEarlier]
        var counts: [[DemandCount]] = []
        for r in ranges { counts.append(try await store.demandCounts(tenantID: tenantID, range: r, district: district, street: street)) }
        let (total, ranked) = FrequentProblem.rank(
            current: counts[0], previous: counts[1], yearEarlier: counts[2], rollUp: { reference.rollUp($0, to: level) }, byDistrict: byDistrict, limit: limit
        )
        let problems = ranked.map { p in
            var p = p
            p.categoryName = reference.categories[p.category]?.name
            p.districtName = p.district.flatMap { reference.units[$0]?.name }
            return p
        }
        let report = FrequentReport(range: range, previous: ranges[1], yearEarlier: ranges[2], level: level, district: district, street: street, total: total, problems: problems)
        return (report, counts[1].reduce(0) { $0 + $1.tickets }, counts[2].reduce(0) { $0 + $1.tickets })
    }

    /// What a text-cluster query returns.
    public struct ClusterReport: Codable, Sendable, Equatable {
        public var range: DayRange
        public var category: String
        public var categoryName: String?
        /// Tickets of the category in the period (from the aggregates).
        public var tickets: Int
        /// Of which the newest this many were read and grouped.
        public var sampled: Int
        public var clusters: [TextCluster]
    }

    /// Groups the texts of a category's (and its sub-categories') newest tickets of the period.
    /// - Parameter days: The city's calendar, to turn days into instants.
    public func clusters(
        tenantID: String, range: DayRange, category: String, district: String?, days: DayKeys, reference: Reference, clusterer: TextClusterer = TextClusterer()
    ) async throws -> ClusterReport {
        let codes = reference.descendants(of: category)
        let wanted = Set(codes)
        let total = try await store.demandCounts(tenantID: tenantID, range: range, district: district, street: nil)
            .filter { wanted.contains($0.category) }.reduce(0) { $0 + $1.tickets }
        let (from, to) = (days.start(of: range.from) ?? .distantPast, days.start(of: range.to) ?? .distantFuture)
        let sample = try await store.recentTickets(tenantID: tenantID, categories: codes, from: from, to: to, district: district, limit: Self.textSample)
        let groups = clusterer.cluster(sample.map { TextClusterer.Document(id: $0.number, title: $0.title, text: Redactor.redact($0.description, name: nil)) })
        return ClusterReport(range: range, category: category, categoryName: reference.categories[category]?.name, tickets: total, sampled: sample.count, clusters: groups)
    }

    /// What a hotspot query returns.
    public struct HotspotReport: Codable, Sendable, Equatable {
        public var range: DayRange
        public var level: Int
        public var radius: Double
        public var minimumTickets: Int
        public var densityFactor: Double
        public var hotspots: [Hotspot]
        /// When it was computed: a usual view is served as stored for a while
        /// (``servedHotspots(tenant:view:limit:withTickets:days:now:maxAge:rebuild:)``).
        public var generatedAt: Date?

        /// The first `limit` hotspots, with ticket numbers on the first `withTickets`: what a
        /// query asking for less would have found (hotspots are found and ranked without
        /// either, and each one's growth and tickets are its own).
        public func trimmed(limit: Int, withTickets: Int) -> HotspotReport {
            var r = self
            r.hotspots = Array(hotspots.prefix(max(0, limit)))
            for i in r.hotspots.indices where i >= withTickets { r.hotspots[i].numbers = [] }
            return r
        }
    }

    /// Most hotspots a query lists, and most of them with their tickets.
    public static let hotspotLimit = 100, hotspotTickets = 20
    /// Newest ticket numbers listed with a hotspot.
    static let ticketsPerHotspot = 20

    /// Hotspots of the period, per category at `level`, most tickets first.
    /// - Parameters:
    ///   - category: Only this category (and those below it); every category when `nil`.
    ///   - withTickets: Attach the newest ticket numbers of each of the first hotspots.
    public func hotspots(
        tenantID: String, range: DayRange, category: String?, level: Int, finder: HotspotFinder, limit: Int, withTickets: Int,
        days: DayKeys, reference: Reference
    ) async throws -> HotspotReport {
        let reports = try await hotspots(
            tenantID: tenantID, range: range, category: category, levels: [level], finder: finder, limit: limit, withTickets: withTickets, days: days, reference: reference
        )
        return reports[0]
    }

    /// Hotspots of the period at several levels from one read of its cells (the read is most
    /// of the work), one report per level in the order asked.
    func hotspots(
        tenantID: String, range: DayRange, category: String?, levels: [Int], finder: HotspotFinder, limit: Int, withTickets: Int,
        days: DayKeys, reference: Reference
    ) async throws -> [HotspotReport] {
        let codes = category.map { reference.descendants(of: $0) }
        // In a busy period a cell with one ticket is background (at city scale the density floor
        // needs far more than one): leaving those cells in the database keeps the rows read near
        // the number of places with repeats, not of tickets. A quiet period reads every cell.
        let wanted = codes.map(Set.init)
        let volume = try await store.demandCounts(tenantID: tenantID, range: range, district: nil, street: nil)
            .filter { count in wanted?.contains(count.category) ?? true }.reduce(0) { $0 + $1.tickets }
        let floor = finder.densityFactor > 0 && volume >= Self.busyPeriod ? 2 : 1
        let now = try await store.demandCells(tenantID: tenantID, range: range, categories: codes, cells: nil, minimumPerCell: floor)
        var reports: [HotspotReport] = []
        for level in levels {
            let spots = try await ranked(now, tenantID: tenantID, range: range, codes: codes, level: level, finder: finder, limit: limit, withTickets: withTickets, days: days, reference: reference)
            reports.append(HotspotReport(range: range, level: level, radius: finder.radius, minimumTickets: finder.minimumTickets, densityFactor: finder.densityFactor, hotspots: spots))
        }
        return reports
    }

    /// The first `limit` hotspots of the period's cells rolled up to `level`, with their growth
    /// and names, and the tickets of the first `withTickets`.
    private func ranked(
        _ now: [DemandCell], tenantID: String, range: DayRange, codes: [String]?, level: Int, finder: HotspotFinder, limit: Int, withTickets: Int,
        days: DayKeys, reference: Reference
    ) async throws -> [Hotspot] {
        var byCategory: [String: [DemandCell]] = [:]
        for c in now { byCategory[reference.rollUp(c.category, to: level), default: []].append(c) }
        var spots: [Hotspot] = []
        for (code, cells) in byCategory where !code.isEmpty {
            spots += finder.find(category: code, cells: cells, previous: [])
        }
        spots.sort { a, b in a.tickets != b.tickets ? a.tickets > b.tickets : (a.category, a.cells.first ?? 0) < (b.category, b.cells.first ?? 0) }
        spots = Array(spots.prefix(max(0, limit)))
        // The period before is read for the hotspots' own cells only.
        let spotCells = Array(Set(spots.flatMap(\.cells))).sorted()
        var before: [String: [GridCell: Int]] = [:]
        for chunk in stride(from: 0, to: spotCells.count, by: 400).map({ Array(spotCells[$0..<min($0 + 400, spotCells.count)]) }) {
            for c in try await store.demandCells(tenantID: tenantID, range: range.previous, categories: codes, cells: chunk, minimumPerCell: 1) {
                before[reference.rollUp(c.category, to: level), default: [:]][c.cell, default: 0] += c.tickets
            }
        }
        for i in spots.indices {
            let prior = spots[i].cells.reduce(0) { $0 + (before[spots[i].category]?[GridCell(id: $1)] ?? 0) }
            spots[i].previous = prior
            spots[i].growth = prior == 0 ? nil : Double(spots[i].tickets - prior) / Double(prior)
        }
        let (from, to) = (days.start(of: range.from) ?? .distantPast, days.start(of: range.to) ?? .distantFuture)
        for i in spots.indices {
            spots[i].categoryName = reference.categories[spots[i].category]?.name
            spots[i].unitName = spots[i].unit.flatMap { reference.units[$0]?.name }
        }
        // The newest tickets of the first hotspots, each read in the box around its cells off the
        // index of category, time and place, then kept to its cells; the hotspots read at once.
        let found = try await withThrowingTaskGroup(of: (Int, [String]).self) { group in
            for i in spots.indices.prefix(max(0, withTickets)) {
                let cells = Set(spots[i].cells), box = Self.bounds(of: spots[i].cells), codes = reference.descendants(of: spots[i].category)
                group.addTask { [store] in
                    let tickets = try await store.placedTickets(tenantID: tenantID, categories: codes, from: from, to: to, bounds: box, limit: 500)
                    return (i, tickets.filter { t in
                        GridCell(latitude: t.latitude, longitude: t.longitude).map { cells.contains($0.id) } ?? false
                    }.prefix(Self.ticketsPerHotspot).map(\.number))
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        for (i, numbers) in found { spots[i].numbers = numbers }
        return spots
    }

    /// The box around some cells: their centres, widened by a little more than half a cell's
    /// diagonal so every ticket inside them falls in it.
    static func bounds(of cells: [Int64]) -> GeoBounds {
        var box = GeoBounds(south: 90, west: 180, north: -90, east: -180)
        for id in cells {
            let c = GridCell(id: id).centre
            box.south = min(box.south, c.latitude)
            box.north = max(box.north, c.latitude)
            box.west = min(box.west, c.longitude)
            box.east = max(box.east, c.longitude)
        }
        let metres = GridCell.size * 0.75, perDegree = 111_320.0
        let latitude = metres / perDegree, longitude = metres / (perDegree * max(0.1, cos(max(abs(box.south), abs(box.north)) * .pi / 180)))
        return GeoBounds(south: box.south - latitude, west: box.west - longitude, north: box.north + latitude, east: box.east + longitude)
    }
}

import Foundation
import ResponseCore
import ResponseStore

/// A spatial cluster of tickets of one category.
public struct Hotspot: Codable, Sendable, Equatable {
    public var category: String
    public var categoryName: String?
    public var tickets: Int
    /// Tickets in the same cells in the period before.
    public var previous: Int
    /// `(tickets − previous) ÷ previous`; `nil` when the place was quiet before.
    public var growth: Double?
    /// Ticket-weighted centre.
    public var latitude: Double
    public var longitude: Double
    /// Metres from the centre to the farthest ticket's cell edge.
    public var radius: Double
    /// The street office with most of its tickets: the unit to act.
    public var unit: String?
    public var unitName: String?
    /// Grid cells (``GridCell/id``) it covers.
    public var cells: [Int64]
    /// Numbers of its newest tickets (filled on request).
    public var numbers: [String]
}

/// Finds hotspots with DBSCAN over grid cells weighted by their ticket counts.
///
/// Cells, not tickets, are the points: the aggregates hold counts per ~200 m cell, so the cost
/// depends on the cells with tickets, never on how many tickets fill them. A cell is a core
/// point when the cells within `radius` metres (itself included) hold at least `minimumTickets`;
/// clusters grow from core cells through their neighbours, as in DBSCAN.
public struct HotspotFinder: Sendable, Equatable {
    /// The DBSCAN ε, in metres between cell centres.
    public var radius: Double
    /// The DBSCAN minimum, in tickets.
    public var minimumTickets: Int
    /// When positive, the minimum also rises to this many times the category's background:
    /// the tickets a neighbourhood would hold if the category's tickets were spread evenly over
    /// the area they cover (at least 100 km²). In a city of millions of tickets five within
    /// 300 m is everywhere; a hotspot must stand out from its own category's spread.
    public var densityFactor: Double

    public init(radius: Double = 300, minimumTickets: Int = 5, densityFactor: Double = 0) {
        self.radius = radius
        self.minimumTickets = minimumTickets
        self.densityFactor = densityFactor
    }

    /// The minimum for these cells: `minimumTickets`, or more where the category is everywhere.
    func threshold(_ weight: [GridCell: Int]) -> Int {
        guard densityFactor > 0, !weight.isEmpty else { return minimumTickets }
        let total = weight.values.reduce(0, +)
        var south = 90.0, north = -90.0, west = 180.0, east = -180.0
        for cell in weight.keys {
            let c = cell.centre
            south = min(south, c.latitude); north = max(north, c.latitude); west = min(west, c.longitude); east = max(east, c.longitude)
        }
        let height = GridCell.distance((south, west), (north, west)) + GridCell.size
        let width = GridCell.distance((south, west), (south, east)) + GridCell.size
        let area = max(height * width, 100_000_000)
        let background = Double(total) * Double.pi * radius * radius / area
        return max(minimumTickets, Int((densityFactor * background).rounded(.up)))
    }

    /// The hotspots of one category's cells, most tickets first.
    /// - Parameters:
    ///   - cells: Ticket counts per cell and street (a cell may appear once per street).
    ///   - previous: The same for the period before, to measure growth.
    public func find(category: String, cells: [DemandCell], previous: [DemandCell]) -> [Hotspot] {
        var weight: [GridCell: Int] = [:]
        var streets: [GridCell: [String: Int]] = [:]
        for c in cells {
            weight[c.cell, default: 0] += c.tickets
            streets[c.cell, default: [:]][c.street, default: 0] += c.tickets
        }
        var before: [GridCell: Int] = [:]
        for c in previous { before[c.cell, default: 0] += c.tickets }
        let clusters = clusters(weight)
        return clusters.map { members in
            let n = members.reduce(0) { $0 + (weight[$1] ?? 0) }
            var lat = 0.0, lon = 0.0
            var unitCounts: [String: Int] = [:]
            for m in members {
                let w = Double(weight[m] ?? 0), c = m.centre
                lat += c.latitude * w
                lon += c.longitude * w
                for (s, k) in streets[m] ?? [:] where !s.isEmpty { unitCounts[s, default: 0] += k }
            }
            let centre = (latitude: lat / Double(max(n, 1)), longitude: lon / Double(max(n, 1)))
            // Half a cell's diagonal covers the farthest ticket inside its cell.
            let spread = members.map { GridCell.distance(centre, $0.centre) }.max() ?? 0
            let prior = members.reduce(0) { $0 + (before[$1] ?? 0) }
            let unit = unitCounts.max { a, b in a.value != b.value ? a.value < b.value : a.key > b.key }?.key
            return Hotspot(
                category: category, categoryName: nil, tickets: n, previous: prior,
                growth: prior == 0 ? nil : Double(n - prior) / Double(prior),
                latitude: centre.latitude, longitude: centre.longitude, radius: (spread + GridCell.size * 0.7071).rounded(),
                unit: unit, unitName: nil, cells: members.map(\.id).sorted(), numbers: []
            )
        }
        .sorted { a, b in
            if a.tickets != b.tickets { return a.tickets > b.tickets }
            if (a.growth ?? .infinity) != (b.growth ?? .infinity) { return (a.growth ?? .infinity) > (b.growth ?? .infinity) }
            return a.cells.first ?? 0 < b.cells.first ?? 0
        }
    }

    /// DBSCAN over the weighted cells: a cell whose neighbourhood holds enough tickets is a core
    /// and passes its cluster on; border cells join but do not extend it.
    func clusters(_ weight: [GridCell: Int]) -> [[GridCell]] {
        let points = weight.keys.sorted()
        let minimumTickets = threshold(weight)
        func neighbours(_ p: GridCell) -> [GridCell] {
            let centre = p.centre
            return p.candidates(within: radius).filter { weight[$0] != nil && GridCell.distance(centre, $0.centre) <= radius }
        }
        var label: [GridCell: Int] = [:]
        var clusters: [[GridCell]] = []
        for p in points where label[p] == nil {
            let near = neighbours(p)
            guard near.reduce(0, { $0 + (weight[$1] ?? 0) }) >= minimumTickets else { continue }
            let id = clusters.count
            var members: [GridCell] = []
            var queue = near
            label[p] = id
            members.append(p)
            while let q = queue.popLast() {
                if label[q] != nil { continue }
                label[q] = id
                members.append(q)
                let next = neighbours(q)
                // Only core cells pass the cluster on; border cells join but do not extend it.
                if next.reduce(0, { $0 + (weight[$1] ?? 0) }) >= minimumTickets { queue += next.filter { label[$0] == nil } }
            }
            clusters.append(members)
        }
        return clusters
    }
}

import Foundation

/// A uniform grid over one layer that answers point-in-polygon in near-constant time.
///
/// Each cell lists the regions whose bounds touch it, whether the cell's centre is inside each
/// (computed once per row by a scanline), and only the edges that cross the cell. A query walks
/// from the centre to the point — east, then north or south — and flips the centre's answer for
/// every edge it crosses. Cells that no edge crosses answer without any geometry at all, which
/// is most of the area of a layer.
struct LayerGrid: Sendable {
    /// One region's presence in one cell.
    struct Entry: Sendable {
        var region: Int32
        var centreInside: Bool
        var edgeStart: Int32
        var edgeCount: Int32
    }

    private let bounds: GeoBounds
    private let columns: Int
    private let rows: Int
    private let cellWidth: Double
    private let cellHeight: Double
    /// `cellStart[c]..<cellStart[c+1]` are the entries of cell `c`.
    private let cellStart: [Int32]
    private let entries: [Entry]
    /// Edges as (ax, ay, bx, by), x = longitude, y = latitude.
    private let edges: [SIMD4<Double>]
    /// The regions themselves, for the rare query whose walk starts or turns on an edge.
    private let regions: [GeoRegion]

    init(regions: [GeoRegion]) {
        self.regions = regions
        var bounds = GeoBounds.empty
        var regionBounds: [GeoBounds] = []
        var edgeTotal = 0
        for region in regions {
            let b = region.bounds
            regionBounds.append(b)
            bounds.extend(b)
            edgeTotal += region.rings.reduce(0) { $0 + $1.count - 1 }
        }
        // About as many cells as edges keeps a few edges per crossed cell; bounded for memory.
        let side = min(1024, max(16, Int(Double(edgeTotal).squareRoot())))
        let width = max(bounds.maxLongitude - bounds.minLongitude, 1e-9)
        let height = max(bounds.maxLatitude - bounds.minLatitude, 1e-9)
        let aspect = width / height
        let columns = max(4, min(2048, Int((Double(side) * aspect.squareRoot()).rounded())))
        let rows = max(4, min(2048, Int((Double(side) / aspect.squareRoot()).rounded())))
        self.bounds = bounds
        self.columns = columns
        self.rows = rows
        self.cellWidth = width / Double(columns)
        self.cellHeight = height / Double(rows)

        let frame: Frame = (bounds, cellWidth, cellHeight, columns, rows)
        let (cellEdges, cellRegions) = Self.edgesByCell(regions, regionBounds, frame)
        let centreInside = Self.centresInside(regions, regionBounds, frame)
        (cellStart, entries, edges) = Self.pack(cellEdges, cellRegions, centreInside, frame)
    }

    /// The grid's extent and cells: bounds, cell width and height (degrees), columns and rows.
    typealias Frame = (bounds: GeoBounds, width: Double, height: Double, columns: Int, rows: Int)

    /// Per cell, per region: the edges that touch the cell, and the regions whose bounds do.
    private static func edgesByCell(_ regions: [GeoRegion], _ regionBounds: [GeoBounds], _ f: Frame) -> ([[Int32: [SIMD4<Double>]]], [Set<Int32>]) {
        // Per cell, per region: edges that touch the cell (closed rectangles, so an edge on a
        // cell border belongs to both cells).
        var cellEdges = [[Int32: [SIMD4<Double>]]](repeating: [:], count: f.columns * f.rows)
        var cellRegions = [Set<Int32>](repeating: [], count: f.columns * f.rows)
        for (r, region) in regions.enumerated() where !regionBounds[r].isEmpty {
            let rb = regionBounds[r]
            let (c0, r0) = Self.cell(of: GeoPoint(latitude: rb.minLatitude, longitude: rb.minLongitude), f.bounds, f.width, f.height, f.columns, f.rows)
            let (c1, r1) = Self.cell(of: GeoPoint(latitude: rb.maxLatitude, longitude: rb.maxLongitude), f.bounds, f.width, f.height, f.columns, f.rows)
            for row in r0...r1 { for col in c0...c1 { cellRegions[row * f.columns + col].insert(Int32(r)) } }
            for ring in region.rings {
                for i in 1..<ring.count {
                    let a = ring[i - 1], b = ring[i]
                    let edge = SIMD4(a.longitude, a.latitude, b.longitude, b.latitude)
                    let lo = GeoPoint(latitude: min(a.latitude, b.latitude), longitude: min(a.longitude, b.longitude))
                    let hi = GeoPoint(latitude: max(a.latitude, b.latitude), longitude: max(a.longitude, b.longitude))
                    let (ec0, er0) = Self.cell(of: lo, f.bounds, f.width, f.height, f.columns, f.rows)
                    let (ec1, er1) = Self.cell(of: hi, f.bounds, f.width, f.height, f.columns, f.rows)
                    for row in er0...er1 {
                        for col in ec0...ec1 where Self.segment(edge, touchesCellAt: col, row, f.bounds, f.width, f.height) {
                            cellEdges[row * f.columns + col][Int32(r), default: []].append(edge)
                        }
                    }
                }
            }
        }
        return (cellEdges, cellRegions)
    }

    /// Per cell, the regions its centre is inside.
    private static func centresInside(_ regions: [GeoRegion], _ regionBounds: [GeoBounds], _ f: Frame) -> [Set<Int32>] {
        // Whether each cell centre is inside each region: one scanline per row and region.
        var centreInside = [Set<Int32>](repeating: [], count: f.columns * f.rows)
        for (r, region) in regions.enumerated() where !regionBounds[r].isEmpty {
            let rb = regionBounds[r]
            let (_, r0) = Self.cell(of: GeoPoint(latitude: rb.minLatitude, longitude: rb.minLongitude), f.bounds, f.width, f.height, f.columns, f.rows)
            let (_, r1) = Self.cell(of: GeoPoint(latitude: rb.maxLatitude, longitude: rb.maxLongitude), f.bounds, f.width, f.height, f.columns, f.rows)
            var crossingsByRow = [[Double]](repeating: [], count: r1 - r0 + 1)
            for ring in region.rings {
                for i in 1..<ring.count {
                    let a = ring[i - 1], b = ring[i]
                    let yLo = min(a.latitude, b.latitude), yHi = max(a.latitude, b.latitude)
                    // One row more each way: an end exactly on a row's centre can round out of
                    // the range (found by fuzzing); the half-open test below decides.
                    let first = max(r0, Self.clamped(((yLo - f.bounds.minLatitude) / f.height - 0.5).rounded(.up), r0, r1) - 1)
                    let last = min(r1, Self.clamped(((yHi - f.bounds.minLatitude) / f.height - 0.5).rounded(.down), r0, r1) + 1)
                    guard first <= last else { continue }
                    for row in first...last {
                        let y = f.bounds.minLatitude + (Double(row) + 0.5) * f.height
                        // The same half-open rule as the query and as GeoRegion.contains.
                        guard (a.latitude > y) != (b.latitude > y) else { continue }
                        crossingsByRow[row - r0].append(a.longitude + (y - a.latitude) / (b.latitude - a.latitude) * (b.longitude - a.longitude))
                    }
                }
            }
            for row in r0...r1 {
                let xs = crossingsByRow[row - r0].sorted()
                guard !xs.isEmpty else { continue }
                var k = 0
                for col in 0..<f.columns {
                    let x = f.bounds.minLongitude + (Double(col) + 0.5) * f.width
                    while k < xs.count && xs[k] <= x { k += 1 }
                    // Inside when an odd number of crossings lie strictly east of the centre.
                    if (xs.count - k) % 2 == 1 { centreInside[row * f.columns + col].insert(Int32(r)) }
                }
            }
        }
        return centreInside
    }

    /// The cells' entries and edges in flat arrays, `cellStart[c]..<cellStart[c+1]` per cell.
    private static func pack(
        _ cellEdges: [[Int32: [SIMD4<Double>]]], _ cellRegions: [Set<Int32>], _ centreInside: [Set<Int32>], _ f: Frame
    ) -> ([Int32], [Entry], [SIMD4<Double>]) {
        var cellStart: [Int32] = [0]
        var entries: [Entry] = []
        var edges: [SIMD4<Double>] = []
        cellStart.reserveCapacity(f.columns * f.rows + 1)
        for c in 0..<(f.columns * f.rows) {
            for region in cellRegions[c].sorted() {
                let list = cellEdges[c][region] ?? []
                let inside = centreInside[c].contains(region)
                // A region with no edge here is either all over the cell or absent from it.
                if list.isEmpty && !inside { continue }
                entries.append(Entry(region: region, centreInside: inside, edgeStart: Int32(edges.count), edgeCount: Int32(list.count)))
                edges += list
            }
            cellStart.append(Int32(entries.count))
        }
        return (cellStart, entries, edges)
    }

    /// The regions that contain `p`, lowest index first; usually one, two on a shared border
    /// in a layer whose polygons overlap.
    func regions(containing p: GeoPoint, first: Bool) -> [Int] {
        guard bounds.contains(p) else { return [] }
        let (col, row) = Self.cell(of: p, bounds, cellWidth, cellHeight, columns, rows)
        let c = row * columns + col
        let cx = bounds.minLongitude + (Double(col) + 0.5) * cellWidth
        let cy = bounds.minLatitude + (Double(row) + 0.5) * cellHeight
        var found: [Int] = []
        for e in Int(cellStart[c])..<Int(cellStart[c + 1]) {
            let entry = entries[e]
            var inside = entry.centreInside
            var onEdge = false
            let start = Int(entry.edgeStart)
            for k in start..<(start + Int(entry.edgeCount)) {
                let edge = edges[k]
                // Leg 1: east/west along y = cy from cx to p.x — same rule as the scanline.
                if (edge.y > cy) != (edge.w > cy) {
                    let x = edge.x + (cy - edge.y) / (edge.w - edge.y) * (edge.z - edge.x)
                    if (x > cx) != (x > p.longitude) { inside.toggle() }
                    // A walk that starts or turns exactly on an edge (a vertex on a cell centre,
                    // as round coordinates give) has no parity to trust (found by fuzzing).
                    if x == cx || x == p.longitude { onEdge = true }
                }
                // Leg 2: north/south along x = p.x from cy to p.y.
                if (edge.x > p.longitude) != (edge.z > p.longitude) {
                    let y = edge.y + (p.longitude - edge.x) / (edge.z - edge.x) * (edge.w - edge.y)
                    if (y > cy) != (y > p.latitude) { inside.toggle() }
                    if y == cy { onEdge = true }
                }
            }
            if onEdge { inside = regions[Int(entry.region)].contains(p) }
            if inside {
                found.append(Int(entry.region))
                if first { break }
            }
        }
        return found
    }

    private static func cell(of p: GeoPoint, _ b: GeoBounds, _ w: Double, _ h: Double, _ columns: Int, _ rows: Int) -> (Int, Int) {
        (clamped((p.longitude - b.minLongitude) / w, 0, columns - 1), clamped((p.latitude - b.minLatitude) / h, 0, rows - 1))
    }

    /// `v` as an index in `lo...hi`; a value that is not finite (a region with no points, a
    /// coordinate out of range) never traps (found by the geojson fuzz target).
    private static func clamped(_ v: Double, _ lo: Int, _ hi: Int) -> Int {
        guard !v.isNaN else { return lo }
        return Int(min(Double(hi), max(Double(lo), v)))
    }

    /// Whether the segment meets the closed cell rectangle (Liang–Barsky clipping), so long
    /// diagonal edges are not filed in every cell of their bounding box.
    private static func segment(_ s: SIMD4<Double>, touchesCellAt col: Int, _ row: Int, _ b: GeoBounds, _ w: Double, _ h: Double) -> Bool {
        // Widen by a hair so an edge lying on a cell border is filed on both sides.
        let eps = 1e-12
        let xmin = b.minLongitude + Double(col) * w - eps, xmax = b.minLongitude + Double(col + 1) * w + eps
        let ymin = b.minLatitude + Double(row) * h - eps, ymax = b.minLatitude + Double(row + 1) * h + eps
        let dx = s.z - s.x, dy = s.w - s.y
        var t0 = 0.0, t1 = 1.0
        for (p, q) in [(-dx, s.x - xmin), (dx, xmax - s.x), (-dy, s.y - ymin), (dy, ymax - s.y)] {
            if p == 0 {
                if q < 0 { return false }
            } else {
                let r = q / p
                if p < 0 { if r > t1 { return false }; if r > t0 { t0 = r } }
                else { if r < t0 { return false }; if r < t1 { t1 = r } }
            }
        }
        return true
    }
}

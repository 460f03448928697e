import Foundation

/// A square of about 200 m × 200 m on a fixed world grid: the unit in which hotspots are counted.
///
/// Rows are bands of equal latitude; each row's columns are as wide in metres as the row is tall,
/// so a cell is nearly square at any latitude. The id is stable (it is stored in the demand
/// aggregates): the size must never change once data exists.
public struct GridCell: Hashable, Sendable, Comparable {
    public let row: Int64
    public let column: Int64

    /// Edge of a cell in metres.
    public static let size = 200.0
    /// Metres per degree of latitude.
    static let metresPerDegree = 111_320.0
    static let rowDegrees = size / metresPerDegree
    /// Columns per row stay below this, so `id` packs both numbers.
    static let columnSpace: Int64 = 10_000_000

    public init(row: Int64, column: Int64) {
        self.row = row
        self.column = column
    }

    /// The cell holding a point; `nil` for coordinates outside the world.
    public init?(latitude: Double, longitude: Double) {
        guard latitude.isFinite, longitude.isFinite, (-90...90).contains(latitude), (-180...180).contains(longitude) else { return nil }
        let row = Int64(((latitude + 90) / Self.rowDegrees).rounded(.down))
        let column = Int64(((longitude + 180) / Self.columnDegrees(row: row)).rounded(.down))
        self.init(row: row, column: column)
    }

    /// The cell with a stored id.
    public init(id: Int64) {
        self.init(row: id / Self.columnSpace, column: id % Self.columnSpace)
    }

    /// One integer for storage.
    public var id: Int64 { row * Self.columnSpace + column }

    /// Width of the row's cells in degrees of longitude (wider towards the poles).
    static func columnDegrees(row: Int64) -> Double {
        let latitude = (Double(row) + 0.5) * rowDegrees - 90
        // Capped near the poles, where a cell would otherwise span the world.
        return rowDegrees / max(cos(latitude * .pi / 180), 0.05)
    }

    /// The centre of the cell.
    public var centre: (latitude: Double, longitude: Double) {
        ((Double(row) + 0.5) * Self.rowDegrees - 90, (Double(column) + 0.5) * Self.columnDegrees(row: row) - 180)
    }

    /// The cells whose centres may lie within `metres` of this cell's centre (a superset:
    /// callers check the distance). Rows have their own column widths, so a neighbouring row's
    /// columns are found from this centre's longitude, not from this cell's column number.
    public func candidates(within metres: Double) -> [GridCell] {
        let reach = Int64((metres / Self.size).rounded(.up))
        let centre = self.centre
        var out: [GridCell] = []
        for r in (row - reach)...(row + reach) {
            let base = Int64(((centre.longitude + 180) / Self.columnDegrees(row: r)).rounded(.down))
            for c in (base - reach - 1)...(base + reach + 1) { out.append(GridCell(row: r, column: c)) }
        }
        return out
    }

    public static func < (a: GridCell, b: GridCell) -> Bool { a.id < b.id }

    /// Great-circle distance in metres (haversine).
    public static func distance(_ a: (latitude: Double, longitude: Double), _ b: (latitude: Double, longitude: Double)) -> Double {
        let rad = Double.pi / 180
        let dLat = (b.latitude - a.latitude) * rad, dLon = (b.longitude - a.longitude) * rad
        let h = sin(dLat / 2) * sin(dLat / 2) + cos(a.latitude * rad) * cos(b.latitude * rad) * sin(dLon / 2) * sin(dLon / 2)
        return 2 * 6_371_000 * asin(min(1, sqrt(h)))
    }
}

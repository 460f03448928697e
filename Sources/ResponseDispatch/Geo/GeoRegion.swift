import Foundation

/// One feature of a boundary layer: a jurisdiction with its key and its rings.
public struct GeoRegion: Sendable {
    /// The value of the layer's key property (`BoroCD` = `"311"`, `name` = `"东城区"`).
    public var key: String
    /// A human name when the layer has one.
    public var name: String?
    /// Every ring of every polygon (outer rings and holes alike), as closed lists of points.
    /// Inside-ness is even-odd over all rings, which is what holes and multipolygons mean and
    /// what tolerates self-touching rings.
    public var rings: [[GeoPoint]]

    public init(key: String, name: String? = nil, rings: [[GeoPoint]]) {
        self.key = key
        self.name = name
        self.rings = rings
    }

    /// The smallest rectangle holding every ring.
    public var bounds: GeoBounds {
        var b = GeoBounds.empty
        for ring in rings { for p in ring { b.extend(p) } }
        return b
    }

    /// Even-odd point-in-polygon over all rings by a ray to the east; a plain scan of every
    /// edge, kept as the reference the indexed lookup is tested against.
    public func contains(_ p: GeoPoint) -> Bool {
        var inside = false
        for ring in rings where ring.count > 1 {
            var j = ring.count - 1
            for i in 0..<ring.count {
                let a = ring[i], b = ring[j]
                if (a.latitude > p.latitude) != (b.latitude > p.latitude) {
                    let x = a.longitude + (p.latitude - a.latitude) / (b.latitude - a.latitude) * (b.longitude - a.longitude)
                    if p.longitude < x { inside.toggle() }
                }
                j = i
            }
        }
        return inside
    }

    /// A point inside the region (the centre of the largest ring's bounds when that is inside,
    /// else a vertex-adjacent point), for labels and gazetteer answers.
    public var representativePoint: GeoPoint {
        let b = bounds
        let centre = GeoPoint(latitude: (b.minLatitude + b.maxLatitude) / 2, longitude: (b.minLongitude + b.maxLongitude) / 2)
        if contains(centre) { return centre }
        // Scan a few rows across the bounds for an interior point.
        for row in 1..<16 {
            let lat = b.minLatitude + (b.maxLatitude - b.minLatitude) * Double(row) / 16
            for col in 1..<16 {
                let p = GeoPoint(latitude: lat, longitude: b.minLongitude + (b.maxLongitude - b.minLongitude) * Double(col) / 16)
                if contains(p) { return p }
            }
        }
        return centre
    }
}

/// A latitude/longitude rectangle.
public struct GeoBounds: Sendable, Equatable {
    public var minLatitude: Double
    public var minLongitude: Double
    public var maxLatitude: Double
    public var maxLongitude: Double

    public static let empty = GeoBounds(minLatitude: .infinity, minLongitude: .infinity, maxLatitude: -.infinity, maxLongitude: -.infinity)

    public init(minLatitude: Double, minLongitude: Double, maxLatitude: Double, maxLongitude: Double) {
        self.minLatitude = minLatitude
        self.minLongitude = minLongitude
        self.maxLatitude = maxLatitude
        self.maxLongitude = maxLongitude
    }

    public var isEmpty: Bool { minLatitude > maxLatitude || minLongitude > maxLongitude }

    public mutating func extend(_ p: GeoPoint) {
        minLatitude = min(minLatitude, p.latitude)
        maxLatitude = max(maxLatitude, p.latitude)
        minLongitude = min(minLongitude, p.longitude)
        maxLongitude = max(maxLongitude, p.longitude)
    }

    public mutating func extend(_ other: GeoBounds) {
        minLatitude = min(minLatitude, other.minLatitude)
        maxLatitude = max(maxLatitude, other.maxLatitude)
        minLongitude = min(minLongitude, other.minLongitude)
        maxLongitude = max(maxLongitude, other.maxLongitude)
    }

    public func contains(_ p: GeoPoint) -> Bool {
        p.latitude >= minLatitude && p.latitude <= maxLatitude && p.longitude >= minLongitude && p.longitude <= maxLongitude
    }
}

import Foundation
import ResponseDispatch

extension DemoCity {
    /// Schematic boundaries of the demo city's districts and streets (demo data, not a real
    /// map): a jittered lattice, so the districts tile the city with shared edges, each split
    /// into its three streets. Enough for map clicks to locate a ticket and for the choropleth.
    public static func geoLayers() -> [GeoLayer] {
        let columns = 4, rows = 2
        let west = 112.86, south = 28.12, width = 0.09, height = 0.08
        // Deterministic jitter of the interior lattice points (none on the outer frame).
        func point(_ c: Int, _ r: Int) -> GeoPoint {
            let inner = c > 0 && c < columns && r > 0 && r < rows
            let seed = Double((c * 7919 + r * 104_729) % 97) / 97
            let dx = inner ? (seed - 0.5) * width * 0.3 : 0
            let dy = inner ? (0.5 - seed) * height * 0.25 : 0
            return GeoPoint(latitude: south + Double(r) * height + dy, longitude: west + Double(c) * width + dx)
        }
        func mix(_ a: GeoPoint, _ b: GeoPoint, _ t: Double) -> GeoPoint {
            GeoPoint(latitude: a.latitude + (b.latitude - a.latitude) * t, longitude: a.longitude + (b.longitude - a.longitude) * t)
        }
        var districtRegions: [GeoRegion] = [], streetRegions: [GeoRegion] = []
        for (i, d) in districts.enumerated() {
            let c = i % columns, r = rows - 1 - i / columns  // first row in the north
            let sw = point(c, r), se = point(c + 1, r), ne = point(c + 1, r + 1), nw = point(c, r + 1)
            districtRegions.append(GeoRegion(key: d.code, name: d.name, rings: [[sw, se, ne, nw, sw]]))
            for j in 0..<d.streets.count {
                let t0 = Double(j) / Double(d.streets.count), t1 = Double(j + 1) / Double(d.streets.count)
                let a = mix(sw, se, t0), b = mix(sw, se, t1), e = mix(nw, ne, t1), f = mix(nw, ne, t0)
                streetRegions.append(GeoRegion(key: "\(d.code)-0\(j + 1)", name: d.streets[j], rings: [[a, b, e, f, a]]))
            }
        }
        return [GeoLayer(level: "district", regions: districtRegions), GeoLayer(level: "street", regions: streetRegions)]
    }
}

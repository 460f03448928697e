import Foundation
import ResponseDispatch

/// Writes a boundary layer back out as GeoJSON for the browser's maps, with coordinates rounded
/// to about a metre (six decimals), which keeps city layers small.
enum GeoJSONWriter {
    static func featureCollection(_ layer: GeoLayer) -> [UInt8] {
        var out = "{\"type\":\"FeatureCollection\",\"level\":" + quoted(layer.level) + ",\"features\":["
        for (i, region) in layer.regions.enumerated() {
            if i > 0 { out += "," }
            out += "{\"type\":\"Feature\",\"properties\":{\"key\":" + quoted(region.key) + ",\"name\":" + (region.name.map(quoted) ?? "null")
            out += "},\"geometry\":{\"type\":\"Polygon\",\"coordinates\":["
            out += region.rings.map { ring in
                "[" + ring.map { "[" + number($0.longitude) + "," + number($0.latitude) + "]" }.joined(separator: ",") + "]"
            }.joined(separator: ",")
            out += "]}}"
        }
        out += "]}"
        return Array(out.utf8)
    }

    static func number(_ v: Double) -> String { String(format: "%.6f", v) }

    static func quoted(_ s: String) -> String {
        guard let data = try? JSONEncoder().encode(s) else { return "\"\"" }
        return String(decoding: data, as: UTF8.self)
    }
}

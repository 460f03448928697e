import Foundation

/// The datum a layer's coordinates are in. Points are always given in WGS-84 (GPS); a GCJ-02
/// layer converts each point before the lookup, which is cheaper than converting the polygons
/// and keeps the file as published.
public enum GeoDatum: String, Sendable, Codable, CaseIterable {
    case wgs84
    case gcj02
}

/// A GeoJSON file that cannot be used, naming the feature at fault.
public struct GeoJSONError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// One level of jurisdictions (districts, streets/townships, grids) read from GeoJSON.
public struct GeoLayer: Sendable {
    /// The level this layer answers for (`district`, `street`, `grid`, or any name).
    public var level: String
    public var datum: GeoDatum
    public var regions: [GeoRegion]

    public init(level: String, datum: GeoDatum = .wgs84, regions: [GeoRegion]) {
        self.level = level
        self.datum = datum
        self.regions = regions
    }

    /// Reads a FeatureCollection (or a single Feature) of Polygon and MultiPolygon features.
    /// - Parameters:
    ///   - data: The GeoJSON bytes.
    ///   - level: Name of the level.
    ///   - keyProperty: The property whose value identifies each region; numbers are rendered
    ///     without a fraction (`311`, not `311.0`).
    ///   - nameProperty: An optional property with a human name.
    ///   - datum: The datum of the coordinates.
    /// - Throws: ``GeoJSONError`` naming the feature (by index and key) and what is wrong.
    public static func parse(
        _ data: Data,
        level: String,
        keyProperty: String,
        nameProperty: String? = nil,
        datum: GeoDatum = .wgs84
    ) throws(GeoJSONError) -> GeoLayer {
        let root: Any
        do { root = try JSONSerialization.jsonObject(with: data) } catch {
            throw GeoJSONError("not valid JSON: \(error.localizedDescription)")
        }
        guard let object = root as? [String: Any], let type = object["type"] as? String else {
            throw GeoJSONError("not a GeoJSON object (no \"type\")")
        }
        let features: [Any]
        switch type {
        case "FeatureCollection":
            guard let list = object["features"] as? [Any] else { throw GeoJSONError("FeatureCollection without a \"features\" array") }
            features = list
        case "Feature": features = [object]
        default: throw GeoJSONError("expected a FeatureCollection or a Feature, found \(type)")
        }
        var regions: [GeoRegion] = []
        regions.reserveCapacity(features.count)
        for (index, raw) in features.enumerated() {
            guard let feature = raw as? [String: Any] else { throw GeoJSONError("feature \(index): not an object") }
            let properties = feature["properties"] as? [String: Any] ?? [:]
            guard let key = properties[keyProperty].flatMap(render), !key.isEmpty else {
                throw GeoJSONError("feature \(index): no property \"\(keyProperty)\" (has: \(properties.keys.sorted().joined(separator: ", ")))")
            }
            let label = "feature \(index) (\(keyProperty)=\(key))"
            guard let geometry = feature["geometry"] as? [String: Any] else { throw GeoJSONError("\(label): no geometry") }
            let rings = try parseGeometry(geometry, label: label)
            regions.append(GeoRegion(key: key, name: nameProperty.flatMap { properties[$0].flatMap(render) }, rings: rings))
        }
        if regions.isEmpty { throw GeoJSONError("the file has no features") }
        return GeoLayer(level: level, datum: datum, regions: regions)
    }

    private static func parseGeometry(_ geometry: [String: Any], label: String) throws(GeoJSONError) -> [[GeoPoint]] {
        let type = geometry["type"] as? String ?? "?"
        switch type {
        case "Polygon":
            guard let polygon = geometry["coordinates"] as? [Any] else { throw GeoJSONError("\(label): Polygon without coordinates") }
            return try parsePolygon(polygon, label: label)
        case "MultiPolygon":
            guard let polygons = geometry["coordinates"] as? [Any] else { throw GeoJSONError("\(label): MultiPolygon without coordinates") }
            var rings: [[GeoPoint]] = []
            for polygon in polygons {
                guard let polygon = polygon as? [Any] else { throw GeoJSONError("\(label): a MultiPolygon member is not a list of rings") }
                rings += try parsePolygon(polygon, label: label)
            }
            return rings
        case "GeometryCollection":
            var rings: [[GeoPoint]] = []
            for member in geometry["geometries"] as? [Any] ?? [] {
                if let member = member as? [String: Any] { rings += try parseGeometry(member, label: label) }
            }
            if rings.isEmpty { throw GeoJSONError("\(label): GeometryCollection without polygons") }
            return rings
        default:
            throw GeoJSONError("\(label): geometry \(type) is not a Polygon or MultiPolygon")
        }
    }

    private static func parsePolygon(_ polygon: [Any], label: String) throws(GeoJSONError) -> [[GeoPoint]] {
        var rings: [[GeoPoint]] = []
        for ring in polygon {
            guard let positions = ring as? [Any] else { throw GeoJSONError("\(label): a ring is not a list of positions") }
            var points: [GeoPoint] = []
            points.reserveCapacity(positions.count)
            for position in positions {
                guard let pair = position as? [Any], pair.count >= 2, let lon = number(pair[0]), let lat = number(pair[1]) else {
                    throw GeoJSONError("\(label): a position is not [longitude, latitude]")
                }
                let point = GeoPoint(latitude: lat, longitude: lon)
                guard point.isValid else { throw GeoJSONError("\(label): position [\(lon), \(lat)] is out of range") }
                points.append(point)
            }
            // Tolerate unclosed rings (close them) but refuse rings that enclose nothing.
            if let first = points.first, let last = points.last, first != last { points.append(first) }
            guard points.count >= 4 else { throw GeoJSONError("\(label): a ring has \(points.count) positions; at least 4 are needed") }
            rings.append(points)
        }
        if rings.isEmpty { throw GeoJSONError("\(label): a polygon has no rings") }
        return rings
    }

    private static func number(_ value: Any) -> Double? {
        if let n = value as? NSNumber { return n.doubleValue }
        return nil
    }

    private static func render(_ value: Any) -> String? {
        switch value {
        case let s as String: return s.trimmingCharacters(in: .whitespaces)
        case let n as NSNumber:
            let d = n.doubleValue
            if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) }
            return n.stringValue
        default: return nil
        }
    }
}

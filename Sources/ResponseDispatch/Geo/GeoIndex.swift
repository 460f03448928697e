import Foundation

/// Jurisdictions by location: any number of boundary layers, each a level (district →
/// street/township → grid), each answered through its own ``LayerGrid``.
public struct GeoIndex: Sendable {
    /// What a point falls in, on one level.
    public struct Hit: Sendable, Equatable, Codable {
        public var level: String
        public var key: String
        public var name: String?

        public init(level: String, key: String, name: String? = nil) {
            self.level = level
            self.key = key
            self.name = name
        }
    }

    public let layers: [GeoLayer]
    private let grids: [LayerGrid]

    public init(layers: [GeoLayer]) {
        self.layers = layers
        self.grids = layers.map { LayerGrid(regions: $0.regions) }
    }

    /// The region containing `point` (WGS-84) on each level, finest level last. Levels where the
    /// point lies outside every polygon are absent: a point outside the city is reported as
    /// such, never snapped to the nearest region.
    ///
    /// Where polygons of one level overlap or share a border, the region listed first in its
    /// file wins, so the answer never depends on timing or hashing.
    public func locate(_ point: GeoPoint) -> [Hit] {
        layers.indices.compactMap { i in
            regionIndex(of: point, layerIndex: i).map { layers[i].regions[$0] }.map { Hit(level: layers[i].level, key: $0.key, name: $0.name) }
        }
    }

    /// The region of one level containing `point`, or `nil`.
    public func locate(_ point: GeoPoint, level: String) -> GeoRegion? {
        guard let i = layers.firstIndex(where: { $0.level == level }) else { return nil }
        return regionIndex(of: point, layerIndex: i).map { layers[i].regions[$0] }
    }

    /// Index of the containing region in layer `layerIndex`, for bulk work (`eval locate`).
    public func regionIndex(of point: GeoPoint, layerIndex: Int) -> Int? {
        let layer = layers[layerIndex]
        let p = layer.datum == .gcj02 ? ChineseDatum.gcj02(fromWGS84: point) : point
        return grids[layerIndex].regions(containing: p, first: true).first
    }

}

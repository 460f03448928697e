import Foundation
import ResponseCore
import ResponseDispatch
import Testing

@Suite("GeoIndex: jurisdictions by location")
struct GeoIndexTests {
    /// Two unit squares side by side, the left one with a square hole.
    static let squares = """
    {"type":"FeatureCollection","features":[
     {"type":"Feature","properties":{"code":"left","name":"Left"},"geometry":{"type":"Polygon","coordinates":[
       [[0,0],[1,0],[1,1],[0,1],[0,0]], [[0.4,0.4],[0.6,0.4],[0.6,0.6],[0.4,0.6],[0.4,0.4]]]}},
     {"type":"Feature","properties":{"code":"right"},"geometry":{"type":"MultiPolygon","coordinates":[
       [[[1,0],[2,0],[2,1],[1,1],[1,0]]], [[[3,0],[4,0],[4,1],[3,1]]]]}}
    ]}
    """

    @Test("points inside, in a hole, in a second polygon and outside")
    func smallLayer() throws {
        let layer = try GeoLayer.parse(Data(Self.squares.utf8), level: "district", keyProperty: "code", nameProperty: "name")
        let index = GeoIndex(layers: [layer])
        #expect(index.locate(GeoPoint(latitude: 0.2, longitude: 0.2)) == [GeoIndex.Hit(level: "district", key: "left", name: "Left")])
        #expect(index.locate(GeoPoint(latitude: 0.5, longitude: 0.5)).isEmpty, "the hole belongs to no one")
        #expect(index.locate(GeoPoint(latitude: 0.5, longitude: 3.5)).map(\.key) == ["right"], "unclosed ring of a multipolygon")
        #expect(index.locate(GeoPoint(latitude: 0.5, longitude: 2.5)).isEmpty, "between the polygons")
        #expect(index.locate(GeoPoint(latitude: 40, longitude: 116)).isEmpty, "far outside is reported, not snapped")
    }

    @Test("a point on a shared border resolves to exactly one region, the same every time")
    func borders() throws {
        let index = GeoIndex(layers: [try GeoLayer.parse(Data(Self.squares.utf8), level: "d", keyProperty: "code")])
        for lat in stride(from: 0.05, to: 1, by: 0.1) {
            let p = GeoPoint(latitude: lat, longitude: 1.0)
            let first = index.locate(p)
            #expect(first.count == 1)
            for _ in 0..<3 { #expect(index.locate(p) == first) }
        }
    }

    @Test("a vertex on a cell centre: the grid still agrees with a plain scan (found by fuzzing)")
    func vertexOnCellCentre() throws {
        // The hole's vertex (117.1, 38.05) is the centre of the grid cell that holds the point.
        let layer = try GeoLayer.parse(Data("""
        {"type":"FeatureCollection","features":[
         {"type":"Feature","properties":{"code":"a"},"geometry":{"type":"Polygon","coordinates":[[[116.0,39.0],[116.1,39.0],[116.1,39.1],[116.0,39.1],[116.0,39.0]]]}},
         {"type":"Feature","properties":{"code":"b"},"geometry":{"type":"MultiPolygon","coordinates":[[[[116.0,38.9],[116.1,38.9],[116.1,39.0],[116.0,38.9]]],
           [[[117,38],[117.5,38],[117.5,38.5],[117,38]],[[117.1,38.05],[118.2,38.05],[117.2,38.1],[117.1,38.05]]]]}}]}
        """.utf8), level: "d", keyProperty: "code")
        let index = GeoIndex(layers: [layer])
        let point = GeoPoint(latitude: 38.0625, longitude: 117.1)
        #expect(layer.regions[1].contains(point))
        #expect(index.locate(point, level: "d")?.key == "b")
        // An edge whose end lies exactly on a scanline's row was left out of that row.
        let other = try GeoLayer.parse(Data("""
        {"type":"Feature","properties":{"code":"c"},"geometry":{"type":"MultiPolygon","coordinates":[[[[116.0,38.9],[106.1,38.9],[116.1,39.0],[116.0,38.9]]],
          [[[117,38],[117.5,38],[118.5,38.5],[117,38]],[[117.1,38.05],[117.2,38.385],[117.2,38.1],[116.1,38.05]]]]}}
        """.utf8), level: "d", keyProperty: "code")
        let second = GeoPoint(latitude: 38.0625, longitude: 116.95)
        #expect(other.regions[0].contains(second))
        #expect(GeoIndex(layers: [other]).locate(second, level: "d")?.key == "c")
    }

    @Test("a feature without coordinates is no place and does not stop the layer (found by fuzzing)")
    func featureWithoutCoordinates() throws {
        let layer = try GeoLayer.parse(Data(#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"e"},"geometry":{"type":"MultiPolygon","coordinates":[]}}]}"#.utf8),
                                       level: "d", keyProperty: "code")
        #expect(GeoIndex(layers: [layer]).locate(GeoPoint(latitude: 39.9, longitude: 116.4)).isEmpty)
        let mixed = try GeoLayer.parse(Data(Self.squares.utf8), level: "d", keyProperty: "code")
        let index = GeoIndex(layers: [GeoLayer(level: "d", regions: layer.regions + mixed.regions)])
        #expect(index.locate(GeoPoint(latitude: 0.2, longitude: 0.2)).map(\.key) == ["left"])
    }

    @Test("invalid GeoJSON is refused with the feature named")
    func invalid() {
        let cases: [(String, String)] = [
            ("not json", "not valid JSON"),
            (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"a"},"geometry":{"type":"Point","coordinates":[1,2]}}]}"#, "feature 0 (id=a): geometry Point"),
            (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"x"},"geometry":null}]}"#, "feature 0: no property \"id\""),
            (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":7},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}}]}"#, "feature 0 (id=7): a ring has"),
            (#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"id":"b"},"geometry":{"type":"Polygon","coordinates":[[[0,0],[1,"x"],[1,1],[0,0]]]}}]}"#, "feature 0 (id=b): a position"),
            (#"{"type":"FeatureCollection","features":[]}"#, "no features"),
        ]
        for (text, expected) in cases {
            #expect {
                _ = try GeoLayer.parse(Data(text.utf8), level: "d", keyProperty: "id")
            } throws: { error in
                "\(error)".contains(expected)
            }
        }
    }

    @Test("the grid agrees with a plain scan of every edge on the NYC community districts", arguments: [
        ("geo/nyc-community-districts.geojson", "BoroCD"), ("geo/la-neighborhood-councils.geojson", "nc_id"), ("geo/sf-neighborhoods.geojson", "name"),
    ])
    func agreesWithScan(file: String, key: String) throws {
        let layer = try GeoLayer.parse(try SharedData.data(file), level: "d", keyProperty: key)
        let index = GeoIndex(layers: [layer])
        var bounds = GeoBounds.empty
        for region in layer.regions { bounds.extend(region.bounds) }
        var rng = SystemRandomNumberGenerator()
        var inside = 0
        for _ in 0..<3_000 {
            let p = GeoPoint(latitude: Double.random(in: bounds.minLatitude...bounds.maxLatitude, using: &rng),
                             longitude: Double.random(in: bounds.minLongitude...bounds.maxLongitude, using: &rng))
            let expected = layer.regions.first { $0.contains(p) }?.key
            let found = index.locate(p).first?.key
            #expect(found == expected, "\(p)")
            if found != nil { inside += 1 }
        }
        #expect(inside > 300, "the sample must exercise the inside case")
    }

    @Test("NYC requests fall in the community district their own record names")
    func nycAgreement() throws {
        let layer = try GeoLayer.parse(try SharedData.data("geo/nyc-community-districts.geojson"), level: "cd", keyProperty: "BoroCD")
        let index = GeoIndex(layers: [layer])
        let boroughs = ["MANHATTAN": 1, "BRONX": 2, "BROOKLYN": 3, "QUEENS": 4, "STATEN ISLAND": 5]
        let table = CSVTable(text: try String(contentsOf: SharedData.url("nyc311/requests.csv"), encoding: .utf8))
        var agree = 0, total = 0
        for row in table.rows {
            guard let lat = table.value(row, "latitude").flatMap(Double.init), let lon = table.value(row, "longitude").flatMap(Double.init),
                  let board = table.value(row, "community_board")?.split(separator: " ", maxSplits: 1).map(String.init),
                  board.count == 2, let n = Int(board[0]), let b = boroughs[board[1]]
            else { continue }
            total += 1
            if index.locate(GeoPoint(latitude: lat, longitude: lon)).first?.key == String(b * 100 + n) { agree += 1 }
        }
        #expect(total > 1_000)
        #expect(Double(agree) / Double(total) >= 0.99, "\(agree) of \(total)")
    }
}

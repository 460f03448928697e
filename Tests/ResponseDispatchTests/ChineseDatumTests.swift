import Foundation
import ResponseDispatch
import Testing

@Suite("WGS-84 ⇄ GCJ-02")
struct ChineseDatumTests {
    /// Tiananmen Square by GPS.
    static let tiananmen = GeoPoint(latitude: 39.908_7, longitude: 116.397_5)

    @Test("the offset in Beijing is a few hundred metres and the inverse undoes it")
    func roundTrip() {
        let gcj = ChineseDatum.gcj02(fromWGS84: Self.tiananmen)
        let offset = gcj.distance(to: Self.tiananmen)
        #expect((300...800).contains(offset), "offset \(offset) m")
        #expect(gcj.longitude > Self.tiananmen.longitude && gcj.latitude > Self.tiananmen.latitude, "GCJ-02 shifts north-east around Beijing")
        let back = ChineseDatum.wgs84(fromGCJ02: gcj)
        #expect(back.distance(to: Self.tiananmen) < 0.01)
    }

    @Test("outside China the datums are equal")
    func outside() {
        let nyc = GeoPoint(latitude: 40.75, longitude: -73.99)
        #expect(ChineseDatum.gcj02(fromWGS84: nyc) == nyc)
        #expect(ChineseDatum.wgs84(fromGCJ02: nyc) == nyc)
    }

    @Test("a GPS point is located in the right Beijing district through the GCJ-02 layer")
    func beijingLayer() throws {
        let layer = try GeoLayer.parse(try SharedData.data("geo/beijing-districts-gcj02.geojson"), level: "district",
                                       keyProperty: "adcode", nameProperty: "name", datum: .gcj02)
        let index = GeoIndex(layers: [layer])
        #expect(index.locate(Self.tiananmen).first?.name == "东城区")
        // The Bird's Nest stadium (WGS-84) is in Chaoyang.
        #expect(index.locate(GeoPoint(latitude: 39.9929, longitude: 116.3965)).first?.name == "朝阳区")
        #expect(index.locate(GeoPoint(latitude: 31.23, longitude: 121.47)).isEmpty, "Shanghai is outside every Beijing district")
    }
}

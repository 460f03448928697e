import Foundation

/// Conversion between WGS-84 (GPS) and GCJ-02, the obfuscated datum that Chinese maps and
/// boundary data use by law. GCJ-02 is WGS-84 plus a deterministic offset of a few hundred
/// metres inside mainland China and equal to it outside.
///
/// The forward formula is the published one used by every open implementation; the inverse has
/// no closed form and is found by fixed-point iteration (converges to < 1 mm in a few steps).
public enum ChineseDatum {
    private static let a = 6_378_245.0
    private static let ee = 0.006_693_421_622_965_943_23

    /// Whether the offset applies (a rectangle around mainland China, as in the reference code).
    public static func isInChina(_ p: GeoPoint) -> Bool {
        (72.004...137.8347).contains(p.longitude) && (0.8293...55.8271).contains(p.latitude)
    }

    /// WGS-84 → GCJ-02.
    public static func gcj02(fromWGS84 p: GeoPoint) -> GeoPoint {
        guard isInChina(p) else { return p }
        let (dLat, dLon) = offset(p)
        return GeoPoint(latitude: p.latitude + dLat, longitude: p.longitude + dLon)
    }

    /// GCJ-02 → WGS-84, exact to well below a metre.
    public static func wgs84(fromGCJ02 p: GeoPoint) -> GeoPoint {
        guard isInChina(p) else { return p }
        var guess = p
        for _ in 0..<10 {
            let forward = gcj02(fromWGS84: guess)
            let eLat = forward.latitude - p.latitude, eLon = forward.longitude - p.longitude
            guess.latitude -= eLat
            guess.longitude -= eLon
            if abs(eLat) < 1e-10 && abs(eLon) < 1e-10 { break }
        }
        return guess
    }

    private static func offset(_ p: GeoPoint) -> (Double, Double) {
        let x = p.longitude - 105.0, y = p.latitude - 35.0
        var dLat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * abs(x).squareRoot()
        dLat += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLat += (20.0 * sin(y * .pi) + 40.0 * sin(y / 3.0 * .pi)) * 2.0 / 3.0
        dLat += (160.0 * sin(y / 12.0 * .pi) + 320 * sin(y * .pi / 30.0)) * 2.0 / 3.0
        var dLon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * abs(x).squareRoot()
        dLon += (20.0 * sin(6.0 * x * .pi) + 20.0 * sin(2.0 * x * .pi)) * 2.0 / 3.0
        dLon += (20.0 * sin(x * .pi) + 40.0 * sin(x / 3.0 * .pi)) * 2.0 / 3.0
        dLon += (150.0 * sin(x / 12.0 * .pi) + 300.0 * sin(x / 30.0 * .pi)) * 2.0 / 3.0
        let radLat = p.latitude / 180.0 * .pi
        var magic = sin(radLat)
        magic = 1 - ee * magic * magic
        let sqrtMagic = magic.squareRoot()
        dLat = (dLat * 180.0) / ((a * (1 - ee)) / (magic * sqrtMagic) * .pi)
        dLon = (dLon * 180.0) / (a / sqrtMagic * cos(radLat) * .pi)
        return (dLat, dLon)
    }
}

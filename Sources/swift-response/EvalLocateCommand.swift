import ArgumentParser
import Foundation
import ResponseCore
import ResponseDispatch

/// `swift-response eval locate`: point-in-polygon for every row of a CSV, with speed and,
/// when the file carries its own label, agreement.
struct EvalLocateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "locate",
        abstract: "Find the polygon of every row's point; write the rows plus a `located` column and print points/s."
    )

    @Option(help: "GeoJSON boundary layer.") var layer: String
    @Option(help: "Property that names each polygon.") var key: String
    @Option(help: "Datum of the layer's coordinates: wgs84 or gcj02 (points are always WGS-84).") var datum: String = "wgs84"
    @Option(help: "Input CSV (.csv or .csv.gz).") var input: String
    @Option(help: "Latitude column.") var lat: String
    @Option(help: "Longitude column.") var lon: String
    @Option(help: "Output CSV: the input columns plus `located`.") var output: String
    @Option(help: "A column with the file's own label to measure agreement against (e.g. community_board).") var compare: String?
    @Option(help: "Timing rounds over all points (the median is reported).") var rounds = 5

    func run() async throws {
        guard let datum = GeoDatum(rawValue: datum) else { throw ValidationError("--datum must be wgs84 or gcj02") }
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: layer)) } catch { throw ValidationError("cannot read \(layer): \(error.localizedDescription)") }
        let geo: GeoLayer
        do { geo = try GeoLayer.parse(data, level: "layer", keyProperty: key, datum: datum) } catch { throw ValidationError("\(layer): \(error)") }
        let (index, buildSeconds) = timed { GeoIndex(layers: [geo]) }
        let table = try readTable(input, columns: [lat, lon] + (compare.map { [$0] } ?? []))
        let points: [GeoPoint?] = table.rows.map { row in
            guard let la = table.value(row, lat).flatMap(Double.init), let lo = table.value(row, lon).flatMap(Double.init) else { return nil }
            let p = GeoPoint(latitude: la, longitude: lo)
            return p.isValid && !(la == 0 && lo == 0) ? p : nil
        }
        let valid = points.compactMap { $0 }
        say("eval locate: \(geo.regions.count) polygons from \(layer) (index built in \(String(format: "%.2f", buildSeconds)) s); \(table.rows.count) rows, \(valid.count) with coordinates")

        // Timing: the lookups alone, repeated so the figure is not a single noisy pass.
        var rates: [Double] = []
        var sink = 0
        for _ in 0..<max(1, rounds) {
            let (_, seconds) = timed { for p in valid { sink &+= index.regionIndex(of: p, layerIndex: 0) ?? -1 } }
            rates.append(Double(valid.count) / max(seconds, 1e-9))
        }
        let located = points.map { $0.flatMap { index.regionIndex(of: $0, layerIndex: 0) }.map { geo.regions[$0].key } }

        var out = (table.header + ["located"]).map(CSVTable.field).joined(separator: ",") + "\n"
        for (row, key) in zip(table.rows, located) {
            out += (row + [key ?? ""]).map(CSVTable.field).joined(separator: ",") + "\n"
        }
        try Data(out.utf8).write(to: URL(fileURLWithPath: output))

        let inside = located.compactMap { $0 }.count
        var json: [String: Any] = [
            "command": "eval locate", "rows": table.rows.count, "points": valid.count, "located": inside,
            "outside": valid.count - inside, "pointsPerSecond": Int(median(rates)), "polygons": geo.regions.count,
            "indexSeconds": rounded(buildSeconds),
        ]
        say("\(inside) of \(valid.count) points inside a polygon, \(valid.count - inside) outside every polygon; \(Int(median(rates))) points/s (median of \(rates.count) rounds); wrote \(output)")
        if let compare {
            var agree = 0, compared = 0
            for (row, key) in zip(table.rows, located) {
                guard let key, let label = table.value(row, compare), let expected = JurisdictionLabel.normalize(label) else { continue }
                compared += 1
                if JurisdictionLabel.normalize(key) == expected { agree += 1 }
            }
            let rate = compared == 0 ? 0 : Double(agree) / Double(compared)
            say("agreement with \(compare): \(agree) of \(compared) located rows with a label (\(percent(rate)))")
            json["agreement"] = rounded(rate)
            json["compared"] = compared
        }
        _ = sink
        printJSONLine(json)
    }
}

/// Brings the labels that open-data files use for a jurisdiction into the form of the boundary
/// files' keys, so agreement can be counted.
enum JurisdictionLabel {
    private static let boroughs = ["MANHATTAN": 1, "BRONX": 2, "BROOKLYN": 3, "QUEENS": 4, "STATEN ISLAND": 5]

    /// Upper-cased and trimmed; NYC's `12 MANHATTAN` becomes the BoroCD `112`; labels that name
    /// no jurisdiction (`Unspecified`, `0 Unspecified`) give `nil`.
    static func normalize(_ label: String) -> String? {
        let s = label.trimmingCharacters(in: .whitespaces).uppercased()
        if s.isEmpty || s.contains("UNSPECIFIED") { return nil }
        let parts = s.split(separator: " ", maxSplits: 1).map(String.init)
        if parts.count == 2, let n = Int(parts[0]), let b = boroughs[parts[1]] { return String(b * 100 + n) }
        if let n = Double(s), n == n.rounded() { return String(Int(n)) }
        return s
    }
}

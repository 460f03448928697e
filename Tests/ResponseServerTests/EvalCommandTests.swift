import Foundation
import Testing

/// `swift-response eval …` on small real slices, as an operator runs them: a human summary and
/// one JSON line last; clear errors for bad input.
@Suite("The eval commands")
struct EvalCommandTests {
    static func lastJSON(_ stdout: String) throws -> [String: Any] {
        let line = try #require(stdout.split(separator: "\n").last)
        return try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    /// The NYC borough boundaries of record beside the repository (as in CI).
    static let boroughs: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<4 { url.deleteLastPathComponent() }
        return url.appendingPathComponent("shared/data/geo/nyc-boroughs.geojson").path
    }()

    @Test("eval locate writes every row plus its polygon and measures agreement")
    func locate() throws {
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("located-\(UUID().uuidString.prefix(6)).csv").path
        defer { try? FileManager.default.removeItem(atPath: out) }
        let result = try CommandLineTests.run([
            "eval", "locate", "--layer", Self.boroughs, "--key", "BoroName", "--input", try CommandLineTests.fixture("nyc311-sample.csv"),
            "--lat", "latitude", "--lon", "longitude", "--output", out, "--compare", "borough", "--rounds", "1",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try Self.lastJSON(result.stdout)
        #expect(json["rows"] as? Int == 40)
        let located = try #require(json["located"] as? Int)
        #expect(located > 0)
        #expect((json["agreement"] as? Double ?? 0) >= 0.9, "the sample rows lie in the borough they name (one sits across a border)")
        let written = try String(contentsOfFile: out, encoding: .utf8).split(separator: "\n")
        #expect(written.count == 41)
        #expect(written[0].hasSuffix(",located"))
        #expect(written.dropFirst().filter { $0.hasSuffix(",Manhattan") || $0.hasSuffix(",Brooklyn") || $0.hasSuffix(",Queens") || $0.hasSuffix(",Bronx") || $0.hasSuffix(",Staten Island") }.count == located)
    }

    @Test("eval classify cross-validates, saves a model, and reports in one JSON line")
    func classify() throws {
        let model = FileManager.default.temporaryDirectory.appendingPathComponent("model-\(UUID().uuidString.prefix(6)).bin").path
        defer { try? FileManager.default.removeItem(atPath: model) }
        let result = try CommandLineTests.run([
            "eval", "classify", "--train", try CommandLineTests.fixture("nyc311-sample.csv"), "--text", "complaint_type,descriptor",
            "--label", "agency", "--folds", "2", "--save", model,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try Self.lastJSON(result.stdout)
        #expect(json["examples"] as? Int == 40)
        #expect((json["accuracy"] as? Double ?? 0) > 0.5)
        #expect(json["folds"] as? Int == 2)
        #expect(FileManager.default.fileExists(atPath: model))
    }

    @Test("eval classify takes class descriptions from a taxonomy file, skipping classes it has no rows for")
    func classifyWithTaxonomy() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sr-tax-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let taxonomy = dir.appendingPathComponent("taxonomy.csv").path
        try "agency,group,kind\nDOT,Street Condition,Pothole\nNYPD,Noise,Loud Music/Party\nXYZ,Not an agency of the sample,Anything\n"
            .write(toFile: taxonomy, atomically: true, encoding: .utf8)
        let sample = try CommandLineTests.fixture("nyc311-sample.csv")
        let args = ["eval", "classify", "--train", sample, "--text", "complaint_type,descriptor", "--label", "agency", "--folds", "2"]
        let result = try CommandLineTests.run(args + ["--taxonomy", taxonomy, "--taxonomy-weight", "0.5", "--fold-seed", "3"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("3 class descriptions from"), "\(result.stdout)")
        let json = try Self.lastJSON(result.stdout)
        #expect(json["examples"] as? Int == 40, "descriptions train, they are never tested")
        #expect((json["perClass"] as? [[String: Any]])?.contains { $0["label"] as? String == "XYZ" } == false, "a class without labelled rows is left out")

        let labelOnly = dir.appendingPathComponent("labels.csv").path
        try "agency\nDOT\n".write(toFile: labelOnly, atomically: true, encoding: .utf8)
        let nothing = try CommandLineTests.run(args + ["--taxonomy", labelOnly])
        #expect(nothing.status != 0)
        #expect(nothing.stderr.contains("nothing describes the classes"), "\(nothing.stderr)")
        let noLabel = try CommandLineTests.run([
            "eval", "classify", "--train", sample, "--text", "complaint_type,descriptor", "--label", "agency_name", "--folds", "2", "--taxonomy", taxonomy,
        ])
        #expect(noLabel.status != 0)
        #expect(noLabel.stderr.contains("has no column agency_name"), "\(noLabel.stderr)")
        let weight = try CommandLineTests.run(args + ["--taxonomy", taxonomy, "--taxonomy-weight", "0"])
        #expect(weight.status != 0)
        #expect(weight.stderr.contains("--taxonomy-weight must be a positive number"))
    }

    @Test("a config file whose boundary layer is broken stops serve with the file and feature named")
    func brokenLayerInConfig() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sr-cfg-\(UUID().uuidString.prefix(6))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let layer = dir.appendingPathComponent("bad.geojson").path
        try #"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"code":"a1"},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}]}"#
            .write(toFile: layer, atomically: true, encoding: .utf8)
        let config = dir.appendingPathComponent("config.json").path
        try #"{"dispatch": {"layers": [{"file": "\#(layer)", "level": "district", "key": "code"}]}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let result = try CommandLineTests.run(["serve", "--config", config, "--database", dir.appendingPathComponent("db.sqlite").path, "--port", "0"])
        #expect(result.status != 0)
        #expect(result.stderr.contains("feature 0 (code=a1): geometry LineString is not a Polygon or MultiPolygon"), "\(result.stderr)")

        try #"{"dispatch": {"catalogue": "\#(dir.path)/missing.csv"}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let missing = try CommandLineTests.run(["serve", "--config", config, "--database", dir.appendingPathComponent("db.sqlite").path, "--port", "0"])
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("cannot read dispatch catalogue"))
    }

    @Test("bad input gets a clear message, not a crash")
    func badInput() throws {
        let sample = try CommandLineTests.fixture("nyc311-sample.csv")
        let noColumn = try CommandLineTests.run(["eval", "classify", "--train", sample, "--text", "nope", "--label", "agency"])
        #expect(noColumn.status != 0)
        #expect(noColumn.stderr.contains("has no column nope"))
        let badLayer = try CommandLineTests.run(["eval", "locate", "--layer", sample, "--key", "x", "--input", sample, "--lat", "latitude", "--lon", "longitude", "--output", "/tmp/x.csv"])
        #expect(badLayer.status != 0)
        #expect(badLayer.stderr.contains("not valid JSON"))
        let badKey = try CommandLineTests.run(["eval", "locate", "--layer", Self.boroughs, "--key", "nope", "--input", sample, "--lat", "latitude", "--lon", "longitude", "--output", "/tmp/x.csv"])
        #expect(badKey.stderr.contains("feature 0: no property \"nope\""))
    }
}

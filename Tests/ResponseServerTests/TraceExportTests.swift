import Foundation
import Testing

/// `serve --traces-endpoint` in the default build (without the OpenTelemetry trait): refused with
/// the way to get it, never a server that silently exports nothing. The export itself is shown by
/// scripts/traces-check.sh on a build with the trait (docs/operations.md#traces).
@Suite("Traces: serve --traces-endpoint without the OpenTelemetry trait")
struct TraceExportTests {
    @Test("a bad endpoint is refused; a good one is refused with the build that has traces")
    func refusedWithoutTheTrait() throws {
        let db = CommandLineTests.temporaryDatabase()
        defer { CommandLineTests.cleanup(db) }
        let bad = try CommandLineTests.run(["serve", "--database", db, "--port", "0", "--traces-endpoint", "collector:4318"])
        #expect(bad.status != 0)
        #expect(bad.stderr.contains("must be an http(s) URL"), "\(bad.stderr)")
        let good = try CommandLineTests.run(["serve", "--database", db, "--port", "0"], environment: ["SWIFT_RESPONSE_TRACES_ENDPOINT": "http://127.0.0.1:4318"])
        #expect(good.status != 0)
        #expect(good.stderr.contains("swift build --traits OpenTelemetry"), "\(good.stderr)")
    }
}

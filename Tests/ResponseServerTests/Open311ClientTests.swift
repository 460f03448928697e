import Foundation
import HummingbirdTesting
import ResponseCore
import ResponseStore
import Testing

/// A real third-party Open311 client, the `georeport` package from PyPI, against the real
/// server. `.ci/run` installs it into a virtual environment and names its Python in
/// `SWIFT_RESPONSE_TEST_PYTHON`; CI also sets `SWIFT_RESPONSE_REQUIRE_GEOREPORT` so a missing
/// client fails the run instead of skipping the test.
@Suite("Open311 with a third-party client")
struct Open311ClientTests {
    static let python = ProcessInfo.processInfo.environment["SWIFT_RESPONSE_TEST_PYTHON"].flatMap { $0.isEmpty ? nil : $0 }
    static let required = ProcessInfo.processInfo.environment["SWIFT_RESPONSE_REQUIRE_GEOREPORT"] != nil

    @Test("the georeport client lists services, reads definitions and finds a filed request, in JSON and XML",
          .enabled(if: python != nil || required, "set SWIFT_RESPONSE_TEST_PYTHON to a Python with georeport installed (.ci/run does)"))
    func georeport() async throws {
        let python = try #require(Self.python, "SWIFT_RESPONSE_TEST_PYTHON is not set: run .ci/run, which installs georeport")
        let script = try #require(Bundle.module.url(forResource: "georeport_client.py", withExtension: nil, subdirectory: "Fixtures")).path
        try await Open311HTTPTests.run { h, key in
            let port = try #require(h.client.port)
            // Output goes to files and the exit is awaited through the termination handler: no
            // thread of the cooperative pool may block, the server under test needs them.
            let dir = FileManager.default.temporaryDirectory
            let outURL = dir.appendingPathComponent("georeport-\(UUID().uuidString).out"), errURL = dir.appendingPathComponent("georeport-\(UUID().uuidString).err")
            try #require(FileManager.default.createFile(atPath: outURL.path, contents: nil))
            try #require(FileManager.default.createFile(atPath: errURL.path, contents: nil))
            defer { try? FileManager.default.removeItem(at: outURL); try? FileManager.default.removeItem(at: errURL) }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: python)
            process.arguments = [script, "http://127.0.0.1:\(port)/open311/v2", key, h.tenant.id]
            process.standardOutput = try FileHandle(forWritingTo: outURL)
            process.standardError = try FileHandle(forWritingTo: errURL)
            let (exited, exit) = AsyncStream.makeStream(of: Void.self)
            process.terminationHandler = { _ in exit.finish() }
            try process.run()
            for await _ in exited {}
            let outData = try Data(contentsOf: outURL), errData = try Data(contentsOf: errURL)
            #expect(process.terminationStatus == 0, "\(String(decoding: errData, as: UTF8.self))")
            let report = try #require(try JSONSerialization.jsonObject(with: outData) as? [String: Any], "\(String(decoding: outData, as: UTF8.self))")
            let number = try #require(report["filed"] as? String)
            #expect(try await h.store.ticket(number: number, tenantID: h.tenant.id)?.channel == .open311)
            for format in ["json", "xml"] {
                let seen = try #require(report[format] as? [String: Any], "no \(format) report")
                #expect(seen["service_codes"] as? [String] == ["01.01.01", "01.01.02"], "\(format)")
                #expect(seen["metadata"] as? [String] == ["true", "false"], "\(format)")
                #expect(seen["attribute_codes"] as? [String] == ["time_of_day", "sources", "decibels"], "\(format)")
                #expect(seen["listed"] as? [String] == [number], "\(format)")
                #expect(seen["by_id"] as? [String] == [number], "\(format)")
                #expect(seen["status"] as? String == "open", "\(format)")
                #expect(seen["description"] as? String == "工地夜间施工 filed by georeport", "\(format)")
                #expect((seen["requested_datetime"] as? String)?.hasSuffix("+08:00") == true, "\(format)")
                #expect(seen["has_email"] as? Bool == false, "\(format): contact details must not be published")
            }
            let ticket = try #require(try await h.store.ticket(number: number, tenantID: h.tenant.id))
            #expect(ticket.attributes == ["time_of_day": ["night"], "sources": ["site", "bar"]])
        }
    }
}

import Foundation
import Logging
import Testing

@testable import ResponseServer

@Suite("JSON log lines: one object per line, with level, logger, message and metadata")
struct JSONLogHandlerTests {
    @Test func aRecordIsOneParsableLine() throws {
        let event = LogEvent(level: .warning, message: "deadline sweep failed: \"busy\"\nretrying", metadata: nil, source: "ResponseServer", file: #fileID, function: #function, line: #line)
        let data = JSONLogHandler.line(event, label: "swift-response", metadata: ["city": "demo", "batch": .stringConvertible(3), "units": ["a", "b"]],
                                       at: Date(timeIntervalSince1970: 1_796_312_840.25))
        #expect(data.last == 0x0A && data.dropLast().firstIndex(of: 0x0A) == nil, "exactly one line, however many lines the message has")
        let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        #expect(object["time"] as? String == "2026-12-03T15:47:20.250Z")
        #expect(object["level"] as? String == "warning" && object["logger"] as? String == "swift-response" && object["source"] as? String == "ResponseServer")
        #expect(object["message"] as? String == "deadline sweep failed: \"busy\"\nretrying")
        let metadata = try #require(object["metadata"] as? [String: Any])
        #expect(metadata["city"] as? String == "demo" && metadata["batch"] as? String == "3" && metadata["units"] as? [String] == ["a", "b"])
    }
}

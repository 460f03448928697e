import Foundation
import Logging

/// A swift-log handler writing one JSON object per line to standard output, for log shippers
/// (`swift-response serve --log-format json`): `time` (ISO 8601, UTC, milliseconds), `level`,
/// `logger`, `message`, `source`, and the metadata as fields of a `metadata` object. The writes
/// are single `write(2)` calls, so lines from concurrent tasks never interleave. What is logged
/// is the same as in the text format: no secret and no complainant's data is ever logged.
public struct JSONLogHandler: LogHandler {
    public var logLevel: Logger.Level = .info
    public var metadata: Logger.Metadata = [:]
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String

    public init(label: String, metadataProvider: Logger.MetadataProvider? = nil) {
        self.label = label
        self.metadataProvider = metadataProvider
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        FileHandle.standardOutput.write(Self.line(event, label: label, metadata: merged(event.metadata)))
    }

    /// The line for one record, newline included.
    static func line(_ event: LogEvent, label: String, metadata: Logger.Metadata, at time: Date = Date()) -> Data {
        var object: [String: Any] = [
            "time": time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true)),
            "level": event.level.rawValue, "logger": label, "message": event.message.description, "source": event.source,
        ]
        if !metadata.isEmpty { object["metadata"] = metadata.mapValues(Self.json) }
        var data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        data.append(0x0A)
        return data
    }

    private func merged(_ explicit: Logger.Metadata?) -> Logger.Metadata {
        var all = metadata
        if let provided = metadataProvider?.get() { all.merge(provided) { _, new in new } }
        if let explicit { all.merge(explicit) { _, new in new } }
        return all
    }

    private static func json(_ value: Logger.Metadata.Value) -> Any {
        switch value {
        case .string(let s): s
        case .stringConvertible(let c): c.description
        case .array(let items): items.map(json)
        case .dictionary(let d): d.mapValues(json)
        }
    }
}

import Foundation

/// Why a saved model cannot be loaded.
public enum ModelFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case notAModel
    case unsupportedVersion(found: UInt32, supported: UInt32)
    case corrupt(String)

    public var description: String {
        switch self {
        case .notAModel: "not a SwiftResponse classifier model (bad magic bytes)"
        case .unsupportedVersion(let found, let supported):
            "model file format \(found) is not supported by this build (it reads format \(supported)); retrain with `swift-response train`"
        case .corrupt(let what): "the model file is damaged: \(what)"
        }
    }
}

extension TextClassifier {
    /// Bumped whenever the features or the layout change, so an old file is refused rather than
    /// silently mispredicting.
    public static let fileFormatVersion: UInt32 = 2
    private static let magic: [UInt8] = Array("SRTC".utf8)

    private struct Header: Codable {
        var labels: [String]
        var temperature: Double
        var examplesSeen: Int
        var documentCount: Int
        var rows: Int
    }

    /// The model as bytes: magic, format version, a JSON header, then the rows (feature hash,
    /// inverse document frequency, weights, AdaGrad sums).
    public func serialized() -> Data {
        var data = Data(Self.magic)
        append(Self.fileFormatVersion, to: &data)
        // Sorted keys: JSONEncoder's order otherwise changes from one process to the next, and
        // equal models must give equal files (found by the model-file fuzz target).
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let header = (try? encoder.encode(Header(labels: labels, temperature: temperature, examplesSeen: examplesSeen, documentCount: documentCount, rows: rows.count))) ?? Data()
        append(UInt32(header.count), to: &data)
        data.append(header)
        let width = labels.count
        data.reserveCapacity(data.count + rows.count * (12 + width * 8))
        // Rows in a stable order so equal models give equal files.
        var ordered = [UInt64](repeating: 0, count: rows.count)
        rows.forEach { key, r in ordered[Int(r)] = key }
        for (r, key) in ordered.enumerated() {
            append(key, to: &data)
            append(idf[r].bitPattern, to: &data)
            let base = r * width
            weights[base..<(base + width)].withUnsafeBytes { data.append(contentsOf: $0) }
            squares[base..<(base + width)].withUnsafeBytes { data.append(contentsOf: $0) }
        }
        return data
    }

    /// Restores a model written by ``serialized()``.
    /// - Throws: ``ModelFileError`` for foreign files, other format versions and truncation.
    public init(serialized data: Data) throws(ModelFileError) {
        let bytes = [UInt8](data)
        guard bytes.count >= 12, Array(bytes[0..<4]) == Self.magic else { throw .notAModel }
        var offset = 4
        let version: UInt32 = Self.read(bytes, &offset)
        guard version == Self.fileFormatVersion else { throw .unsupportedVersion(found: version, supported: Self.fileFormatVersion) }
        let headerLength = Int(Self.read(bytes, &offset) as UInt32)
        guard offset + headerLength <= bytes.count,
              let header = try? JSONDecoder().decode(Header.self, from: Data(bytes[offset..<(offset + headerLength)]))
        else { throw .corrupt("header unreadable") }
        offset += headerLength
        let width = header.labels.count
        let rowBytes = 12 + width * 8
        let (expected, overflow) = header.rows.multipliedReportingOverflow(by: rowBytes)
        guard header.rows >= 0, !overflow, bytes.count - offset == expected else {
            throw .corrupt("expected \(header.rows) rows of \(rowBytes) bytes, found \(bytes.count - offset) bytes")
        }
        guard Set(header.labels).count == width else { throw .corrupt("a label is listed twice") }
        self.init(labels: header.labels)
        temperature = header.temperature
        examplesSeen = header.examplesSeen
        documentCount = header.documentCount
        idf = [Float](repeating: 1, count: header.rows)
        rows = FeatureTable(minimumCapacity: header.rows)
        weights = [Float](repeating: 0, count: header.rows * width)
        squares = [Float](repeating: 0, count: header.rows * width)
        for r in 0..<header.rows {
            let key: UInt64 = Self.read(bytes, &offset)
            rows.insert(key, Int32(r))
            idf[r] = Float(bitPattern: Self.read(bytes, &offset))
            for c in 0..<width { weights[r * width + c] = Float(bitPattern: Self.read(bytes, &offset)) }
            for c in 0..<width { squares[r * width + c] = Float(bitPattern: Self.read(bytes, &offset)) }
        }
        // Two rows of one feature would leave a row no feature leads to (and writing the model
        // back then crashed: found by the model-file fuzz target).
        guard rows.count == header.rows else { throw .corrupt("a feature is listed twice") }
    }

    private func append<T: FixedWidthInteger>(_ value: T, to data: inout Data) {
        withUnsafeBytes(of: value.littleEndian) { data.append(contentsOf: $0) }
    }

    private static func read<T: FixedWidthInteger>(_ bytes: [UInt8], _ offset: inout Int) -> T {
        var value: T = 0
        for i in 0..<MemoryLayout<T>.size { value |= T(bytes[offset + i]) << (8 * i) }
        offset += MemoryLayout<T>.size
        return value
    }
}

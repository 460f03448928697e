import Foundation

/// The real data sets of record in `../shared/data` beside the repository (present for
/// developers and in CI). Tests that need them fail loudly when they are missing rather than
/// passing without checking anything.
enum SharedData {
    static let root: URL = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // Tests/ResponseDispatchTests/SharedData.swift → repo
        return url.deletingLastPathComponent().appendingPathComponent("shared/data")
    }()

    static func url(_ path: String) -> URL { root.appendingPathComponent(path) }

    static func data(_ path: String) throws -> Data { try Data(contentsOf: url(path)) }
}

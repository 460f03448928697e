import Foundation
import NIOCore

/// The console's static files — its script and style sheet, and Leaflet and Chart.js as copied
/// from Debian's packages with their copyright files — read from the bundle once and served
/// from memory with long cache lifetimes (their URLs carry the build's version).
struct ConsoleAssets: Sendable {
    struct File: Sendable {
        var bytes: ByteBuffer
        var contentType: String
    }

    let files: [String: File]

    /// Loads every file under `Resources/console/assets` and `Resources/vendor`.
    init(resources: URL) {
        var files: [String: File] = [:]
        for (folder, prefix) in [("console/assets", ""), ("vendor", "vendor/")] {
            let root = resources.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else { continue }
            for case let url as URL in walker {
                guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                      let data = FileManager.default.contents(atPath: url.path) else { continue }
                let relative = url.standardizedFileURL.path.replacingOccurrences(of: root.standardizedFileURL.path + "/", with: "")
                files[prefix + relative] = File(bytes: ByteBuffer(bytes: data), contentType: Self.contentType(url.pathExtension))
            }
        }
        self.files = files
    }

    static func contentType(_ ext: String) -> String {
        switch ext.lowercased() {
        case "js": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "png": "image/png"
        case "svg": "image/svg+xml"
        case "json": "application/json; charset=utf-8"
        default: "text/plain; charset=utf-8"
        }
    }
}

import ArgumentParser
import Foundation
import ResponseServer
import ResponseStore

/// `swift-response keys generate|add|rotate|status`: the keys that seal complainants' contact
/// data at rest (docs/privacy.md).
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys", abstract: "Manage the keys that seal complainants' contact data at rest.",
        subcommands: [Generate.self, Add.self, Rotate.self, Status.self]
    )

    struct Generate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Write a new key file: one seal key and the index key (refuses to overwrite).")
        @Option(help: "Where to write it (mode 0600).") var file: String

        func run() async throws {
            guard !FileManager.default.fileExists(atPath: file) else {
                throw ValidationError("\(file) exists: a second index key would orphan every repeat count. Use 'keys add' to add a seal key.")
            }
            try write(ContactKeys.generate(), to: file)
            say("wrote \(file): keep it secret and backed up; give it to the server with --contact-keys \(file)")
        }
    }

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a new seal key in front: it seals from now on (restart the servers, then run 'keys rotate').")
        @Option(help: "The key file to change.") var file: String

        func run() async throws {
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let id = ContactKeys.newID()
            let text: String
            do { text = try ContactKeys.adding(to: String(decoding: data, as: UTF8.self), id: id) } catch { throw ValidationError("\(file): \(error)") }
            try write(text, to: file)
            say("added seal key \(id) to \(file); restart the servers with it, then run 'swift-response keys rotate'. Keep the older keys until rotate reports none left.")
        }
    }

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Re-seal every row sealed under an older key (or none) with the current key, in batches, while the servers run.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Rows per transaction.") var batch: Int = 500

        func run() async throws {
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                let start = Date()
                let n = try await store.resealContacts(batchSize: batch) { n in
                    FileHandle.standardError.write(Data("\r\(n) rows re-sealed   ".utf8))
                }
                FileHandle.standardError.write(Data("\n".utf8))
                let seconds = Date().timeIntervalSince(start)
                say(String(format: "re-sealed %d rows under key %@ in %.1f s (%.0f rows/s)", n, store.contacts.current ?? "-", seconds, Double(n) / max(seconds, 0.001)))
                say("rows by key: " + (try await store.contactKeyUse()).sorted { $0.key < $1.key }.map { "\($0.key.isEmpty ? "(clear)" : $0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
    }

    struct Status: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "How many rows each key sealed; '(clear)' rows were written before sealing.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                say("current key: \(store.contacts.current ?? "-")")
                for (key, n) in try await store.contactKeyUse().sorted(by: { $0.key < $1.key }) { say("  \(key.isEmpty ? "(clear)" : key): \(n) rows") }
            }
        }
    }
}

/// Writes a key file readable by its owner only.
private func write(_ text: String, to path: String) throws {
    guard FileManager.default.createFile(atPath: path, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]) else {
        throw ValidationError("cannot write \(path)")
    }
}

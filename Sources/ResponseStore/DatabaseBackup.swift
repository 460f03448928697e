import Foundation

/// Backups of a whole database and their restore (docs/operations.md#backup-and-restore).
///
/// SQLite: `VACUUM INTO` a new file, a consistent snapshot taken while the server runs; restoring
/// copies it to a path where no database is. PostgreSQL: `pg_dump` in its custom format, restored
/// with `pg_restore` into an empty database (the password goes to the tools in `PGPASSWORD`, never
/// on their command line). Contact data stays sealed in a backup: keep the contact keys apart.
public enum DatabaseBackup {
    public struct Failure: Error, CustomStringConvertible {
        public var description: String
    }

    /// Backs up the store to `file`, which must not exist yet.
    public static func backup(_ store: SQLTicketStore, url: String, to file: String) async throws {
        guard !FileManager.default.fileExists(atPath: file) else { throw Failure(description: "\(file) exists: choose a new file name") }
        if let sqlite = store.backend as? SQLiteBackend {
            try await sqlite.backup(to: file)
        } else {
            try run("pg_dump", ["--format=custom", "--no-owner", "--file=\(file)"], url: url)
        }
    }

    /// Restores `file` into the database named by `url`: a SQLite path where no file is, or an
    /// empty PostgreSQL database. Open the result as usual afterwards (migrations run if the
    /// backup predates this version).
    public static func restore(from file: String, to url: String) async throws {
        guard FileManager.default.fileExists(atPath: file) else { throw Failure(description: "no backup file \(file)") }
        switch DatabaseURL(url) {
        case .postgres:
            try run("pg_restore", ["--no-owner", "--exit-on-error", file], url: url)
        case .sqlite(let path):
            guard !FileManager.default.fileExists(atPath: path) else {
                throw Failure(description: "\(path) exists: restore into a new file (a restore never overwrites a database)")
            }
            try FileManager.default.copyItem(atPath: file, toPath: path)
        }
    }

    /// The database `url` names, without its password.
    public static func describe(_ url: String) -> String {
        switch DatabaseURL(url) {
        case .sqlite(let path): return path
        case .postgres(let normalized):
            guard var parts = URLComponents(string: normalized) else { return "PostgreSQL" }
            parts.password = nil
            return parts.string ?? "PostgreSQL"
        }
    }

    /// Runs a PostgreSQL client tool against `url`, its password in the environment.
    static func run(_ tool: String, _ arguments: [String], url: String) throws {
        guard var parts = URLComponents(string: url) else { throw Failure(description: "not a PostgreSQL URL") }
        var environment = ProcessInfo.processInfo.environment
        if let password = parts.password {
            environment["PGPASSWORD"] = password
            parts.password = nil
        }
        guard let dbname = parts.string else { throw Failure(description: "not a PostgreSQL URL") }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = [tool] + arguments + ["--dbname=\(dbname)"]
        process.environment = environment
        let errors = Pipe()
        process.standardError = errors
        do { try process.run() } catch { throw Failure(description: "cannot run \(tool) (install PostgreSQL's client tools): \(error)") }
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(description: "\(tool) failed (\(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}

import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer
import ResponseStore

/// `swift-response backup FILE`: a consistent copy of the whole database while the server runs.
struct BackupCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Back up the database to FILE (SQLite: VACUUM INTO; PostgreSQL: pg_dump's custom format).",
        discussion: "Contact data stays sealed in the backup: keep the contact keys, backed up apart, to read it. Restore with 'restore FILE'.")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The backup file to write; it must not exist.") var file: String

    func run() async throws {
        let settings = try Settings(database: database).configuration
        let started = ContinuousClock.now
        let tickets = try await withStore(settings) { store in
            say("backing up the \(store.engine) database to \(file)…")
            try await DatabaseBackup.backup(store, url: settings.databaseURL, to: file)
            return try await ticketCount(store)
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        say("backed up \(tickets) tickets to \(file) (\(bytes / 1_048_576) MB) in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s")
    }
}

/// `swift-response restore FILE`: the backup into a new SQLite file or an empty PostgreSQL database.
struct RestoreCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Restore a backup made by 'backup' into the database named by --database (a new SQLite file, or an empty PostgreSQL database).")
    @OptionGroup var database: DatabaseOptions
    @Argument(help: "The backup file.") var file: String

    func run() async throws {
        let settings = try Settings(database: database).configuration
        let started = ContinuousClock.now
        say("restoring \(file) into \(DatabaseBackup.describe(settings.databaseURL))…")
        try await DatabaseBackup.restore(from: file, to: settings.databaseURL)
        let tickets = try await withStore(settings) { try await ticketCount($0) }
        say("restored \(tickets) tickets in \(String(format: "%.1f", (ContinuousClock.now - started).seconds)) s")
    }
}

/// Tickets of every city in the store.
func ticketCount(_ store: SQLTicketStore) async throws -> Int {
    var total = 0
    for city in try await store.tenants() { total += try await store.countTickets(tenantID: city.id) }
    return total
}

import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer
import ResponseStore

/// `swift-response insight rebuild`: recomputes the demand aggregates from the tickets.
struct InsightCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "insight",
        abstract: "Demand analysis maintenance.",
        subcommands: [Rebuild.self]
    )

    struct Rebuild: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute a city's demand aggregates (frequent problems, hotspots, repeats) from its tickets: after upgrading a database filed before migration 7, or to repair."
        )
        @OptionGroup var database: DatabaseOptions
        @Option(help: "City id (default: the configured city).") var tenant: String?

        func run() async throws {
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                var city = settings.tenant
                if let tenant {
                    guard let found = try await store.tenant(tenant) else { throw ValidationError("no city \(tenant)") }
                    city = found
                }
                let start = Date()
                let n = try await store.rebuildDemand(tenantID: city.id, timeZone: city.timeZone) { n in
                    FileHandle.standardError.write(Data("\r\(n) tickets counted   ".utf8))
                }
                FileHandle.standardError.write(Data("\n".utf8))
                print("rebuilt the demand aggregates of \(city.id) from \(n) tickets in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
            }
        }
    }
}

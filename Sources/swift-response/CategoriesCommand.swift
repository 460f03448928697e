import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer
import ResponseStore

/// `swift-response categories load FILE`: load a city's three-level taxonomy from CSV.
struct CategoriesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "categories", abstract: "Manage the category taxonomy.", subcommands: [Load.self, List.self]
    )

    struct Load: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Load a taxonomy from a CSV file whose rows are level-1, level-2, level-3 names (first row a header)."
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "CSV file.") var file: String
        @Option(help: "City id (default: the configured city).") var tenant: String?

        func run() async throws {
            let settings = try Settings(database: database).configuration
            guard let data = FileManager.default.contents(atPath: file) else { throw ValidationError("cannot read \(file)") }
            let tenantID = tenant ?? settings.tenant.id
            let taxonomy: CategoryTaxonomy
            do {
                taxonomy = try CategoryTaxonomy.parse(csv: String(decoding: data, as: UTF8.self), tenantID: tenantID)
            } catch let error as ResponseCore.ValidationError {
                throw ValidationError("\(file): " + error.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
            }
            try await withStore(settings) { store in
                for category in taxonomy.categories { try await store.saveCategory(category) }
                let levels = (1...3).map { level in taxonomy.categories.filter { $0.level == level }.count }
                print("loaded \(taxonomy.categories.count) categories into city \(tenantID): \(levels[0]) / \(levels[1]) / \(levels[2]) by level")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the taxonomy as code, level and name.")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "City id (default: the configured city).") var tenant: String?

        func run() async throws {
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                for c in try await store.categories(tenantID: try await cityID(tenant, configured: settings.tenant, in: store)) {
                    print("\(c.code.pad(12)) \(c.level) \(String(repeating: "  ", count: c.level - 1))\(c.name)")
                }
            }
        }
    }
}

import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer
import ResponseStore

/// `swift-response apikey create|list|revoke`: keys for Open311 clients and other integrations.
struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Manage API keys of Open311 clients and integrations.", subcommands: [Create.self, List.self, Revoke.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a key and print it (it is shown only once).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Who the key is for, e.g. the app's name.") var name: String
        @Option(help: "City id (default: the configured city).") var tenant: String?

        func run() async throws {
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                let tenantID = try await cityID(tenant, configured: settings.tenant, in: store)
                if tenantID != settings.tenant.id, try await store.tenant(tenantID) == nil { throw ValidationError("no city \(tenantID)") }
                let issued: (key: APIKey, secret: String)
                do { issued = try APIKey.issue(name: name, tenantID: tenantID, now: Date()) } catch let e as ResponseCore.ValidationError {
                    throw ValidationError(e.errors.map { "\($0.field): \($0.message)" }.joined(separator: "; "))
                }
                try await store.createAPIKey(issued.key)
                // The secret alone on stdout, so scripts can capture it; the rest on stderr.
                FileHandle.standardError.write(Data("created API key \(issued.key.id) '\(issued.key.name)' for city \(tenantID); store it now, it is not shown again:\n".utf8))
                print(issued.secret)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List keys (never their secrets).")
        @OptionGroup var database: DatabaseOptions
        @Option(help: "City id (default: the configured city).") var tenant: String?

        func run() async throws {
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                let keys = try await store.apiKeys(tenantID: try await cityID(tenant, configured: settings.tenant, in: store))
                print("ID                                     NAME                 CREATED                    REVOKED")
                for k in keys {
                    print([k.id.pad(38), k.name.pad(20), k.createdAt.formatted(.iso8601).pad(26), k.revokedAt.map { $0.formatted(.iso8601) } ?? "-"].joined(separator: " "))
                }
                if keys.isEmpty { FileHandle.standardError.write(Data("no API keys; create one with: swift-response apikey create --name NAME\n".utf8)) }
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke a key by id or name; it stops working within 30 seconds.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "The key's id, or its name when that is unique.") var key: String
        @Option(help: "City id (default: the configured city).") var tenant: String?

        func run() async throws {
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                let tenantID = try await cityID(tenant, configured: settings.tenant, in: store)
                let active = try await store.apiKeys(tenantID: tenantID).filter { $0.revokedAt == nil }
                let matches = active.filter { $0.id == key }.isEmpty ? active.filter { $0.name == key } : active.filter { $0.id == key }
                guard !matches.isEmpty else { throw ValidationError("no active API key \(key) in city \(tenantID)") }
                guard matches.count == 1 else { throw ValidationError("\(matches.count) active keys are named \(key): revoke by id (swift-response apikey list)") }
                _ = try await store.revokeAPIKey(id: matches[0].id, tenantID: tenantID, at: Date())
                print("revoked API key \(matches[0].id) '\(matches[0].name)'")
            }
        }
    }
}

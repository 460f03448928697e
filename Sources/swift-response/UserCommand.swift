import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer
import ResponseStore

/// `swift-response user create|passwd|list|unlock`: manage logins from the shell.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.", subcommands: [Create.self, Passwd.self, List.self, Unlock.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name (a–z, 0–9, - _ .).") var username: String
        @Option(help: "agent, dispatcher, handler, supervisor or admin.") var role: String
        @Option(help: "Unit code (handlers only).") var unit: String?
        @Option(help: "Display name.") var name: String?
        @Option(help: "Password (default: read from the SWIFT_RESPONSE_PASSWORD variable, else generated and printed).") var password: String?
        @Option(help: "City id (default: the configured city).") var tenant: String?

        func run() async throws {
            let settings = try Settings(database: database).configuration
            guard let parsedRole = Role(rawValue: role) else { throw ValidationError("unknown role \(role)") }
            let (secret, generated) = password.map { ($0, false) } ?? ProcessInfo.processInfo.environment["SWIFT_RESPONSE_PASSWORD"].map { ($0, false) } ?? (Secrets.randomPassword(), true)
            let problems = User.validationErrors(username: username, role: parsedRole, unitCode: unit) + User.passwordErrors(secret)
            guard problems.isEmpty else { throw ValidationError(problems.map { "\($0.field): \($0.message)" }.joined(separator: "; ")) }
            try await withStore(settings) { store in
                let tenantID = try await cityID(tenant, configured: settings.tenant, in: store)
                if let unit, parsedRole == .handler, try await store.unit(code: unit, tenantID: tenantID) == nil {
                    throw ValidationError("no unit \(unit) in city \(tenantID)")
                }
                let hash = try await Secrets.hashPassword(secret, cost: settings.bcryptCost)
                try await store.createUser(User(username: username, tenantID: tenantID, displayName: name ?? username, role: parsedRole, unitCode: parsedRole == .handler ? unit : nil, passwordHash: hash, createdAt: Date()))
                print("created \(username) (\(parsedRole.rawValue))" + (generated ? " with password \(secret)" : ""))
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Set a user's password.")
        @OptionGroup var database: DatabaseOptions
        @Argument var username: String
        @Option(help: "New password (default: SWIFT_RESPONSE_PASSWORD, else generated and printed).") var password: String?

        func run() async throws {
            let settings = try Settings(database: database).configuration
            let (secret, generated) = password.map { ($0, false) } ?? ProcessInfo.processInfo.environment["SWIFT_RESPONSE_PASSWORD"].map { ($0, false) } ?? (Secrets.randomPassword(), true)
            if let problem = User.passwordErrors(secret).first { throw ValidationError("\(problem.field): \(problem.message)") }
            try await withStore(settings) { store in
                guard var user = try await store.user(username: username) else { throw ValidationError("no user \(username)") }
                user.passwordHash = try await Secrets.hashPassword(secret, cost: settings.bcryptCost)
                try await store.updateUser(user)
                print("password of \(username) changed" + (generated ? " to \(secret)" : ""))
            }
        }
    }

    struct Unlock: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Lift the lock that failed logins put on a user name (or, with --address, on an address) and forget its failures.")
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "User name, or the address with --address.") var name: String
        @Flag(help: "NAME is a client address, not a user name.") var address = false

        func run() async throws {
            let settings = try Settings(database: database).configuration
            let key = (address ? "address:" : "user:") + name
            try await withStore(settings) { store in
                guard let record = try await store.loginRecords(keys: [key])[key] else {
                    print("no failed logins recorded for \(key)")
                    return
                }
                try await store.clearLoginRecord(key: key)
                let lock = record.lockedUntil.map { $0 > Date() ? ", locked until \($0.formatted(.iso8601))" : "" } ?? ""
                print("lifted \(key): \(record.failures) failed logins forgotten\(lock)")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users.")
        @OptionGroup var database: DatabaseOptions

        func run() async throws {
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                print("USERNAME             ROLE        UNIT        CITY        ACTIVE")
                for u in try await store.users(tenantID: nil) {
                    print([u.username.pad(20), u.role.rawValue.pad(11), (u.unitCode ?? "-").pad(11), u.tenantID.pad(11), u.active ? "yes" : "no"].joined(separator: " "))
                }
            }
        }
    }
}

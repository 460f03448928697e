import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer
import ResponseStore

/// `swift-response privacy purge|erase`: retention and erasure of complainants' contact data
/// (docs/privacy.md#retention-and-erasure).
struct PrivacyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "privacy", abstract: "Erase complainants' contact data: by the retention rule, or on a complainant's request.",
        subcommands: [Purge.self, Erase.self]
    )

    struct Purge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase the contact data of tickets finished longer ago than each city keeps it (privacy.retentionDays), each by an event; safe beside running servers."
        )
        @OptionGroup var database: DatabaseOptions
        @Option(help: "Erase what was finished before this day (yyyy-MM-dd, in the city's time zone) instead of the retention rule's cutoff.") var before: String?
        @Option(help: "Only this city (default: every city in the database).") var city: String?
        @Option(help: "Tickets per transaction.") var batch: Int = 500

        func run() async throws {
            guard (1...5_000).contains(batch) else { throw ValidationError("--batch must be 1–5000") }
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                if let city, try await store.tenant(city) == nil { throw ValidationError("no city '\(city)' in the database") }
                let start = Date()
                let reports: [RetentionPurge.CityReport]
                do {
                    reports = try await RetentionPurge(store: store, configuration: settings, clock: SystemClock()).pass(before: before, tenantID: city, batchSize: batch) { city, n in
                        FileHandle.standardError.write(Data("\r\(city): \(n) tickets erased   ".utf8))
                    }
                } catch let error as RetentionPurgeError {
                    throw ValidationError(error.description)
                }
                FileHandle.standardError.write(Data("\n".utf8))
                let seconds = Date().timeIntervalSince(start)
                for r in reports {
                    guard let cutoff = r.cutoff else {
                        say("\(r.city): keeps contact data for ever (privacy.retentionDays 0)")
                        continue
                    }
                    say("\(r.city): contact data of \(r.erased) tickets finished before \(cutoff.formatted(.iso8601)) erased; \(r.repeatRows) repeat-caller rows deleted")
                }
                let total = reports.map(\.erased).reduce(0, +)
                say(String(format: "%d tickets in %.1f s (%.0f tickets/s)", total, seconds, Double(total) / max(seconds, 0.001)))
            }
        }
    }

    struct Erase: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase one complainant's contact data on her request: the tickets named, and every ticket with her phone or e-mail."
        )
        @OptionGroup var database: DatabaseOptions
        @Argument(help: "Ticket numbers.") var numbers: [String] = []
        @Option(help: "Every ticket with this phone number (digits compared).") var phone: String?
        @Option(help: "Every ticket with this e-mail address.") var email: String?
        @Option(help: "The request's reference, recorded in each erasure event (required).") var reason: String?
        @Option(help: "Who took the request, recorded as the actor.") var by: String = "command line"
        @Option(help: "The city (default: the only city in the database).") var city: String?
        @Flag(help: "List the tickets, erase nothing.") var dryRun = false

        func run() async throws {
            guard !numbers.isEmpty || phone != nil || email != nil else { throw ValidationError("name ticket numbers, --phone or --email") }
            guard dryRun || reason?.trimmingCharacters(in: .whitespaces).isEmpty == false else {
                throw ValidationError("--reason is required: the request's reference, recorded with each erasure")
            }
            for n in numbers where TicketNumber(n) == nil { throw ValidationError("\(n) is not a ticket number such as 20261125-000123") }
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                let tenant = try await onlyCity(city, in: store)
                var found = numbers
                if phone != nil || email != nil {
                    found += try await store.tickets(ofComplainantPhone: phone, email: email, tenantID: tenant.id) { n in
                        if n % 100_000 == 0 { FileHandle.standardError.write(Data("\r\(n) tickets looked at   ".utf8)) }
                    }
                }
                var seen = Set<String>()
                found = found.filter { seen.insert($0).inserted }
                for n in found where try await store.ticket(number: n, tenantID: tenant.id) == nil { throw ValidationError("no ticket \(n) in \(tenant.id)") }
                say("\(found.count) tickets: \(found.joined(separator: " "))")
                guard !dryRun, !found.isEmpty else { return }
                let actor = Actor(name: by, role: .supervisor)
                let context = settings.city(tenant).context(now: Date(), actor: actor)
                var erased = 0
                for start in stride(from: 0, to: found.count, by: 500) {
                    erased += try await store.eraseContacts(
                        numbers: Array(found[start..<min(start + 500, found.count)]), tenantID: tenant.id, basis: .request, note: reason,
                        finishedBefore: nil, context: context
                    )
                }
                say("contact data erased on \(erased) tickets\(erased < found.count ? " (\(found.count - erased) held none)" : "")")
            }
        }
    }
}

/// The city `id`, or the only city in the database; refuses, listing the cities, when there
/// are several and none is named.
func onlyCity(_ id: String?, in store: any TicketStore) async throws -> Tenant {
    let cities = try await store.tenants()
    if let id {
        guard let city = cities.first(where: { $0.id == id }) else {
            throw ValidationError("no city '\(id)' in the database; it has \(cities.map(\.id).joined(separator: ", "))")
        }
        return city
    }
    guard cities.count == 1, let only = cities.first else {
        throw ValidationError(cities.isEmpty ? "the database has no city yet" : "the database has several cities: name one with --city (\(cities.map(\.id).joined(separator: ", ")))")
    }
    return only
}

/// The city a command acts on: the one named, else the configured city when the database holds
/// it (or holds several or none), else the database's only city, so a database made by
/// `serve --demo` needs no `--tenant`.
func cityID(_ named: String?, configured: Tenant, in store: any TicketStore) async throws -> String {
    if let named { return named }
    let cities = try await store.tenants()
    guard cities.count == 1, let only = cities.first, only.id != configured.id else { return configured.id }
    return only.id
}

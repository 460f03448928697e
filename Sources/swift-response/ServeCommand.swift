import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ResponseCore
import ResponseDispatch
import ResponseServer
import ResponseStore
import ServiceLifecycle

/// `swift-response serve`: migrate the database and run the HTTP server.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "serve", abstract: "Run the server (migrates the database first).")

    @OptionGroup var database: DatabaseOptions

    @Option(name: .long, help: "Interface to listen on (env SWIFT_RESPONSE_HOST; default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (env SWIFT_RESPONSE_PORT; default 8080).")
    var port: Int?

    @Flag(name: .long, help: "Load the demo city (users, units, taxonomy, a few hundred tickets) if it is not there yet.")
    var demo = false

    @Option(name: .long, help: "Password for the demo users (default: a random one, printed).")
    var demoPassword: String?

    @Option(name: .long, help: "Log level: trace, debug, info, notice, warning, error.")
    var logLevel: String = "info"

    @Option(name: .long, help: "Log lines as text or json, one object per line (env SWIFT_RESPONSE_LOG_FORMAT; default text).")
    var logFormat: String?

    @Option(name: .long, help: "Send a trace of every request over OTLP/HTTP to this collector, e.g. http://127.0.0.1:4318 (env SWIFT_RESPONSE_TRACES_ENDPOINT; needs a build with the OpenTelemetry trait).")
    var tracesEndpoint: String?

    func run() async throws {
        let resolved = try Settings(database: database, host: host, port: port)
        var settings = resolved.configuration
        guard let level = Logger.Level(rawValue: logLevel) else {
            throw ValidationError("--log-level must be one of \(Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let format = logFormat ?? ProcessInfo.processInfo.environment["SWIFT_RESPONSE_LOG_FORMAT"] ?? "text"
        guard ["text", "json"].contains(format) else { throw ValidationError("--log-format must be text or json, not '\(format)'") }
        Self.logEverything(at: level, json: format == "json")
        let logger = Logger(label: "swift-response")
        var extra: [any Service] = []
        if let endpoint = tracesEndpoint ?? ProcessInfo.processInfo.environment["SWIFT_RESPONSE_TRACES_ENDPOINT"] {
            extra.append(try TraceExport.service(endpoint: endpoint))
            settings.tracing = true
            say("Traces: every request, over OTLP/HTTP to \(endpoint).")
        }
        settings.exitWhenStuck = true
        if demo && settings.contactKeys == nil { settings.contactKeys = try Self.demoKeys(database: settings.databaseURL) }
        try await SQLTicketStore.withStore(url: settings.databaseURL, contacts: try settings.requireContactKeys(), logger: logger) { store in
            try await store.migrate()
            if demo {
                try await loadDemo(into: store, settings: &settings)
            } else {
                try await store.saveTenant(settings.tenant)
            }
            say("Console: http://\(settings.host):\(settings.port)/console · residents' portal: http://\(settings.host):\(settings.port)/portal")
            say("SwiftResponse on http://\(settings.host):\(settings.port) — database \(store.engine) (\(settings.databaseURL.hasPrefix("postgres") ? "PostgreSQL" : settings.databaseURL))")
            say("API description: http://\(settings.host):\(settings.port)/api/v1/openapi.json")
            say("Deadline sweeper: \(settings.sweepInterval.map { "every \(Int($0)) s" } ?? "off (run swift-response sweep)"); notifications: \(settings.notifications.notifier)\(settings.notifications.relayInterval == nil ? " (relay off)" : "").")
            if !resolved.linkSecretConfigured {
                say("Follow-up links are signed with a key made at start: set SWIFT_RESPONSE_LINK_SECRET so they survive a restart.")
            }
            say("Open311 GeoReport v2: http://\(settings.host):\(settings.port)/open311/v2/discovery.json (keys: swift-response apikey create --name NAME)")
            let dispatch = makeDispatchService(configuration: settings, store: store)
            let app = buildApplication(configuration: settings, store: store, logger: logger, dispatch: dispatch, services: extra)
            let layers = settings.geoLayers.count, tenantID = settings.tenant.id
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService() }
                // Train while the server starts; a ticket filed meanwhile waits for the models.
                group.addTask {
                    let (_, seconds) = try await timedAsync { try await dispatch.warmUp(tenantID: tenantID) }
                    say("Dispatcher ready: models trained on the city's recent tickets in \(String(format: "%.2f", seconds)) s; \(layers) boundary layer(s).")
                }
                try await group.waitForAll()
            }
        }
    }
}

extension ServeCommand {
    /// Every logger of the process at `level`: the server's, Hummingbird's and the notifiers'
    /// (the log SMS gateway writes a line per message at info).
    static func logEverything(at level: Logger.Level, json: Bool) {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler = json ? JSONLogHandler(label: label) : StreamLogHandler.standardOutput(label: label)
            handler.logLevel = level
            return handler
        }
    }

    /// Loads the demo city (if it is not there yet) and sets the server up for it.
    func loadDemo(into store: SQLTicketStore, settings: inout ServerConfiguration) async throws {
        settings.tenant = DemoCity.tenant
        settings.catalogues[DemoCity.tenant.id] = try DemoCity.catalogue()
        if settings.open311.servicesByCity[DemoCity.tenant.id] == nil {
            settings.open311.servicesByCity[DemoCity.tenant.id] = try DemoCity.open311Services()
        }
        // The demo city has schematic boundaries, so maps and map clicks work offline.
        if settings.geoLayers.isEmpty { settings.geoLayers = DemoCity.geoLayers() }
        let password = demoPassword ?? Secrets.randomPassword()
        say("Loading the demo city (demo data, marked as such)…")
        let summary = try await DemoCity.load(into: store, password: password, clock: SystemClock(), city: settings.city(DemoCity.tenant), bcryptCost: settings.bcryptCost)
        say("Demo city: \(summary.tickets) tickets, \(summary.units) units, \(summary.categories) categories.")
        settings.demoUsers = summary.users.map { ($0.username, $0.role) }
        // Discipline inspection and politics-and-law requests are published without place or reply.
        if settings.disclosure.sensitiveCategories.isEmpty {
            settings.disclosure.sensitiveCategories = try await store.categories(tenantID: DemoCity.tenant.id)
                .filter { $0.level == 1 && ["纪检监察", "政法"].contains($0.name) }.map(\.code)
        }
        say("Demo users (password: \(summary.password)):")
        for u in summary.users { say("  \(u.username.padding(toLength: 11, withPad: " ", startingAt: 0)) \(u.role.rawValue)\(u.unit.map { " of unit \($0)" } ?? "")") }
    }

    /// The demo's contact keys, kept beside its database (made on the first start): demo data
    /// only. Every other start needs keys given (docs/privacy.md).
    static func demoKeys(database: String) throws -> ContactKeys {
        let (keys, path) = try Settings.keysBeside(database: database)
        say("Contact keys: the demo's, in \(path) (demo only; a real city gives its own: docs/privacy.md).")
        return keys
    }
}

/// `swift-response migrate`: bring the schema up to date and exit.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "migrate", abstract: "Apply pending database migrations.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let settings = try Settings(database: database).configuration
        try await withStore(settings) { store in
            say("database \(store.engine) at migrations \(try await store.appliedMigrations().map(String.init).joined(separator: ", "))")
        }
    }
}

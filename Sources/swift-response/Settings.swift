import ArgumentParser
import Foundation
import ResponseCore
import ResponseInsight
import ResponseDispatch
import ResponseServer
import ResponseStore

/// Options shared by every command that opens the database.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "postgres://user:pass@host/db or a SQLite file path (env SWIFT_RESPONSE_DATABASE; default ./swift-response.sqlite).")
    var database: String?

    @Option(name: .long, help: "JSON config file (env SWIFT_RESPONSE_CONFIG).")
    var config: String?

    @Option(name: .long, help: "File of the keys that seal complainants' contact data (env SWIFT_RESPONSE_CONTACT_KEYS_FILE, or the keys themselves in SWIFT_RESPONSE_CONTACT_KEYS; 'swift-response keys generate' makes one; docs/privacy.md).")
    var contactKeys: String?
}

/// The optional config file: every key may be omitted.
struct ConfigFile: Decodable {
    var database: String?
    var host: String?
    var port: Int?
    var city: Tenant?
    var deadlines: DeadlinePolicy?
    var maxBodySize: Int?
    var sessionHours: Double?
    var bcryptCost: Int?
    var dispatch: DispatchFile?
    var open311: Open311Settings?
    /// Reminders, escalation, whistle, follow-up and assessment rules (docs/accountability.md).
    var accountability: AccountabilityPolicy?
    /// Per-city overrides: `{"cities": {"beijing": {"accountability": {…}}}}`.
    var cities: [String: CityFile]?
    /// Seconds between deadline sweeps; 0 turns the background sweeper off.
    var sweepSeconds: Double?
    var notifications: NotificationSettings?
    /// The address residents reach the server at, for links in messages.
    var publicURL: String?
    /// Secret that signs follow-up links (prefer env SWIFT_RESPONSE_LINK_SECRET).
    var linkSecret: String?
    /// What the public open data may show (docs/open-data.md).
    var openData: PublicRecord.Policy?
    /// Demand analysis and the early warning (docs/insight.md).
    var insight: InsightFile?
    /// The file of contact keys (prefer the flag or the environment; docs/privacy.md).
    var contactKeysFile: String?
    /// The secret that signs webhook POSTs (prefer env SWIFT_RESPONSE_WEBHOOK_SECRET).
    var webhookSecret: String?
    /// Retention of contact data (docs/privacy.md#retention).
    var privacy: PrivacyFile?
    /// Trusted proxies, login throttling, the cap on password checks (docs/operations.md#abuse).
    var abuse: AbuseFile?
}

/// The `insight` section of the config file (docs/insight.md); every key optional.
struct InsightFile: Decodable {
    var alertLevel: Int?
    /// Seconds between two looks for new tickets; 0 turns the detector off.
    var intervalSeconds: Double?
    var historyDays: Int?
    var webhook: String?
    var detector: SpikeDetector.Settings?
    /// Seconds between two rounds of the refresher of briefs and hotspot views; 0 builds them
    /// only when asked.
    var storedRefreshSeconds: Double?
    /// Seconds a stored brief of a period still going on, or a stored hotspot view, is served.
    var storedMaxAgeSeconds: Double?
    /// The names these two had before hotspot views were stored too, still read.
    var briefRefreshSeconds: Double?
    var briefMaxAgeSeconds: Double?

    /// Applies the section to `settings`, or names the first bad key.
    func apply(to settings: inout InsightSettings) throws {
        if let level = alertLevel {
            guard (1...3).contains(level) else { throw ValidationError("insight.alertLevel must be 1, 2 or 3") }
            settings.alertLevel = level
        }
        if let seconds = intervalSeconds {
            guard seconds >= 0 else { throw ValidationError("insight.intervalSeconds must not be negative") }
            settings.interval = seconds > 0 ? seconds : nil
        }
        if let days = historyDays {
            guard (1...366).contains(days) else { throw ValidationError("insight.historyDays must be 1 to 366") }
            settings.historyDays = days
        }
        if let webhook {
            guard let url = URL(string: webhook), url.host != nil else { throw ValidationError("insight.webhook must be an https URL") }
            if let problem = WebhookSigner.problem(with: url) { throw ValidationError("insight.webhook \(problem)") }
            settings.webhook = url
        }
        for (key, value) in [("briefRefreshSeconds", briefRefreshSeconds), ("storedRefreshSeconds", storedRefreshSeconds)] {
            guard let seconds = value else { continue }
            guard seconds == 0 || seconds >= 10 else { throw ValidationError("insight.\(key) must be 0 (off) or at least 10") }
            settings.storedRefresh = seconds > 0 ? seconds : nil
        }
        for (key, value) in [("briefMaxAgeSeconds", briefMaxAgeSeconds), ("storedMaxAgeSeconds", storedMaxAgeSeconds)] {
            guard let seconds = value else { continue }
            guard seconds >= 0 else { throw ValidationError("insight.\(key) must not be negative") }
            settings.storedMaxAge = seconds
        }
        if let detector {
            guard detector.problems.isEmpty else { throw ValidationError("insight.detector: " + detector.problems.joined(separator: "; ")) }
            settings.detector = detector
        }
    }
}

extension ConfigFile {
    /// The retention rules: the `privacy` section for every city, `cities.ID.privacy` for one.
    func applyPrivacy(to c: inout ServerConfiguration) throws {
        if let days = privacy?.retentionDays { c.retention.retentionDays = days }
        if let hours = privacy?.purgeIntervalHours {
            guard hours >= 0 else { throw ValidationError("privacy.purgeIntervalHours must not be negative") }
            c.retentionInterval = hours > 0 ? hours * 3600 : nil
        }
        for (id, city) in cities ?? [:] {
            if let days = city.privacy?.retentionDays { c.retentionByCity[id] = RetentionPolicy(retentionDays: days) }
        }
        for (id, policy) in [("", c.retention)] + c.retentionByCity.map({ ($0.key, $0.value) }) {
            let problems = policy.validationErrors()
            guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ") + (id.isEmpty ? "" : " (city \(id))")) }
        }
    }
}

/// Settings of one city in a multi-city deployment.
struct CityFile: Decodable {
    /// The city's own deadlines (its calendar runs in the city's zone whatever the file says).
    var deadlines: DeadlinePolicy?
    var accountability: AccountabilityPolicy?
    var privacy: PrivacyFile?
}

/// The `privacy` section of the config file, for every city or one (docs/privacy.md#retention).
struct PrivacyFile: Decodable {
    /// Days contact data is kept after a ticket is finished; 0 keeps it for ever.
    var retentionDays: Int?
    /// Hours between two purges while the server runs; 0 turns the background purge off.
    var purgeIntervalHours: Double?
}

/// The `dispatch` section of the config file (docs/dispatch.md).
struct DispatchFile: Decodable {
    /// One boundary layer.
    struct Layer: Decodable {
        var file: String
        var level: String
        var key: String
        var name: String?
        var datum: GeoDatum?
    }

    var enabled: Bool?
    var autoDispatchThreshold: Double?
    var categoryThreshold: Double?
    /// CSV file `category,jurisdiction,lead,co_units`.
    var catalogue: String?
    var layers: [Layer]?
    var duplicateRadiusMetres: Double?
    var duplicateMergeAt: Double?

    func apply(to c: inout ServerConfiguration) throws {
        if let e = enabled { c.dispatch.enabled = e }
        if let t = autoDispatchThreshold { c.dispatch.autoDispatchThreshold = t }
        if let t = categoryThreshold { c.dispatch.categoryThreshold = t }
        if let r = duplicateRadiusMetres { c.dispatch.duplicates.radius = r }
        if let m = duplicateMergeAt { c.dispatch.duplicates.mergeAt = m }
        if let path = catalogue {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { throw ValidationError("cannot read dispatch catalogue \(path)") }
            do { c.defaultCatalogue = try DispatchCatalogue.parse(csv: text) } catch { throw ValidationError("\(path): \(error)") }
        }
        for layer in layers ?? [] {
            guard let data = FileManager.default.contents(atPath: layer.file) else { throw ValidationError("cannot read boundary layer \(layer.file)") }
            do {
                c.geoLayers.append(try GeoLayer.parse(data, level: layer.level, keyProperty: layer.key, nameProperty: layer.name, datum: layer.datum ?? .wgs84))
            } catch {
                throw ValidationError("\(layer.file): \(error)")
            }
        }
    }
}

/// Resolves settings with the documented precedence: command-line flag, then environment
/// variable, then config file, then built-in default.
struct Settings {
    var configuration: ServerConfiguration
    /// Whether follow-up links survive a restart (a secret was configured) or die with it.
    var linkSecretConfigured = false

    init(database: DatabaseOptions, host: String? = nil, port: Int? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        let env = { (key: String) -> String? in environment[key].flatMap { $0.isEmpty ? nil : $0 } }
        let file = try Self.configFile(database.config ?? env("SWIFT_RESPONSE_CONFIG"))
        var c = ServerConfiguration()
        c.databaseURL = database.database ?? env("SWIFT_RESPONSE_DATABASE") ?? file.database ?? c.databaseURL
        c.host = host ?? env("SWIFT_RESPONSE_HOST") ?? file.host ?? c.host
        if let p = port { c.port = p } else if let p = env("SWIFT_RESPONSE_PORT") {
            guard let n = Int(p), (0...65535).contains(n) else { throw ValidationError("SWIFT_RESPONSE_PORT must be a port number, got \(p)") }
            c.port = n
        } else if let p = file.port { c.port = p }
        if let city = file.city { c.tenant = city }
        if let tz = env("SWIFT_RESPONSE_TIMEZONE") { c.tenant.timeZone = tz }
        guard TimeZone(identifier: c.tenant.timeZone) != nil else { throw ValidationError("unknown time zone \(c.tenant.timeZone)") }
        if let policy = file.deadlines { c.policy = policy }
        c.policy.calendar.timeZone = c.tenant.timeZone
        for (id, city) in file.cities ?? [:] { if let policy = city.deadlines { c.deadlinesByCity[id] = policy } }
        if let m = file.maxBodySize { c.maxBodySize = m }
        if let h = file.sessionHours { c.sessionLifetime = h * 3600 }
        if let cost = file.bcryptCost { c.bcryptCost = UInt8(clamping: cost) }
        try file.dispatch?.apply(to: &c)
        try Self.applyAccountability(file, to: &c)
        if let seconds = file.sweepSeconds { c.sweepInterval = seconds > 0 ? seconds : nil }
        try file.applyPrivacy(to: &c)
        if let n = file.notifications {
            let problems = n.validationErrors()
            guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
            c.notifications = n
        }
        c.publicURL = env("SWIFT_RESPONSE_PUBLIC_URL") ?? file.publicURL ?? "http://\(c.host):\(c.port)"
        if let policy = file.openData {
            guard (0...6).contains(policy.coordinateDecimals) else { throw ValidationError("openData.coordinateDecimals must be 0 to 6") }
            c.disclosure = policy
        }
        try file.insight?.apply(to: &c.insight)
        try AbuseFile.apply(file.abuse, env: env, to: &c.abuse, limits: &c.connections)
        while c.publicURL.hasSuffix("/") { c.publicURL.removeLast() }
        linkSecretConfigured = try Self.applySecrets(file, env: env, to: &c)
        if let open311 = file.open311 {
            let problems = open311.validationErrors()
            guard problems.isEmpty else { throw ValidationError(problems.joined(separator: "; ")) }
            c.open311 = open311
        }
        c.contactKeys = try Self.contactKeys(database, file: file, env: env, databaseURL: c.databaseURL)
        configuration = c
    }

    /// The config file at `path`, or an empty one without a path.
    static func configFile(_ path: String?) throws -> ConfigFile {
        guard let path else { return ConfigFile() }
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read config file \(path)") }
        do { return try JSONDecoder().decode(ConfigFile.self, from: data) } catch {
            throw ValidationError("config file \(path) is not valid: \(error)")
        }
    }

    /// The accountability rules, the whole deployment's and each city's, checked.
    static func applyAccountability(_ file: ConfigFile, to c: inout ServerConfiguration) throws {
        if let policy = file.accountability { c.accountability = policy }
        for (id, city) in file.cities ?? [:] { if let policy = city.accountability { c.accountabilityByCity[id] = policy } }
        if c.accountabilityByCity[DemoCity.tenant.id] == nil {
            // A few hundred demo tickets over 44 units: rank the demo city's units from 5 ratings
            // rather than 10, so its ranking is not empty (serve, report and the API agree).
            var demo = c.accountability
            demo.assessment.minimumSample = min(demo.assessment.minimumSample, 5)
            c.accountabilityByCity[DemoCity.tenant.id] = demo
        }
        for (id, policy) in [("", c.accountability)] + c.accountabilityByCity.map({ ($0.key, $0.value) }) {
            let problems = policy.validationErrors()
            guard problems.isEmpty else { throw ValidationError("accountability\(id.isEmpty ? "" : " of city \(id)"): " + problems.joined(separator: "; ")) }
        }
    }

    /// The secrets that sign follow-up links and webhooks; a webhook without one is refused.
    /// - Returns: Whether a link secret was configured (links then survive a restart).
    static func applySecrets(_ file: ConfigFile, env: (String) -> String?, to c: inout ServerConfiguration) throws -> Bool {
        var linkSecretConfigured = false
        if let secret = env("SWIFT_RESPONSE_LINK_SECRET") ?? file.linkSecret {
            guard secret.count >= 16 else { throw ValidationError("the link secret must be at least 16 characters") }
            c.linkSecret = Secrets.key(from: secret)
            linkSecretConfigured = true
        }
        if let secret = env("SWIFT_RESPONSE_WEBHOOK_SECRET") ?? file.webhookSecret {
            guard secret.count >= 16 else { throw ValidationError("the webhook secret must be at least 16 characters") }
            c.webhookSigner = WebhookSigner(secret: secret)
        } else if c.notifications.notifier == "webhook" || c.insight.webhook != nil {
            throw ValidationError("a webhook is configured but no secret signs it: set SWIFT_RESPONSE_WEBHOOK_SECRET (or webhookSecret), and check signatures in the receiver (docs/privacy.md#webhooks)")
        }
        return linkSecretConfigured
    }

    /// The contact keys: the flag, then the environment (the keys themselves, or their file),
    /// then the config file, then the demo's beside its database; `nil` when none.
    static func contactKeys(_ database: DatabaseOptions, file: ConfigFile, env: (String) -> String?, databaseURL: String) throws -> ContactKeys? {
        if let path = database.contactKeys {
            return try Self.readKeys(path)
        } else if let text = env("SWIFT_RESPONSE_CONTACT_KEYS") {
            do { return try ContactKeys(text: text) } catch { throw ValidationError("SWIFT_RESPONSE_CONTACT_KEYS: \(error)") }
        } else if let path = env("SWIFT_RESPONSE_CONTACT_KEYS_FILE") ?? file.contactKeysFile {
            return try Self.readKeys(path)
        } else if FileManager.default.fileExists(atPath: Self.demoKeyFile(database: databaseURL)) {
            // A database that `serve --demo` made keeps its (demo) keys beside it.
            return try Self.readKeys(Self.demoKeyFile(database: databaseURL))
        }
        return nil
    }

    /// Where `serve --demo` keeps the demo's contact keys: beside its SQLite file.
    static func demoKeyFile(database: String) -> String {
        switch DatabaseURL(database) {
        case .postgres: return "swift-response-demo.contact-keys"
        case .sqlite(let path): return path + ".contact-keys"
        }
    }

    /// The keys kept beside a demo's or a benchmark's database, made on first use (mode 0600).
    static func keysBeside(database: String) throws -> (ContactKeys, path: String) {
        let path = demoKeyFile(database: database)
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: Data(ContactKeys.generate().utf8), attributes: [.posixPermissions: 0o600]) else {
                throw ValidationError("cannot write contact keys to \(path)")
            }
        }
        return (try readKeys(path), path)
    }

    static func readKeys(_ path: String) throws -> ContactKeys {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read the contact keys file \(path)") }
        do { return try ContactKeys(text: String(decoding: data, as: UTF8.self)) } catch { throw ValidationError("\(path): \(error)") }
    }

}

extension ServerConfiguration {
    /// The configured contact keys, or a refusal that says how to make and give them.
    func requireContactKeys() throws -> ContactKeys {
        guard let contactKeys else {
            throw ValidationError(
                """
                no contact keys: complainants' names, phones and e-mails are sealed at rest, and this command needs the keys. \
                Make a key file once with 'swift-response keys generate --file /etc/swift-response/contact.keys' (keep it secret and \
                backed up), then give it with --contact-keys FILE, SWIFT_RESPONSE_CONTACT_KEYS_FILE or the config file's contactKeysFile \
                (docs/privacy.md). 'serve --demo' makes its own beside the demo database.
                """)
        }
        return contactKeys
    }
}

/// Prints a line straight to standard output: `print` is block-buffered into a pipe or log
/// file, and the start-up banner (demo passwords, URL) must appear at once.
func say(_ line: String) {
    FileHandle.standardOutput.write(Data((line + "\n").utf8))
}

/// Opens the configured database with the configured contact keys, brings its schema up to
/// date, runs `body`, and closes the store whether `body` succeeds or throws: the frame every
/// operator command shares.
func withStore<R>(_ settings: ServerConfiguration, _ body: (SQLTicketStore) async throws -> R) async throws -> R {
    try await SQLTicketStore.withStore(url: settings.databaseURL, contacts: try settings.requireContactKeys()) { store in
        try await store.migrate()
        return try await body(store)
    }
}

import Foundation
import ResponseCore
import ResponseDispatch
import ResponseStore

/// Everything the server needs to start, gathered from flags, environment and config file by
/// the command line (precedence in docs/configuration.md).
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// `postgres://…` or a SQLite file path.
    public var databaseURL: String
    /// The city served when a request carries no tenant (single-city deployments).
    public var tenant: Tenant
    /// Deadlines for every city (each on its own calendar in its own zone)…
    public var policy: DeadlinePolicy
    /// …except those with their own, by city id (the config file's `cities.ID.deadlines`).
    public var deadlinesByCity: [String: DeadlinePolicy] = [:]
    /// Largest accepted request body in bytes.
    public var maxBodySize: Int
    /// How long a login stays valid.
    public var sessionLifetime: TimeInterval
    /// bcrypt cost for new password hashes.
    public var bcryptCost: UInt8
    /// Thresholds of automatic dispatch and duplicate detection.
    public var dispatch: DispatchSettings
    /// Boundary layers (district → street → grid) used to locate tickets.
    public var geoLayers: [GeoLayer]
    /// The dispatch catalogue per city id; `defaultCatalogue` for cities not listed.
    public var catalogues: [String: DispatchCatalogue]
    public var defaultCatalogue: DispatchCatalogue
    /// Open311 services, attributes and rate limits.
    public var open311: Open311Settings
    /// Reminders, escalation, whistle, follow-up and assessment rules for every city…
    public var accountability: AccountabilityPolicy
    /// …except those with their own, by city id.
    public var accountabilityByCity: [String: AccountabilityPolicy]
    /// Seconds between two passes of the background deadline sweeper; `nil` turns it off
    /// (`swift-response sweep` or `POST /api/v1/sweep` still run a pass).
    public var sweepInterval: TimeInterval?
    /// Where complainant notifications go, and how often the relay looks for new ones.
    public var notifications: NotificationSettings
    /// Key that signs follow-up links; links signed with another key are refused.
    public var linkSecret: [UInt8]
    /// The address residents reach the server at, for links in messages (no trailing slash).
    public var publicURL: String
    /// The one disclosure policy (what each audience sees; coordinate precision, sensitive
    /// categories and kinds), for every face. The config file's `openData` section.
    public var disclosure = Disclosure()
    /// The keys that seal complainants' contact data at rest (docs/privacy.md); the command line
    /// refuses to open a database without them, `serve --demo` aside.
    public var contactKeys: ContactKeys?
    /// How long contact data is kept after a ticket is finished, for every city…
    public var retention = RetentionPolicy()
    /// …except those with their own, by city id (the config file's `cities.ID.privacy`).
    public var retentionByCity: [String: RetentionPolicy] = [:]
    /// Seconds between two retention purges while the server runs; `nil` turns it off
    /// (`swift-response privacy purge` still runs one).
    public var retentionInterval: TimeInterval? = 6 * 3600
    /// Signs every webhook POST (messages and alerts); random unless a secret is configured.
    public var webhookSigner = WebhookSigner.random()
    /// Users the sign-in page lists, with their roles (the demo city's; empty otherwise).
    public var demoUsers: [(username: String, role: Role)] = []
    /// Demand analysis and the early-warning detector.
    public var insight = InsightSettings()
    /// Seconds between two looks at the event log for the console's live streams.
    public var liveInterval: TimeInterval = 1
    /// A live stream ends after this many seconds and the browser reconnects (EventSource does
    /// so by itself), so a stream never holds up a graceful shutdown for long.
    public var liveStreamLifetime: TimeInterval = 300
    /// Trusted proxies, login throttling and the cap on password checks.
    public var abuse = AbuseSettings()
    /// Request head and body timeouts and the connection cap.
    public var connections = ConnectionLimits()
    /// Whether the process exits (code 75) when a database write is stuck on a connection that
    /// was closed under it, for its supervisor to restart it (`serve` sets it; tests do not).
    public var exitWhenStuck = false
    /// Whether every request opens a span (``RequestTracingMiddleware``) for the tracer the process
    /// bootstrapped: `serve --traces-endpoint` in a build with the OpenTelemetry trait.
    public var tracing = false

    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        databaseURL: String = "./swift-response.sqlite",
        tenant: Tenant = Tenant(id: "default", name: "Default City", timeZone: "UTC"),
        policy: DeadlinePolicy = .standard(),
        maxBodySize: Int = 1_048_576,
        sessionLifetime: TimeInterval = 12 * 3600,
        bcryptCost: UInt8 = 10,
        dispatch: DispatchSettings = DispatchSettings(),
        geoLayers: [GeoLayer] = [],
        catalogues: [String: DispatchCatalogue] = [:],
        defaultCatalogue: DispatchCatalogue = DispatchCatalogue(),
        open311: Open311Settings = Open311Settings(),
        accountability: AccountabilityPolicy = .standard,
        accountabilityByCity: [String: AccountabilityPolicy] = [:],
        sweepInterval: TimeInterval? = 30,
        notifications: NotificationSettings = NotificationSettings(),
        linkSecret: [UInt8] = Secrets.randomBytes(32),
        publicURL: String? = nil
    ) {
        self.host = host
        self.port = port
        self.databaseURL = databaseURL
        self.tenant = tenant
        self.policy = policy
        self.maxBodySize = maxBodySize
        self.sessionLifetime = sessionLifetime
        self.bcryptCost = bcryptCost
        self.dispatch = dispatch
        self.geoLayers = geoLayers
        self.catalogues = catalogues
        self.defaultCatalogue = defaultCatalogue
        self.open311 = open311
        self.accountability = accountability
        self.accountabilityByCity = accountabilityByCity
        self.sweepInterval = sweepInterval
        self.notifications = notifications
        self.linkSecret = linkSecret
        self.publicURL = publicURL ?? "http://\(host):\(port)"
    }

    /// The city `tenant` with its rules: deadlines, accountability and retention, each its own or
    /// the deployment's, on a calendar in the city's zone. Servers keep one per city in a
    /// ``CityDirectory``.
    public func city(_ tenant: Tenant) -> City {
        City(tenant, deadlines: deadlinesByCity[tenant.id] ?? policy, accountability: accountability(for: tenant.id), retention: retention(for: tenant.id))
    }

    /// The accountability rules of a city.
    public func accountability(for tenantID: String) -> AccountabilityPolicy {
        accountabilityByCity[tenantID] ?? accountability
    }

    /// The retention rule of a city.
    public func retention(for tenantID: String) -> RetentionPolicy {
        retentionByCity[tenantID] ?? retention
    }
}

/// Delivery of complainant notifications (docs/accountability.md#notifications).
public struct NotificationSettings: Sendable, Codable, Equatable {
    /// `log` (SMS and e-mail adapters that write to the log) or `webhook`.
    public var notifier: String
    /// Where the webhook notifier POSTs each message as JSON.
    public var webhookURL: String?
    /// Seconds between two looks at the outbox; `nil` turns the relay off.
    public var relayInterval: TimeInterval?
    /// Deliveries tried before a message is marked failed.
    public var maxAttempts: Int
    /// A message not delivered within this many hours of its event is dropped as stale (marked
    /// failed): a "your request was received" text a day late helps nobody.
    public var maxAgeHours: Double

    public init(notifier: String = "log", webhookURL: String? = nil, relayInterval: TimeInterval? = 2, maxAttempts: Int = 5, maxAgeHours: Double = 24) {
        self.notifier = notifier
        self.webhookURL = webhookURL
        self.relayInterval = relayInterval
        self.maxAttempts = maxAttempts
        self.maxAgeHours = maxAgeHours
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = NotificationSettings()
        notifier = try c.decodeIfPresent(String.self, forKey: .notifier) ?? d.notifier
        webhookURL = try c.decodeIfPresent(String.self, forKey: .webhookURL)
        relayInterval = try c.decodeIfPresent(TimeInterval.self, forKey: .relayInterval) ?? d.relayInterval
        maxAttempts = try c.decodeIfPresent(Int.self, forKey: .maxAttempts) ?? d.maxAttempts
        maxAgeHours = try c.decodeIfPresent(Double.self, forKey: .maxAgeHours) ?? d.maxAgeHours
    }

    /// Problems with the settings, for a clear start-up error.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        switch notifier {
        case "log": break
        case "webhook":
            if let url = webhookURL.flatMap(URL.init(string:)), url.scheme != nil {
                if let problem = WebhookSigner.problem(with: url) { errors.append("notifications.webhookURL \(problem)") }
            } else {
                errors.append("notifications.webhookURL must be an https URL when the notifier is webhook")
            }
        default: errors.append("notifications.notifier must be log or webhook, got \(notifier)")
        }
        if maxAttempts < 1 { errors.append("notifications.maxAttempts must be at least 1") }
        return errors
    }
}

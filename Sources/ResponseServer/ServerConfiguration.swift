import Foundation
import ResponseCore
import ResponseDispatch

/// Everything the server needs to start, gathered from flags, environment and config file by
/// the command line (precedence in docs/configuration.md).
public struct ServerConfiguration: Sendable {
    public var host: String
    public var port: Int
    /// `postgres://…` or a SQLite file path.
    public var databaseURL: String
    /// The city served when a request carries no tenant (single-city deployments).
    public var tenant: Tenant
    public var policy: DeadlinePolicy
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
        open311: Open311Settings = Open311Settings()
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
    }
}

import Foundation
import ResponseCore

/// How a city publishes its categories as Open311 services, and how hard clients may call.
/// Read from the `open311` section of the config file (docs/open311.md); every key optional.
public struct Open311Settings: Codable, Sendable, Equatable {
    /// GeoReport's three ways of answering a `POST requests`.
    public enum ServiceType: String, Codable, Sendable {
        /// The response carries the `service_request_id`.
        case realtime
        /// The response carries a `token`; `GET tokens/{token}` gives the id.
        case batch
        /// Requests are accepted but cannot be looked up by the client.
        case blackbox
    }

    /// What a city says about one service (a category code); unset fields take the defaults.
    public struct Service: Codable, Sendable, Equatable {
        public var type: ServiceType?
        public var keywords: [String]?
        public var description: String?
        public var group: String?
        /// The kind of ticket a request of this service files; `help` by default.
        public var kind: TicketKind?
        public var attributes: [Open311Attribute]?
        /// `false` hides the category from Open311.
        public var published: Bool?

        public init(type: ServiceType? = nil, keywords: [String]? = nil, description: String? = nil, group: String? = nil, kind: TicketKind? = nil,
                    attributes: [Open311Attribute]? = nil, published: Bool? = nil) {
            self.type = type
            self.keywords = keywords
            self.description = description
            self.group = group
            self.kind = kind
            self.attributes = attributes
            self.published = published
        }
    }

    /// Category code → its service settings, per city id; cities not listed use `services`.
    public var services: [String: Service]
    public var servicesByCity: [String: [String: Service]]
    /// Requests per minute an API key may make (a token bucket refilled at this rate).
    public var keyRequestsPerMinute: Int
    /// Requests per minute from one address without a key.
    public var anonymousRequestsPerMinute: Int
    /// How many requests may arrive at once before the rate applies.
    public var burst: Int
    /// Public reads per minute from one address (tracking a request, the dashboard), with the
    /// same burst: with the tracking code's 40 bits, guessing is hopeless at this rate.
    public var publicReadsPerMinute: Int
    /// Who to contact about the endpoint, for `discovery`.
    public var contact: String
    /// Where a developer gets a key, for `discovery`.
    public var keyService: String

    public init(
        services: [String: Service] = [:], servicesByCity: [String: [String: Service]] = [:], keyRequestsPerMinute: Int = 120,
        anonymousRequestsPerMinute: Int = 600, burst: Int = 30, publicReadsPerMinute: Int = 120, contact: String = "Ask the city's hotline administrators.",
        keyService: String = "An administrator creates keys with `swift-response apikey create --name NAME`."
    ) {
        self.services = services
        self.servicesByCity = servicesByCity
        self.keyRequestsPerMinute = keyRequestsPerMinute
        self.anonymousRequestsPerMinute = anonymousRequestsPerMinute
        self.burst = burst
        self.publicReadsPerMinute = publicReadsPerMinute
        self.contact = contact
        self.keyService = keyService
    }

    enum CodingKeys: String, CodingKey { case services, servicesByCity, keyRequestsPerMinute, anonymousRequestsPerMinute, burst, publicReadsPerMinute, contact, keyService }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Open311Settings()
        services = try c.decodeIfPresent([String: Service].self, forKey: .services) ?? d.services
        servicesByCity = try c.decodeIfPresent([String: [String: Service]].self, forKey: .servicesByCity) ?? d.servicesByCity
        keyRequestsPerMinute = try c.decodeIfPresent(Int.self, forKey: .keyRequestsPerMinute) ?? d.keyRequestsPerMinute
        anonymousRequestsPerMinute = try c.decodeIfPresent(Int.self, forKey: .anonymousRequestsPerMinute) ?? d.anonymousRequestsPerMinute
        burst = try c.decodeIfPresent(Int.self, forKey: .burst) ?? d.burst
        publicReadsPerMinute = try c.decodeIfPresent(Int.self, forKey: .publicReadsPerMinute) ?? d.publicReadsPerMinute
        contact = try c.decodeIfPresent(String.self, forKey: .contact) ?? d.contact
        keyService = try c.decodeIfPresent(String.self, forKey: .keyService) ?? d.keyService
    }

    /// The service settings of a city.
    public func services(city: String) -> [String: Service] { servicesByCity[city] ?? services }

    /// Problems that should stop the server at start: bad attribute definitions, bad rates.
    public func validationErrors() -> [String] {
        var errors: [String] = []
        if keyRequestsPerMinute < 1 || anonymousRequestsPerMinute < 1 || burst < 1 || publicReadsPerMinute < 1 {
            errors.append("open311: keyRequestsPerMinute, anonymousRequestsPerMinute, publicReadsPerMinute and burst must be at least 1")
        }
        for (city, table) in [("", services)] + servicesByCity.sorted(by: { $0.key < $1.key }).map({ ($0.key, $0.value) }) {
            for (code, service) in table.sorted(by: { $0.key < $1.key }) {
                let attributes = service.attributes ?? []
                let place = city.isEmpty ? "open311 service \(code)" : "open311 service \(code) of \(city)"
                errors += attributes.flatMap { $0.definitionErrors() }.map { "\(place): \($0)" }
                if Set(attributes.map(\.code)).count != attributes.count { errors.append("\(place): attribute codes repeat") }
            }
        }
        return errors
    }
}

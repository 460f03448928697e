import Foundation
import ResponseCore

/// The server's dispatchers, one per city, built on first use from the city's reference data
/// and recent tickets and then updated online. An actor because every request of a city reads
/// and teaches the same models.
public actor DispatchService {
    /// Loads what a city's dispatcher is built from (the store, in the server).
    public typealias Loader = @Sendable (_ tenantID: String, _ limit: Int) async throws -> (units: [OrgUnit], categories: [Category], history: [Ticket])

    private let loader: Loader
    private let layers: [GeoLayer]
    private let catalogues: [String: DispatchCatalogue]
    private let defaultCatalogue: DispatchCatalogue
    private let settings: DispatchSettings
    private var cities: [String: CityDispatcher] = [:]

    /// - Parameters:
    ///   - layers: Boundary layers shared by every city of the deployment.
    ///   - catalogues: Dispatch catalogue per city id; `defaultCatalogue` for the rest.
    public init(settings: DispatchSettings = DispatchSettings(), layers: [GeoLayer] = [], catalogues: [String: DispatchCatalogue] = [:],
                defaultCatalogue: DispatchCatalogue = DispatchCatalogue(), loader: @escaping Loader) {
        self.settings = settings
        self.layers = layers
        self.catalogues = catalogues
        self.defaultCatalogue = defaultCatalogue
        self.loader = loader
    }

    /// The decision for a new ticket of `tenantID`.
    public func decide(_ new: NewTicket, tenantID: String, now: Date, excluding: String? = nil) async throws -> DispatchDecision {
        try await city(tenantID).decide(new, now: now, excluding: excluding)
    }

    /// Records a filed ticket (duplicates, addresses).
    /// - Parameter fingerprint: ``DispatchDecision/fingerprint`` of the decision that filed it.
    public func remember(_ ticket: Ticket, fingerprint: UInt64? = nil) async throws {
        try await city(ticket.tenantID)
        cities[ticket.tenantID]?.remember(ticket, fingerprint: fingerprint)
    }

    /// Learns from a person's correction or routing.
    public func learn(from ticket: Ticket, category: String?, unit: String?) async throws {
        try await city(ticket.tenantID)
        cities[ticket.tenantID]?.learn(from: ticket, category: category, unit: unit)
    }

    /// Reference data of a city changed: reload it on next use (models are kept).
    public func referenceDataChanged(tenantID: String) async throws {
        guard cities[tenantID] != nil else { return }
        let (units, categories, _) = try await loader(tenantID, 0)
        cities[tenantID]?.update(units: units, categories: categories)
    }

    /// Builds the city's dispatcher now (at start-up) instead of on the first ticket.
    public func warmUp(tenantID: String) async throws { try await city(tenantID) }

    @discardableResult
    private func city(_ tenantID: String) async throws -> CityDispatcher {
        if let city = cities[tenantID] { return city }
        let (units, categories, history) = try await loader(tenantID, settings.trainingTickets)
        // Another request may have built it while this one waited for the store.
        if let city = cities[tenantID] { return city }
        let city = CityDispatcher(units: units, categories: categories, layers: layers, catalogue: catalogues[tenantID] ?? defaultCatalogue,
                                  history: history, settings: settings)
        cities[tenantID] = city
        return city
    }
}

import Foundation
import ResponseCore
import ResponseStore
import Synchronization

/// The cities a server serves, each built once from the store's record and the configuration's
/// rules (``ServerConfiguration/city(_:)``) and kept for the life of the process: every face,
/// every background service and every action of a city reads the same ``City``.
public final class CityDirectory: Sendable {
    private let configuration: ServerConfiguration
    private let store: any ReferenceStore
    private let known: Mutex<[String: City]>

    /// - Parameters:
    ///   - configuration: The rules per city; its configured city is known without a read.
    ///   - store: Where other cities are looked up on first use.
    public init(configuration: ServerConfiguration, store: any ReferenceStore) {
        self.configuration = configuration
        self.store = store
        let configured = configuration.city(configuration.tenant)
        self.known = Mutex([configured.id: configured])
    }

    /// The city `id`.
    /// - Throws: A 404 problem when the store has no such city.
    public func city(_ id: String) async throws -> City {
        guard let city = try await find(id) else { throw Problem.notFound("no city \(id)") }
        return city
    }

    /// The city `id`, or `nil` when the store has none.
    public func find(_ id: String) async throws -> City? {
        if let city = known.withLock({ $0[id] }) { return city }
        return try await store.tenant(id).map(remember)
    }

    /// Every city in the store, in the store's order.
    public func all() async throws -> [City] {
        try await store.tenants().map { tenant in known.withLock { $0[tenant.id] } ?? remember(tenant) }
    }

    private func remember(_ tenant: Tenant) -> City {
        let city = configuration.city(tenant)
        known.withLock { $0[tenant.id] = city }
        return city
    }
}

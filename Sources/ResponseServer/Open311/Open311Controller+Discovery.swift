import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ResponseCore
import ResponseStore

/// Open311 discovery, the service list and service definitions.
extension Open311Controller {
    @Sendable func discovery(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        // The endpoint is the configured public address, never the request's Host header: a
        // forged Host would otherwise send apps (and their residents' reports) elsewhere.
        let changeset = call.date(started)
        let endpoint: Open311Value = .object([
            ("specification", .string(Self.specification)),
            ("url", .string(configuration.publicURL + Self.root)),
            ("changeset", changeset),
            ("type", .string("production")),
            ("formats", .list(item: "format", Open311Format.allCases.map { .string($0 == .xml ? "text/xml" : "application/json") })),
        ])
        return (.ok, Open311Document(root: "discovery", object: [
            ("changeset", changeset),
            ("contact", .string(configuration.open311.contact)),
            ("key_service", .string(configuration.open311.keyService)),
            ("endpoints", .list(item: "endpoint", [endpoint])),
        ]))
    }

    func catalogue(_ call: Call) async throws -> [Open311Service] {
        let now = clock.now()
        if let cached = services.get(call.tenant.id, now: now) { return cached }
        let built = Open311Service.catalogue(categories: try await store.categories(tenantID: call.tenant.id), settings: configuration.open311.services(city: call.tenant.id))
        services.put(call.tenant.id, built, now: now)
        return built
    }

    @Sendable func services(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        (.ok, Open311Document(root: "services", item: "service", items: try await catalogue(call).map(\.listEntry)))
    }

    func serviceDefinition(_ call: Call, _ code: String) async throws -> (HTTPResponse.Status, Open311Document) {
        guard let service = try await catalogue(call).first(where: { $0.code == code }) else { throw Failure.notFound("service_code \(code) not found") }
        return (.ok, service.definition)
    }
}

import Foundation
import ResponseCore
import Testing
@testable import ResponseStore

/// The engines the storage suite runs on: SQLite always, PostgreSQL when
/// `SWIFT_RESPONSE_TEST_POSTGRES_URL` names a database (`.ci/run` always sets it).
enum Engine: String, CustomTestStringConvertible, CaseIterable, Sendable {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["SWIFT_RESPONSE_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    static var available: [Engine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }
}

/// A fresh store for one test: a new SQLite file, or the shared PostgreSQL database with a
/// tenant of its own so tests never see each other's rows.
struct StoreHarness {
    let store: SQLTicketStore
    let tenant: Tenant
    let path: String?
    /// What the store was opened with: the SQLite file or the PostgreSQL URL.
    let url: String

    static func with(_ engine: Engine, contacts: ContactKeys = .ephemeral(), _ body: (StoreHarness) async throws -> Void) async throws {
        let tenant = Tenant(id: "t-" + UUID().uuidString.prefix(8).lowercased(), name: "Test City", timeZone: "Asia/Shanghai")
        let harness: StoreHarness
        switch engine {
        case .sqlite:
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("sr-test-\(UUID().uuidString).sqlite").path
            harness = StoreHarness(store: try await SQLTicketStore.open(url: path, contacts: contacts), tenant: tenant, path: path, url: path)
        case .postgres:
            let url = try #require(Engine.postgresURL)
            harness = StoreHarness(store: try await SQLTicketStore.open(url: url, contacts: contacts), tenant: tenant, path: nil, url: url)
        }
        defer { harness.removeFiles() }
        try await harness.store.running { store in
            try await store.migrate()
            try await store.saveTenant(tenant)
            try await body(harness)
        }
    }

    func removeFiles() {
        guard let path else { return }
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    static let agent = Actor(name: "agent", role: .agent)
    static let policy = DeadlinePolicy.standard(calendar: BusinessCalendar(timeZone: "Asia/Shanghai"))

    func file(_ title: String, description: String = "", kind: TicketKind = .complaint, channel: Channel = .phone,
              category: String? = nil, district: String? = nil, street: String? = nil, at now: Date) async throws -> Ticket {
        let new = NewTicket(kind: kind, channel: channel, title: title, description: description, categoryCode: category,
                            location: Location(latitude: 39.9, longitude: 116.4, address: "addr", districtCode: district, streetCode: street),
                            complainant: Complainant(name: "张三", phone: "13800001234", email: "z@example.com"))
        return try await store.createTicket(new, tenant: tenant, actor: Self.agent, now: now).0
    }

    @discardableResult
    func apply(_ action: TicketAction, to ticket: Ticket, at now: Date, version: Int? = nil) async throws -> Ticket {
        try await store.apply(action, number: ticket.number, tenantID: tenant.id, expectedVersion: version,
                              context: .init(now: now, actor: Actor(name: "d", role: .dispatcher), city: .test(Self.policy))) { _ in }.0
    }
}

@Test("PostgreSQL is available when CI requires it")
func postgresRequired() {
    if ProcessInfo.processInfo.environment["SWIFT_RESPONSE_REQUIRE_POSTGRES"] == "1" {
        #expect(Engine.postgresURL != nil, "SWIFT_RESPONSE_TEST_POSTGRES_URL must be set: the storage suite has to run on PostgreSQL too")
    }
}

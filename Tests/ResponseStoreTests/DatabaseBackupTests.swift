import Foundation
import ResponseCore
import SQLKit
import Testing
@testable import ResponseStore

@Suite("Backup and restore of a whole database (SQLite and PostgreSQL)")
struct DatabaseBackupTests {
    @Test(arguments: Engine.available)
    func aRestoredBackupHoldsTheSameTicketsAndEvents(engine: Engine) async throws {
        let keys = ContactKeys.ephemeral()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sr-backup-\(UUID().uuidString).dump").path
        defer { try? FileManager.default.removeItem(atPath: file) }
        try await StoreHarness.with(engine, contacts: keys) { h in
            let t0 = Date(timeIntervalSince1970: 1_800_000_000)
            var filed: [Ticket] = []
            for i in 0..<12 {
                var t = try await h.file("路灯不亮 \(i)", description: "小区门口", category: "01.01.01", district: "cy", at: t0.addingTimeInterval(Double(i) * 60))
                if i % 3 == 0 { t = try await h.apply(.dispatch(leadUnit: "cy-01", coUnits: [], note: nil), to: t, at: t0.addingTimeInterval(900)) }
                filed.append(t)
            }
            try await DatabaseBackup.backup(h.store, url: h.url, to: file)
            await #expect(throws: DatabaseBackup.Failure.self) { try await DatabaseBackup.backup(h.store, url: h.url, to: file) }

            let target = try await Self.emptyTarget(engine, h)
            try await DatabaseBackup.restore(from: file, to: target)
            if engine == .sqlite {
                await #expect(throws: DatabaseBackup.Failure.self) { try await DatabaseBackup.restore(from: file, to: target) }
            }
            try await SQLTicketStore.withStore(url: target, contacts: keys) { restored in
                try await restored.migrate()
                #expect(try await restored.countTickets(tenantID: h.tenant.id) == filed.count)
                for ticket in filed {
                    let copy = try #require(try await restored.ticket(number: ticket.number, tenantID: h.tenant.id))
                    #expect(copy == (try await h.store.ticket(number: ticket.number, tenantID: h.tenant.id)))
                    #expect(copy.complainant.phone == "13800001234", "sealed contact data reads with the same keys")
                    #expect(try await restored.events(ticketID: copy.id, tenantID: h.tenant.id) == (try await h.store.events(ticketID: ticket.id, tenantID: h.tenant.id)))
                }
            }
            try await Self.drop(target, engine, h)
        }
    }

    /// A new SQLite path, or a new empty PostgreSQL database beside the test database.
    static func emptyTarget(_ engine: Engine, _ h: StoreHarness) async throws -> String {
        let name = "sr_restore_\(UUID().uuidString.prefix(8).lowercased())"
        guard engine == .postgres else { return FileManager.default.temporaryDirectory.appendingPathComponent("\(name).sqlite").path }
        try await h.store.backend.reader.raw("CREATE DATABASE \(ident: name)").run()
        var parts = try #require(URLComponents(string: h.url))
        parts.path = "/" + name
        return try #require(parts.string)
    }

    static func drop(_ target: String, _ engine: Engine, _ h: StoreHarness) async throws {
        if engine == .sqlite {
            for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: target + s) }
        } else if let name = URLComponents(string: target)?.path.dropFirst() {
            try await h.store.backend.reader.raw("DROP DATABASE \(ident: String(name))").run()
        }
    }
}

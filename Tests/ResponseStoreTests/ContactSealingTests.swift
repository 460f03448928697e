import Foundation
import ResponseCore
import SQLKit
import Testing
@testable import ResponseStore

@Suite("Contact data sealed at rest (AES-GCM), rotated while filing, repeat callers by HMAC")
struct ContactSealingTests {
    static let t0 = TicketStoreTests.t0

    @Test("keys: seal and open, key ids, clear legacy values, tampering, unknown keys, bad key text")
    func keys() throws {
        let a = ContactKeys.generate(id: "a"), ab = try ContactKeys.adding(to: a, id: "b")
        let ka = try ContactKeys(text: a), kab = try ContactKeys(text: ab)
        #expect(ka.current == "a" && kab.current == "b")
        let sealed = try #require(try ka.seal("13912345678"))
        #expect(sealed.hasPrefix("sr1:a:") && !sealed.contains("13912345678"))
        #expect(try ka.seal("13912345678") != sealed, "a fresh nonce each time")
        #expect(try kab.open(sealed) == "13912345678", "older keys still open")
        #expect(try ka.open("13912345678") == "13912345678", "a value written before sealing reads as it is")
        #expect(try ka.open(nil) == nil)
        #expect(try ka.seal(nil) == nil)
        let onlyB = try ContactKeys(text: ab.split(separator: "\n").filter { !$0.hasPrefix("seal a ") }.joined(separator: "\n"))
        #expect(throws: ContactKeyError.self) { try onlyB.open(sealed) }
        var tampered = Array(sealed)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        #expect(throws: ContactKeyError.self) { try ka.open(String(tampered)) }
        // The index key stays with rotation: the same caller hash under a and under b.
        #expect(ka.callerHash("13912345678") == kab.callerHash("13912345678"))
        #expect(ka.callerHash("13912345678") != (try ContactKeys(text: ContactKeys.generate(id: "c"))).callerHash("13912345678"), "keyed, not a plain hash")
        #expect(ka.callerHash("13912345678").count == 32)
        for bad in ["", "seal a xyz\nindex \(Data(count: 32).base64EncodedString())", "index \(Data(count: 32).base64EncodedString())",
                    "seal a \(Data(count: 32).base64EncodedString())", "seal a/b \(Data(count: 32).base64EncodedString())\nindex \(Data(count: 32).base64EncodedString())",
                    "open a b"] {
            #expect(throws: ContactKeyError.self, "\(bad)") { try ContactKeys(text: bad) }
        }
        #expect(throws: ContactKeyError.self) { try ContactKeys.adding(to: a, id: "a") }
        // One line, as an environment variable may carry it.
        #expect(try ContactKeys(text: a.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: ";")).current == "a")
    }

    static func file(_ h: StoreHarness, store: SQLTicketStore, phone: String, at: Date) async throws -> Ticket {
        let new = NewTicket(kind: .complaint, channel: .phone, title: "停水", description: "", categoryCode: "03.01",
                            location: Location(latitude: 39.9, longitude: 116.4, districtCode: "cy"),
                            complainant: Complainant(name: "王芳", phone: phone, email: "wf\(phone.suffix(4))@example.com"))
        return try await store.createTicket(new, tenant: h.tenant, actor: StoreHarness.agent, now: at).0
    }

    @Test("the database holds no complainant's name, phone or e-mail in clear; the store reads them back", arguments: Engine.available)
    func nothingInClear(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let ticket = try await Self.file(h, store: h.store, phone: "13912345678", at: Self.t0)
            #expect(try await h.store.ticket(number: ticket.number, tenantID: h.tenant.id)?.complainant == ticket.complainant)
            let messages = try await h.store.notifications(number: ticket.number, tenantID: h.tenant.id)
            #expect(messages.first?.recipient == "13912345678", "the receipt's recipient reads back")
            #expect(try await h.store.repeats(tenantID: h.tenant.id, kind: .caller, range: DayRange.days(7, endingBefore: "2026-11-20"), minimum: 1, limit: 5)
                .first?.label == "*******5678")
            let planted = ["13912345678", "wf5678@example.com", "王芳"]
            switch engine {
            case .sqlite:
                let path = try #require(h.path)
                var bytes = Data()
                for suffix in ["", "-wal"] { bytes.append(FileManager.default.contents(atPath: path + suffix) ?? Data()) }
                #expect(bytes.count > 10_000)
                for secret in planted { #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(secret) is in the SQLite file in clear") }
            case .postgres:
                for table in ["tickets", "notifications", "events", "demand_repeats", "demand_repeat_days"] {
                    let rows = try await h.store.backend.reader.raw("SELECT CAST(t AS TEXT) AS r FROM \(ident: table) t WHERE tenant_id = \(bind: h.tenant.id)").all()
                    let text = try rows.map { try $0.decode(column: "r", as: String.self) }.joined(separator: "\n")
                    #expect(!text.isEmpty || table == "demand_repeat_days", "\(table)")
                    for secret in planted { #expect(!text.contains(secret), "\(secret) is in \(table) in clear") }
                }
            }
        }
    }

    @Test("rotation while filing: every row ends under the new key, none lost, all readable with the new key alone", arguments: Engine.available)
    func rotationWhileFiling(engine: Engine) async throws {
        let a = ContactKeys.generate(id: "rot-a"), ab = try ContactKeys.adding(to: a, id: "rot-b")
        let onlyB = ab.split(separator: "\n").filter { !$0.hasPrefix("seal rot-a ") }.joined(separator: "\n")
        try await StoreHarness.with(engine, contacts: try ContactKeys(text: a)) { h in
            var filed: [Ticket] = []
            for i in 0..<300 { filed.append(try await Self.file(h, store: h.store, phone: String(format: "1391234%04d", i), at: Self.t0.addingTimeInterval(Double(i)))) }
            #expect(try await h.store.contactKeyUse(tenantID: h.tenant.id) == ["rot-a": 600], "300 tickets and their 300 receipts")
            // A second server on the same database, restarted with the new key, files while rotating.
            try await SQLTicketStore.withStore(url: h.url, contacts: try ContactKeys(text: ab)) { b in
                async let more: [Ticket] = {
                    var out: [Ticket] = []
                    for i in 0..<200 { out.append(try await Self.file(h, store: b, phone: String(format: "1370000%04d", i), at: Self.t0.addingTimeInterval(1_000 + Double(i)))) }
                    return out
                }()
                let resealed = try await b.resealContacts(tenantID: h.tenant.id, batchSize: 40)
                filed += try await more
                #expect(resealed == 600, "each old row once")
                #expect(try await b.resealContacts(tenantID: h.tenant.id) == 0, "nothing left")
                #expect(try await b.contactKeyUse(tenantID: h.tenant.id) == ["rot-b": 1_000])
            }
            try await SQLTicketStore.withStore(url: h.url, contacts: try ContactKeys(text: onlyB)) { newOnly in
                for t in filed {
                    let read = try await newOnly.ticket(number: t.number, tenantID: h.tenant.id)
                    #expect(read?.complainant == t.complainant, "\(t.number)")
                }
                #expect(try await newOnly.notifications(number: filed[0].number, tenantID: h.tenant.id).first?.recipient == filed[0].complainant.phone)
            }
        }
    }
}

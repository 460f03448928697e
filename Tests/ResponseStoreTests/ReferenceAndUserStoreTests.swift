import Foundation
import ResponseCore
import Testing
@testable import ResponseStore

@Suite("Units, categories, users, sessions and keys (SQLite and PostgreSQL)")
struct ReferenceAndUserStoreTests {
    @Test(arguments: Engine.available)
    func unitsAndCategoriesUpsert(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let id = h.tenant.id
            try await h.store.saveUnit(OrgUnit(code: "cy", tenantID: id, name: "朝阳区", kind: .district, population: 3_450_000))
            try await h.store.saveUnit(OrgUnit(code: "cy-jw", tenantID: id, name: "建外街道", kind: .street, parentCode: "cy"))
            try await h.store.saveUnit(OrgUnit(code: "cy-jw", tenantID: id, name: "建外街道办事处", kind: .street, parentCode: "cy", population: 80_000))
            let units = try await h.store.units(tenantID: id)
            #expect(units.map(\.code) == ["cy", "cy-jw"])
            #expect(units[1].name == "建外街道办事处")
            #expect(units[1].population == 80_000)
            #expect(try await h.store.unit(code: "cy", tenantID: "other") == nil)

            try await h.store.saveCategory(Category(code: "01", tenantID: id, name: "城乡建设", level: 1, parentCode: nil))
            try await h.store.saveCategory(Category(code: "01.01", tenantID: id, name: "安全生产", level: 2, parentCode: "01", active: false))
            let categories = try await h.store.categories(tenantID: id)
            #expect(categories.map(\.code) == ["01", "01.01"])
            #expect(categories[1].active == false)
            #expect(try await h.store.category(code: "01.01", tenantID: id)?.parentCode == "01")
        }
    }

    @Test(arguments: Engine.available)
    func usersSessionsAndKeys(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let name = "u" + h.tenant.id.replacingOccurrences(of: "-", with: "")
            let now = Date(millisecondsSince1970: Date().millisecondsSince1970)
            var user = User(username: name, tenantID: h.tenant.id, displayName: "Handler", role: .handler, unitCode: "cy-jw", passwordHash: "$2b$hash", createdAt: now)
            try await h.store.createUser(user)
            await #expect(throws: StoreError.conflict("user \(name) already exists")) { try await h.store.createUser(user) }
            user.active = false
            try await h.store.updateUser(user)
            #expect(try await h.store.user(username: name)?.active == false)
            try await h.store.createSession(tokenHash: "hash-" + name, username: name, now: now, expires: now.addingTimeInterval(3600))
            #expect(try await h.store.sessionUser(tokenHash: "hash-" + name, now: now) == nil)  // inactive user
            user.active = true
            try await h.store.updateUser(user)
            #expect(try await h.store.sessionUser(tokenHash: "hash-" + name, now: now) == nil, "a change of standing ends the sessions")
            try await h.store.createSession(tokenHash: "hash-" + name, username: name, now: now, expires: now.addingTimeInterval(3600))
            user.displayName = "Handler of Jianwai"
            try await h.store.updateUser(user)
            #expect(try await h.store.sessionUser(tokenHash: "hash-" + name, now: now)?.unitCode == "cy-jw", "a new display name does not")
            #expect(try await h.store.sessionUser(tokenHash: "hash-" + name, now: now.addingTimeInterval(3601)) == nil)  // expired
            try await h.store.deleteSession(tokenHash: "hash-" + name)
            #expect(try await h.store.sessionUser(tokenHash: "hash-" + name, now: now) == nil)
            #expect(try await h.store.users(tenantID: h.tenant.id).map(\.username) == [name])

            let key = APIKey(id: UUID().uuidString, tenantID: h.tenant.id, name: "app", role: .integration, keyHash: "k-" + name, createdAt: now)
            try await h.store.createAPIKey(key)
            #expect(try await h.store.apiKey(hash: "k-" + name) == key)
            #expect(try await h.store.revokeAPIKey(id: key.id, tenantID: h.tenant.id, at: now))
            #expect(try await h.store.revokeAPIKey(id: key.id, tenantID: h.tenant.id, at: now) == false)
            #expect(try await h.store.apiKey(hash: "k-" + name)?.revokedAt == now)
        }
    }

    @Test("a sign-in sweeps its own city's expired sessions and no other city's", arguments: Engine.available)
    func sessionSweepStaysInItsCity(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            let tag = h.tenant.id.replacingOccurrences(of: "-", with: "")
            let now = Date(millisecondsSince1970: Date().millisecondsSince1970)
            let other = "other-" + tag
            try await h.store.saveTenant(Tenant(id: other, name: "Other", timeZone: "UTC"))
            let cities = try await h.store.tenants()
            #expect(cities.contains(Tenant(id: other, name: "Other", timeZone: "UTC")) && cities.contains { $0.id == h.tenant.id })
            #expect(cities.map(\.id) == cities.map(\.id).sorted())
            for (name, city) in [("a1" + tag, h.tenant.id), ("a2" + tag, h.tenant.id), ("b1" + tag, other)] {
                try await h.store.createUser(User(username: name, tenantID: city, displayName: name, role: .agent, unitCode: nil, passwordHash: "$2b$hash", createdAt: now))
                try await h.store.createSession(tokenHash: "s-" + name, username: name, now: now, expires: now.addingTimeInterval(3600))
            }
            // A sign-in in the other city a day later: its clock has passed every session's expiry.
            let later = now.addingTimeInterval(86_400)
            try await h.store.createSession(tokenHash: "s2-b1" + tag, username: "b1" + tag, now: later, expires: later.addingTimeInterval(3600))
            #expect(try await h.store.sessionUser(tokenHash: "s-a1" + tag, now: now) != nil, "another city's sign-in leaves this city's sessions")
            #expect(try await h.store.sessionUser(tokenHash: "s-b1" + tag, now: now) == nil, "its own expired session is swept")
            // A sign-in in this city a day later sweeps this city's expired sessions, its neighbours' too.
            try await h.store.createSession(tokenHash: "s2-a1" + tag, username: "a1" + tag, now: later, expires: later.addingTimeInterval(3600))
            #expect(try await h.store.sessionUser(tokenHash: "s-a1" + tag, now: now) == nil)
            #expect(try await h.store.sessionUser(tokenHash: "s-a2" + tag, now: now) == nil)
            #expect(try await h.store.sessionUser(tokenHash: "s2-a1" + tag, now: later)?.username == "a1" + tag)
        }
    }
}

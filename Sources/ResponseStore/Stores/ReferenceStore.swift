import Foundation
import ResponseCore

/// Cities, their units and their category taxonomies.
public protocol ReferenceStore: Sendable {
    func saveTenant(_ tenant: Tenant) async throws
    func tenant(_ id: String) async throws -> Tenant?
    /// Every city, by id.
    func tenants() async throws -> [Tenant]
    func saveUnit(_ unit: OrgUnit) async throws
    func units(tenantID: String) async throws -> [OrgUnit]
    func unit(code: String, tenantID: String) async throws -> OrgUnit?
    func saveCategory(_ category: Category) async throws
    func categories(tenantID: String) async throws -> [Category]
    func category(code: String, tenantID: String) async throws -> Category?
}

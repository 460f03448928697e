import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func saveUnit(_ unit: OrgUnit) async throws {
        try await backend.transaction { db in
            try await db.raw(
                """
                INSERT INTO units (tenant_id, code, name, kind, parent_code, population, active)
                VALUES (\(bind: unit.tenantID), \(bind: unit.code), \(bind: unit.name), \(bind: unit.kind.rawValue),
                        \(bind: unit.parentCode), \(bind: unit.population.map(Int64.init)), \(bind: TicketRow.int(unit.active)))
                ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name, kind = excluded.kind,
                  parent_code = excluded.parent_code, population = excluded.population, active = excluded.active
                """
            ).run()
        }
    }

    public func units(tenantID: String) async throws -> [OrgUnit] {
        try await backend.reader.raw(
            "SELECT tenant_id, code, name, kind, parent_code, population, active FROM units WHERE tenant_id = \(bind: tenantID) ORDER BY code"
        ).all().map(Self.decodeUnit)
    }

    public func unit(code: String, tenantID: String) async throws -> OrgUnit? {
        try await backend.reader.raw(
            "SELECT tenant_id, code, name, kind, parent_code, population, active FROM units WHERE tenant_id = \(bind: tenantID) AND code = \(bind: code)"
        ).first().map(Self.decodeUnit)
    }

    static func decodeUnit(_ row: any SQLRow) throws -> OrgUnit {
        let kind = try row.decode(column: "kind", as: String.self)
        return OrgUnit(
            code: try row.decode(column: "code", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            kind: OrgUnit.Kind(rawValue: kind) ?? .department,
            parentCode: try row.decode(column: "parent_code", as: String?.self),
            population: try row.decode(column: "population", as: Int64?.self).map { Int($0) },
            active: try row.decode(column: "active", as: Int64.self) != 0
        )
    }

    public func saveCategory(_ category: Category) async throws {
        try await backend.transaction { db in
            try await db.raw(
                """
                INSERT INTO categories (tenant_id, code, name, level, parent_code, active)
                VALUES (\(bind: category.tenantID), \(bind: category.code), \(bind: category.name), \(bind: Int64(category.level)),
                        \(bind: category.parentCode), \(bind: TicketRow.int(category.active)))
                ON CONFLICT (tenant_id, code) DO UPDATE SET name = excluded.name, level = excluded.level,
                  parent_code = excluded.parent_code, active = excluded.active
                """
            ).run()
        }
    }

    public func categories(tenantID: String) async throws -> [Category] {
        try await backend.reader.raw(
            "SELECT tenant_id, code, name, level, parent_code, active FROM categories WHERE tenant_id = \(bind: tenantID) ORDER BY code"
        ).all().map(Self.decodeCategory)
    }

    public func category(code: String, tenantID: String) async throws -> Category? {
        try await backend.reader.raw(
            "SELECT tenant_id, code, name, level, parent_code, active FROM categories WHERE tenant_id = \(bind: tenantID) AND code = \(bind: code)"
        ).first().map(Self.decodeCategory)
    }

    static func decodeCategory(_ row: any SQLRow) throws -> Category {
        Category(
            code: try row.decode(column: "code", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            level: Int(try row.decode(column: "level", as: Int64.self)),
            parentCode: try row.decode(column: "parent_code", as: String?.self),
            active: try row.decode(column: "active", as: Int64.self) != 0
        )
    }
}

import HTTPTypes
import Foundation
import Hummingbird
import ResponseCore
import ResponseDispatch
import ResponseStore

/// `/api/v1/units` and `/api/v1/categories`: read by everyone signed in, written by admins.
struct ReferenceController: ServerFace {
    let server: ServerServices

    struct UnitInput: Decodable, Sendable {
        var code: String?
        var name: String
        var kind: OrgUnit.Kind
        var parentCode: String?
        var population: Int?
        var active: Bool?
    }

    struct CategoryInput: Decodable, Sendable {
        var code: String?
        var name: String
        var level: Int
        var parentCode: String?
        var active: Bool?
    }

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/units", summary: "All units (streets, districts, departments, companies)", tag: "reference",
                access: .permission(.readTickets), response: "UnitList", handler: listUnits)
        api.add(.post, "/api/v1/units", summary: "Create a unit", tag: "reference", access: .permission(.manageReferenceData), request: "Unit", response: "Unit", status: 201) {
            try await self.saveUnit($0, $1, code: nil)
        }
        api.add(.put, "/api/v1/units/{code}", summary: "Create or replace a unit", tag: "reference", access: .permission(.manageReferenceData), request: "Unit", response: "Unit") {
            try await self.saveUnit($0, $1, code: try $1.parameters.require("code"))
        }
        api.add(.get, "/api/v1/categories", summary: "The category taxonomy (three levels)", tag: "reference",
                access: .permission(.readTickets), response: "CategoryList", handler: listCategories)
        api.add(.post, "/api/v1/categories", summary: "Create a category", tag: "reference", access: .permission(.manageReferenceData), request: "Category", response: "Category", status: 201) {
            try await self.saveCategory($0, $1, code: nil)
        }
        api.add(.put, "/api/v1/categories/{code}", summary: "Create or replace a category", tag: "reference", access: .permission(.manageReferenceData), request: "Category", response: "Category") {
            try await self.saveCategory($0, $1, code: try $1.parameters.require("code"))
        }
    }

    @Sendable func listUnits(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[OrgUnit]> {
        let identity = try context.require(.readTickets)
        return JSONResponse(value: try await store.units(tenantID: identity.tenantID))
    }

    func saveUnit(_ request: Request, _ context: AppRequestContext, code pathCode: String?) async throws -> JSONResponse<OrgUnit> {
        let identity = try context.require(.manageReferenceData)
        let input = try await request.decodeJSON(as: UnitInput.self, context: context)
        guard let code = pathCode ?? input.code else { throw ValidationError([FieldError(field: "code", message: "is required")]) }
        if let pathCode, let bodyCode = input.code, bodyCode != pathCode {
            throw ValidationError([FieldError(field: "code", message: "differs from the code in the URL")])
        }
        let unit = OrgUnit(code: code, tenantID: identity.tenantID, name: input.name, kind: input.kind, parentCode: input.parentCode, population: input.population, active: input.active ?? true)
        var errors = unit.validationErrors()
        if let parent = unit.parentCode, errors.isEmpty, try await store.unit(code: parent, tenantID: identity.tenantID) == nil {
            errors.append(FieldError(field: "parentCode", message: "no unit \(parent)"))
        }
        guard errors.isEmpty else { throw ValidationError(errors) }
        let exists = try await store.unit(code: code, tenantID: identity.tenantID) != nil
        if pathCode == nil && exists { throw StoreError.conflict("unit \(code) already exists; PUT /api/v1/units/\(code) replaces it") }
        try await store.saveUnit(unit)
        try await dispatch.referenceDataChanged(tenantID: unit.tenantID)
        return JSONResponse(status: exists ? .ok : .created, value: unit)
    }

    @Sendable func listCategories(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[Category]> {
        let identity = try context.require(.readTickets)
        return JSONResponse(value: try await store.categories(tenantID: identity.tenantID))
    }

    func saveCategory(_ request: Request, _ context: AppRequestContext, code pathCode: String?) async throws -> JSONResponse<Category> {
        let identity = try context.require(.manageReferenceData)
        let input = try await request.decodeJSON(as: CategoryInput.self, context: context)
        guard let code = pathCode ?? input.code else { throw ValidationError([FieldError(field: "code", message: "is required")]) }
        if let pathCode, let bodyCode = input.code, bodyCode != pathCode {
            throw ValidationError([FieldError(field: "code", message: "differs from the code in the URL")])
        }
        let category = Category(code: code, tenantID: identity.tenantID, name: input.name, level: input.level, parentCode: input.parentCode, active: input.active ?? true)
        var errors = category.validationErrors()
        if let parent = category.parentCode, errors.isEmpty {
            if let p = try await store.category(code: parent, tenantID: identity.tenantID) {
                if p.level != category.level - 1 { errors.append(FieldError(field: "parentCode", message: "the parent must be one level up")) }
            } else {
                errors.append(FieldError(field: "parentCode", message: "no category \(parent)"))
            }
        }
        guard errors.isEmpty else { throw ValidationError(errors) }
        let exists = try await store.category(code: code, tenantID: identity.tenantID) != nil
        if pathCode == nil && exists { throw StoreError.conflict("category \(code) already exists; PUT /api/v1/categories/\(code) replaces it") }
        try await store.saveCategory(category)
        try await dispatch.referenceDataChanged(tenantID: category.tenantID)
        return JSONResponse(status: exists ? .ok : .created, value: category)
    }
}

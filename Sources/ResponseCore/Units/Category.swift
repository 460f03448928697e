import Foundation

/// One node of a city's three-level subject taxonomy (urban management → sanitation → garbage
/// not collected). Codes are dotted paths: `01`, `01.03`, `01.03.07`.
public struct Category: Codable, Sendable, Equatable, Identifiable {
    public var code: String
    public var tenantID: String
    public var name: String
    /// 1, 2 or 3.
    public var level: Int
    public var parentCode: String?
    public var active: Bool

    public var id: String { code }

    public init(code: String, tenantID: String, name: String, level: Int, parentCode: String?, active: Bool = true) {
        self.code = code
        self.tenantID = tenantID
        self.name = name
        self.level = level
        self.parentCode = parentCode
        self.active = active
    }

    /// Field-level problems with a category submitted by an admin.
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []
        if !(1...3).contains(level) { errors.append(FieldError(field: "level", message: "must be 1, 2 or 3")) }
        if !OrgUnit.isValidCode(code) { errors.append(FieldError(field: "code", message: "1–64 characters of a–z, 0–9, '-', '_' or '.'")) }
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.exceeds(200) {
            errors.append(FieldError(field: "name", message: "1–200 characters"))
        }
        if level == 1 && parentCode != nil { errors.append(FieldError(field: "parentCode", message: "a level-1 category has no parent")) }
        if level > 1 && parentCode == nil { errors.append(FieldError(field: "parentCode", message: "required below level 1")) }
        return errors
    }
}

import Foundation

/// An organisation that receives tickets: a street/township office, a district, a municipal
/// department or a public-service company. Units form a hierarchy through `parentCode`.
public struct OrgUnit: Codable, Sendable, Equatable, Identifiable {
    public enum Kind: String, Codable, Sendable, CaseIterable {
        case street, district, department, company
    }

    /// Short stable code used in URLs and tickets (`cy-jianwai`).
    public var code: String
    public var tenantID: String
    public var name: String
    public var kind: Kind
    /// The unit above this one (a street's district).
    public var parentCode: String?
    /// Residents served, for requests per 10,000 residents.
    public var population: Int?
    public var active: Bool

    public var id: String { code }

    public init(code: String, tenantID: String, name: String, kind: Kind, parentCode: String? = nil, population: Int? = nil, active: Bool = true) {
        self.code = code
        self.tenantID = tenantID
        self.name = name
        self.kind = kind
        self.parentCode = parentCode
        self.population = population
        self.active = active
    }

    /// Field-level problems with a unit submitted by an admin.
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []
        if !Self.isValidCode(code) {
            errors.append(FieldError(field: "code", message: "1–64 characters of a–z, 0–9, '-', '_' or '.'"))
        }
        if name.trimmingCharacters(in: .whitespaces).isEmpty || name.exceeds(200) {
            errors.append(FieldError(field: "name", message: "1–200 characters"))
        }
        if parentCode == code { errors.append(FieldError(field: "parentCode", message: "a unit cannot be its own parent")) }
        if let population, population < 0 { errors.append(FieldError(field: "population", message: "must not be negative")) }
        return errors
    }

    /// Codes are ASCII so they travel safely in URLs, CSV and Open311 payloads.
    public static func isValidCode(_ code: String) -> Bool {
        (1...64).contains(code.count)
            && code.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0) }
    }
}

import Foundation
import ResponseCore

/// One question of a service definition (`GET services/{code}`): what a client must or may
/// ask the resident, and how its answer is checked when the request is posted.
public struct Open311Attribute: Codable, Sendable, Equatable {
    /// The six datatypes of GeoReport v2.
    public enum Datatype: String, Codable, Sendable, CaseIterable {
        case string, number, datetime, text, singlevaluelist, multivaluelist
    }

    /// One allowed answer of a list attribute.
    public struct Value: Codable, Sendable, Equatable {
        public var key: String
        public var name: String

        public init(key: String, name: String) {
            self.key = key
            self.name = name
        }
    }

    /// Sent as `attribute[CODE]`; ASCII letters, digits, `_` and `-` only, so every client can
    /// build the field name.
    public var code: String
    public var datatype: Datatype
    public var required: Bool
    /// The question shown to the resident.
    public var description: String
    public var datatypeDescription: String?
    /// `false` for an informational attribute the resident does not answer.
    public var variable: Bool
    /// Position in the form.
    public var order: Int
    /// Allowed answers of the list datatypes.
    public var values: [Value]

    public init(
        code: String, datatype: Datatype, required: Bool = false, description: String, datatypeDescription: String? = nil,
        variable: Bool = true, order: Int = 0, values: [Value] = []
    ) {
        self.code = code
        self.datatype = datatype
        self.required = required
        self.description = description
        self.datatypeDescription = datatypeDescription
        self.variable = variable
        self.order = order
        self.values = values
    }

    enum CodingKeys: String, CodingKey { case code, datatype, required, description, datatypeDescription, variable, order, values }

    // Only code, datatype and description are needed in a settings file.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        code = try c.decode(String.self, forKey: .code)
        datatype = try c.decode(Datatype.self, forKey: .datatype)
        required = try c.decodeIfPresent(Bool.self, forKey: .required) ?? false
        description = try c.decode(String.self, forKey: .description)
        datatypeDescription = try c.decodeIfPresent(String.self, forKey: .datatypeDescription)
        variable = try c.decodeIfPresent(Bool.self, forKey: .variable) ?? true
        order = try c.decodeIfPresent(Int.self, forKey: .order) ?? 0
        values = try c.decodeIfPresent([Value].self, forKey: .values) ?? []
    }

    /// Whether `code` is one we may publish: 1–64 ASCII letters, digits, `_` or `-`.
    public static func isValidCode(_ code: String) -> Bool {
        (1...64).contains(code.count) && code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_" || $0 == "-") }
    }

    /// Problems with the definition itself, for the settings loader.
    public func definitionErrors() -> [String] {
        var errors: [String] = []
        if !Self.isValidCode(code) { errors.append("attribute code '\(code)' must be 1–64 ASCII letters, digits, '_' or '-'") }
        let isList = datatype == .singlevaluelist || datatype == .multivaluelist
        if isList && values.isEmpty { errors.append("attribute \(code): a \(datatype.rawValue) needs values") }
        if !isList && !values.isEmpty { errors.append("attribute \(code): only list datatypes have values") }
        if Set(values.map(\.key)).count != values.count { errors.append("attribute \(code): value keys repeat") }
        return errors
    }

    /// Why `answers` (the non-empty values sent for this attribute) are not acceptable, or `nil`.
    /// - Parameter timeZone: The city's zone, for datetimes sent without an offset.
    public func problem(with answers: [String], timeZone: TimeZone) -> String? {
        guard variable else { return nil }
        if answers.isEmpty { return required ? "attribute[\(code)] is required: \(description)" : nil }
        if datatype != .multivaluelist && answers.count > 1 { return "attribute[\(code)] takes one value" }
        for answer in answers {
            switch datatype {
            case .string, .text:
                if answer.count > NewTicket.maxAttributeValue { return "attribute[\(code)] is longer than \(NewTicket.maxAttributeValue) characters" }
            case .number:
                guard let n = Double(answer.trimmingCharacters(in: .whitespaces)), n.isFinite else { return "attribute[\(code)] must be a number" }
            case .datetime:
                if Open311Document.parseW3CDate(answer, timeZone: timeZone) == nil { return "attribute[\(code)] must be a W3C datetime such as 2026-11-25T09:30:00+08:00" }
            case .singlevaluelist, .multivaluelist:
                if !values.contains(where: { $0.key == answer }) {
                    return "attribute[\(code)] must be one of \(values.map(\.key).joined(separator: ", "))"
                }
            }
        }
        return nil
    }

    /// The attribute as GeoReport writes it inside `attributes`.
    var wire: Open311Value {
        .object([
            ("variable", .bool(variable)),
            ("code", .string(code)),
            ("datatype", .string(datatype.rawValue)),
            ("required", .bool(required)),
            ("datatype_description", .string(datatypeDescription)),
            ("order", .integer(order)),
            ("description", .string(description)),
            ("values", .list(item: "value", values.map { .object([("key", .string($0.key)), ("name", .string($0.name))]) })),
        ])
    }
}

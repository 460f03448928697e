import Foundation

/// Typed views of the API's ticket answers for the HTTP tests: a field that is missing or of
/// another type fails the decode (and the test), where an untyped read saw `nil`.
struct TicketView: Decodable {
    struct Location: Decodable {
        var streetCode: String?
        var districtCode: String?
        var address: String?
    }
    struct Deadlines: Decodable {
        var accept: String?
        var resolution: String?
    }
    struct Actor: Decodable {
        var name: String
        var role: String?
    }
    struct Contact: Decodable {
        var name: String?
        var phone: String?
        var email: String?
    }
    struct Event: Decodable {
        var type: String
        var actor: Actor?
        var payload: [String: String]?
    }

    var number: String
    var status: String
    var leadUnit: String?
    var coUnits: [String]?
    var mergedInto: String?
    var reports: Int?
    var duplicates: [String]?
    var location: Location?
    var deadlines: Deadlines?
    var timeline: [Event]?
    var version: Int?
    var returnCount: Int?
    var allowedActions: [String]?
    /// What the caller may do now (the access rule applied).
    var yourActions: [String]?
    var complainant: Contact?

    /// The payload of the first event of `type`.
    func payload(of type: String) -> [String: String]? { timeline?.first { $0.type == type }?.payload }
}

/// A page of a listing: `{"items": [...]}`.
struct ItemPage<Item: Decodable>: Decodable {
    var items: [Item]
    /// The cursor of the next page, when there is one.
    var next: String?
}

/// A problem (RFC 9457) as the API answers errors, with the fields at fault.
struct ProblemView: Decodable {
    struct FieldProblem: Decodable { var field: String }
    var type: String
    var detail: String?
    var errors: [FieldProblem]?

    var fields: [String] { errors?.map(\.field) ?? [] }
}

/// Something with a code and a name, as suggestions list categories and units.
struct CodedItem: Decodable {
    var code: String
}

/// `GET /api/v1/tickets/{number}/suggestions`.
struct TicketSuggestions: Decodable {
    var categories: [CodedItem]
    var units: [CodedItem]
}

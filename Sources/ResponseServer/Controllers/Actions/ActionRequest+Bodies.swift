import Foundation
import ResponseCore

// The bodies of the action endpoints, one per shape; ActionRequests.type(for:) maps actions to them.
// Every field is optional in decoding so that a body missing several fields is refused with all
// of them named, not only the first.

typealias Schema = OpenAPIDocument

/// answer: the text read out, and the knowledge-base article it came from (counted as a use).
struct AnswerRequest: ActionRequest {
    var text: String?
    var article: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["text": Schema.string(), "article": Schema.string("knowledge-base article id"), "version": versionSchema], required: ["text"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        guard let text = check.requiredText(text, "text"), check.errors.isEmpty else { throw check.failure }
        return .answer(text: text, article: article)
    }
}

/// dispatch, arbitrate: the lead unit and co-units.
struct RoutingRequest: ActionRequest {
    var leadUnit: String?
    var coUnits: [String]?
    var note: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["leadUnit": Schema.string(), "coUnits": Schema.array(Schema.string()), "note": Schema.string(), "version": versionSchema], required: ["leadUnit"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(note, "note")
        guard let lead = check.required(leadUnit, "leadUnit"), check.errors.isEmpty else { throw check.failure }
        return kind == .arbitrate ? .arbitrate(leadUnit: lead, coUnits: coUnits ?? [], note: note) : .dispatch(leadUnit: lead, coUnits: coUnits ?? [], note: note)
    }
}

/// triage: a corrected category or place (at least one).
struct TriageRequest: ActionRequest {
    var categoryCode: String?
    var districtCode: String?
    var streetCode: String?
    var note: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object([
        "categoryCode": Schema.string(), "districtCode": Schema.string(), "streetCode": Schema.string(), "note": Schema.string(), "version": versionSchema,
    ]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(note, "note")
        if categoryCode == nil && districtCode == nil && streetCode == nil { check.fail("categoryCode", "give categoryCode, districtCode or streetCode") }
        guard check.errors.isEmpty else { throw check.failure }
        return .triage(Triage(categoryCode: categoryCode, districtCode: districtCode, streetCode: streetCode, notes: note.map { ["note": $0] } ?? [:]))
    }
}

/// accept: nothing but the version.
struct EmptyRequest: ActionRequest {
    var version: Int?

    static var schema: [String: Any] { Schema.object(["version": versionSchema]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction { .accept }
}

/// reject-return, urge, close: an optional note.
struct NoteRequest: ActionRequest {
    var note: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["note": Schema.string(), "version": versionSchema]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(note, "note")
        guard check.errors.isEmpty else { throw check.failure }
        switch kind {
        case .rejectReturn: return .rejectReturn(note: note)
        case .urge: return .urge(note: note)
        default: return .close(note: note)
        }
    }
}

/// return: why the ticket is not the unit's, inside the return window.
struct ReturnRequest: ActionRequest {
    var reason: String?
    var note: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object([
        "reason": Schema.string(enum: ReturnReason.allCases.map(\.rawValue)), "note": Schema.string(), "version": versionSchema,
    ], required: ["reason"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(note, "note")
        let given = check.required(reason, "reason")
        let parsed = given.flatMap(ReturnReason.init(rawValue:))
        if given != nil && parsed == nil { check.fail("reason", "one of \(ReturnReason.allCases.map(\.rawValue).joined(separator: ", "))") }
        guard let parsed, check.errors.isEmpty else { throw check.failure }
        return .giveBack(reason: parsed, note: note)
    }
}

/// contact: what was said to the complainant.
struct ContactRequest: ActionRequest {
    var note: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["note": Schema.string("what was said"), "version": versionSchema], required: ["note"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        guard let note = check.requiredText(note, "note"), check.errors.isEmpty else { throw check.failure }
        return .contact(note: note)
    }
}

/// reply: the unit's answer and whether it solved the problem.
struct ReplyRequest: ActionRequest {
    var text: String?
    var resolved: Bool?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["text": Schema.string(), "resolved": ["type": "boolean"], "version": versionSchema], required: ["text", "resolved"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(text, "text")
        let text = check.required(text, "text"), resolved = check.required(resolved, "resolved")
        guard let text, let resolved, check.errors.isEmpty else { throw check.failure }
        return .reply(text: text, resolved: resolved)
    }
}

/// evaluate: the complainant's rating.
struct RatingRequest: ActionRequest {
    var resolved: Bool?
    var satisfaction: Evaluation.Satisfaction?
    var contacted: Bool?
    var comment: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object([
        "resolved": ["type": "boolean"], "satisfaction": Schema.string(enum: Evaluation.Satisfaction.allCases.map(\.rawValue)),
        "contacted": ["type": "boolean"], "comment": Schema.string(), "version": versionSchema,
    ], required: ["resolved", "satisfaction"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(comment, "comment")
        let resolved = check.required(resolved, "resolved"), satisfaction = check.required(satisfaction, "satisfaction")
        guard let resolved, let satisfaction, check.errors.isEmpty else { throw check.failure }
        return .evaluate(Evaluation(contacted: contacted, resolved: resolved, satisfaction: satisfaction, comment: comment))
    }
}

import Foundation
import ResponseCore

/// reopen: why the unit must redo it; erase-contacts: the reference of the complainant's request.
struct ReasonRequest: ActionRequest {
    var reason: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["reason": Schema.string(), "version": versionSchema], required: ["reason"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        guard let reason = check.requiredText(reason, "reason"), check.errors.isEmpty else { throw check.failure }
        return kind == .eraseContacts ? .eraseContacts(basis: .request, note: reason) : .reopen(reason: reason)
    }
}

/// merge: the open ticket this one repeats.
struct MergeRequest: ActionRequest {
    var into: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["into": Schema.string("the parent ticket's number"), "version": versionSchema], required: ["into"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        guard let into = check.required(into, "into") else { throw check.failure }
        return .merge(into: into)
    }
}

/// extend, request-extension: the new resolution deadline and why.
struct ExtensionRequest: ActionRequest {
    var until: Date?
    var reason: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["until": Schema.string(format: "date-time"), "reason": Schema.string(), "version": versionSchema], required: ["until", "reason"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(reason, "reason")
        let until = check.required(until, "until"), reason = check.required(reason, "reason")
        guard let until, let reason, check.errors.isEmpty else { throw check.failure }
        return kind == .extend ? .extend(until: until, reason: reason) : .requestExtension(until: until, reason: reason)
    }
}

/// decide-extension: a supervisor's answer to the pending request.
struct ExtensionDecisionRequest: ActionRequest {
    var approve: Bool?
    var note: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["approve": ["type": "boolean"], "note": Schema.string(), "version": versionSchema], required: ["approve"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(note, "note")
        guard let approve = check.required(approve, "approve"), check.errors.isEmpty else { throw check.failure }
        return .decideExtension(approve: approve, note: note)
    }
}

/// comment: a remark for the timeline.
struct CommentRequest: ActionRequest {
    var text: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["text": Schema.string(), "version": versionSchema], required: ["text"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        guard let text = check.requiredText(text, "text"), check.errors.isEmpty else { throw check.failure }
        return .comment(text: text, details: [:])
    }
}

/// summon: the departments or companies to call (at most 20).
struct SummonRequest: ActionRequest {
    var units: [String]?
    var note: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object(["units": Schema.array(Schema.string()), "note": Schema.string(), "version": versionSchema], required: ["units"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(note, "note")
        if let units, units.count > 20 { check.fail("units", "at most 20 units") }
        guard let units = check.required(units, "units"), check.errors.isEmpty else { throw check.failure }
        return .summon(units: units, note: note)
    }
}

/// acknowledge-summons, report-summons: the summoned unit (a handler's own by default) and, for a
/// report, what it did.
struct SummonsAnswerRequest: ActionRequest {
    var unit: String?
    var text: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object([
        "unit": Schema.string("the summoned unit; a handler's own when left out"), "text": Schema.string("report-summons: what the unit did"), "version": versionSchema,
    ]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(text, "text")
        let unit = check.required(unit ?? (identity.role == .handler ? identity.unitCode : nil), "unit")
        if kind == .acknowledgeSummons {
            guard let unit, check.errors.isEmpty else { throw check.failure }
            return .acknowledgeSummons(unit: unit)
        }
        let text = check.required(text, "text")
        guard let unit, let text, check.errors.isEmpty else { throw check.failure }
        return .reportSummons(unit: unit, text: text)
    }
}

/// rate-summons: how well a summoned unit helped, 1–5.
struct SummonsRatingRequest: ActionRequest {
    var unit: String?
    var score: Int?
    var note: String?
    var version: Int?

    static var schema: [String: Any] { Schema.object([
        "unit": Schema.string(), "score": ["type": "integer", "minimum": 1, "maximum": 5], "note": Schema.string(), "version": versionSchema,
    ], required: ["unit", "score"]) }

    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction {
        var check = FieldCheck()
        check.text(note, "note")
        let unit = check.required(unit, "unit"), score = check.required(score, "score")
        guard let unit, let score, check.errors.isEmpty else { throw check.failure }
        return .rateSummons(unit: unit, score: score, note: note)
    }
}

/// The `version` field every action body takes.
var versionSchema: [String: Any] { ["type": "integer", "description": "refuse with 409 if the ticket is no longer at this version"] }

import Foundation
import Hummingbird
import ResponseCore

/// The body of one action endpoint (`POST /api/v1/tickets/{number}/{action}`), decoded with
/// `request.decode` and turned into the ``TicketAction`` it asks for. One type per kind of body;
/// ``ActionRequests/type(for:)`` is the table of which action takes which.
protocol ActionRequest: Decodable, Sendable {
    /// The ticket version the client last saw; a mismatch is refused with 409.
    var version: Int? { get }
    /// The action, or a ``ValidationError`` naming every missing or invalid field.
    /// - Parameters:
    ///   - kind: The action the route names (a body may serve several, e.g. dispatch and arbitrate).
    ///   - identity: Who acts (a handler answering a summons acts for its own unit).
    func action(_ kind: TicketAction.Kind, for identity: Identity) throws -> TicketAction
    /// The body's OpenAPI schema: its properties and the required ones.
    static var schema: [String: Any] { get }
}

extension ActionRequest {
    static var schemaName: String { String(describing: Self.self) }
}

/// Collects field errors while a body is read, so a client learns of every bad field at once.
struct FieldCheck {
    /// The longest free text an action takes.
    static let maxText = 10_000
    private(set) var errors: [FieldError] = []

    /// `value`, or nil with an error when it is missing.
    mutating func required<T>(_ value: T?, _ field: String) -> T? {
        if value == nil { errors.append(FieldError(field: field, message: "is required")) }
        return value
    }

    /// Notes an error when a free text is longer than ``maxText``.
    mutating func text(_ value: String?, _ field: String) {
        if let value, value.exceeds(Self.maxText) { errors.append(FieldError(field: field, message: "at most \(Self.maxText) characters")) }
    }

    /// A free text that must be there and not be too long.
    mutating func requiredText(_ value: String?, _ field: String) -> String? {
        text(value, field)
        return required(value, field)
    }

    mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// The error to throw: every field noted.
    var failure: ValidationError { ValidationError(errors) }
}

/// Which body each action takes: the one table of the action endpoints' bodies.
enum ActionRequests {
    static func type(for kind: TicketAction.Kind) -> (any ActionRequest.Type)? {
        switch kind {
        case .answer: AnswerRequest.self
        case .dispatch, .arbitrate: RoutingRequest.self
        case .triage: TriageRequest.self
        case .accept: EmptyRequest.self
        case .rejectReturn, .urge, .close: NoteRequest.self
        case .giveBack: ReturnRequest.self
        case .contact: ContactRequest.self
        case .reply: ReplyRequest.self
        case .evaluate: RatingRequest.self
        case .reopen, .eraseContacts: ReasonRequest.self
        case .merge: MergeRequest.self
        case .extend, .requestExtension: ExtensionRequest.self
        case .decideExtension: ExtensionDecisionRequest.self
        case .comment: CommentRequest.self
        case .summon: SummonRequest.self
        case .acknowledgeSummons, .reportSummons: SummonsAnswerRequest.self
        case .rateSummons: SummonsRatingRequest.self
        case .sweep, .followUpAttempt, .endFollowUp: nil
        }
    }

    /// Every body's schema, for the OpenAPI document's components.
    static var schemas: [String: Any] {
        var out: [String: Any] = [:]
        for kind in TicketAction.Kind.allCases {
            if let type = type(for: kind) { out[type.schemaName] = type.schema }
        }
        return out
    }

    /// Decodes the body `kind` takes and turns it into `identity`'s action, with the version it names.
    static func decode(
        _ kind: TicketAction.Kind, _ request: Request, context: AppRequestContext, for identity: Identity
    ) async throws -> (TicketAction, version: Int?) {
        guard let type = type(for: kind) else { throw Problem.notFound("no action \(kind.rawValue)") }
        let body = try await decode(type, request, context: context)
        return (try body.action(kind, for: identity), body.version)
    }

    private static func decode<Body: ActionRequest>(_ type: Body.Type, _ request: Request, context: AppRequestContext) async throws -> Body {
        try await request.decodeJSON(as: Body.self, context: context)
    }
}

import HTTPTypes
import Foundation
import ResponseCore

/// A ticket as the API shows it to one caller, rendered through the disclosure policy with the
/// access rule's answer (``TicketAccess``): a caller who may not see its contacts gets the
/// complainant masked and every free text (title, description, reply, notes, the timeline's
/// texts) redacted. Plus derived fields (overdue, what can be done next) and, for a single
/// ticket, the timeline.
struct TicketView: Encodable, Sendable {
    var ticket: Ticket
    var overdue: Bool
    var allowedActions: [String]
    /// The allowed actions this caller may take on this ticket (what a screen offers).
    var yourActions: [String]
    var timeline: [TicketEvent]?
    /// Tickets merged into this one: the cluster of people who reported the same problem.
    var duplicates: [String]?
    /// The code the complainant tracks the ticket with, for whoever may contact her (the agent
    /// reads it out with the number).
    var trackingCode: String?

    init(_ ticket: Ticket, for identity: Identity, configuration: ServerConfiguration, now: Date, timeline: [TicketEvent]? = nil) {
        let disclosure = configuration.disclosure
        let access = TicketAccess(identity.actor)
        let contacts = access.maySeeContacts(ticket)
        self.ticket = disclosure.staffView(ticket, contacts: contacts)
        if contacts { trackingCode = TrackingCode.make(number: ticket.number, tenantID: ticket.tenantID, secret: configuration.linkSecret) }
        self.overdue = ticket.isOverdue(at: now)
        self.allowedActions = TicketStateMachine.allowedActions(for: ticket)
        self.yourActions = allowedActions.filter { name in
            guard let kind = TicketAction.Kind(rawValue: name) else { return false }
            return access.may(kind, on: ticket, filedBy: timeline.flatMap(TicketAccess.filer(in:)))
        }
        self.timeline = timeline?.map { disclosure.staffView($0, of: ticket, contacts: contacts) }
    }

    enum ExtraKeys: String, CodingKey { case overdue, allowedActions, yourActions, timeline, duplicates, reports, trackingCode }

    func encode(to encoder: any Encoder) throws {
        try ticket.encode(to: encoder)
        var container = encoder.container(keyedBy: ExtraKeys.self)
        try container.encode(overdue, forKey: .overdue)
        try container.encode(allowedActions, forKey: .allowedActions)
        try container.encode(yourActions, forKey: .yourActions)
        try container.encodeIfPresent(timeline, forKey: .timeline)
        try container.encodeIfPresent(trackingCode, forKey: .trackingCode)
        if let duplicates {
            try container.encode(duplicates, forKey: .duplicates)
            try container.encode(duplicates.count + 1, forKey: .reports)
        }
    }
}

/// One page of tickets.
struct TicketList: Encodable, Sendable {
    var items: [TicketView]
    /// Pass as `after` for the next page; absent on the last page.
    var next: String?
}

/// The body of every action endpoint; each action reads the fields it needs.
struct ActionBody: Decodable, Sendable {
    var text: String?
    var note: String?
    var reason: String?
    var leadUnit: String?
    var coUnits: [String]?
    var resolved: Bool?
    var satisfaction: Evaluation.Satisfaction?
    var contacted: Bool?
    var comment: String?
    var into: String?
    var until: Date?
    var categoryCode: String?
    var districtCode: String?
    var streetCode: String?
    /// summon: the units to call.
    var units: [String]?
    /// acknowledge-summons, report-summons, rate-summons: the summoned unit.
    var unit: String?
    /// rate-summons: 1–5.
    var score: Int?
    /// decide-extension.
    var approve: Bool?
    /// answer: the knowledge-base article read out, counted as one use of it.
    var article: String?
    /// The ticket version the client last saw; a mismatch is refused with 409.
    var version: Int?

    /// The action of `kind` with this body's fields, or field errors for what is missing.
    func action(_ kind: TicketAction.Kind) throws -> TicketAction {
        var errors: [FieldError] = []
        func required<T>(_ value: T?, _ field: String) -> T? {
            if value == nil { errors.append(FieldError(field: field, message: "is required")) }
            return value
        }
        for (value, field) in [(text, "text"), (note, "note"), (reason, "reason"), (comment, "comment")] {
            if let value, value.count > 10_000 { errors.append(FieldError(field: field, message: "at most 10000 characters")) }
        }
        let action: TicketAction?
        switch kind {
        case .answer: action = required(text, "text").map { .answer(text: $0, article: article) }
        case .dispatch:
            action = required(leadUnit, "leadUnit").map { .dispatch(leadUnit: $0, coUnits: coUnits ?? [], note: note) }
        case .triage:
            let triage = Triage(categoryCode: categoryCode, districtCode: districtCode, streetCode: streetCode, notes: note.map { ["note": $0] } ?? [:])
            if categoryCode == nil && districtCode == nil && streetCode == nil {
                errors.append(FieldError(field: "categoryCode", message: "give categoryCode, districtCode or streetCode"))
            }
            action = .triage(triage)
        case .rejectReturn: action = .rejectReturn(note: note)
        case .arbitrate:
            action = required(leadUnit, "leadUnit").map { .arbitrate(leadUnit: $0, coUnits: coUnits ?? [], note: note) }
        case .accept: action = .accept
        case .giveBack:
            if let r = required(reason, "reason") {
                if let parsed = ReturnReason(rawValue: r) {
                    action = .giveBack(reason: parsed, note: note)
                } else {
                    errors.append(FieldError(field: "reason", message: "one of \(ReturnReason.allCases.map(\.rawValue).joined(separator: ", "))"))
                    action = nil
                }
            } else { action = nil }
        case .contact: action = required(note, "note").map { .contact(note: $0) }
        case .reply:
            let t = required(text, "text"), r = required(resolved, "resolved")
            action = t.flatMap { t in r.map { .reply(text: t, resolved: $0) } }
        case .evaluate:
            let r = required(resolved, "resolved"), s = required(satisfaction, "satisfaction")
            action = r.flatMap { r in s.map { .evaluate(Evaluation(contacted: contacted, resolved: r, satisfaction: $0, comment: comment)) } }
        case .reopen: action = required(reason, "reason").map { .reopen(reason: $0) }
        case .merge: action = required(into, "into").map { .merge(into: $0) }
        case .urge: action = .urge(note: note)
        case .extend:
            let u = required(until, "until"), r = required(reason, "reason")
            action = u.flatMap { u in r.map { .extend(until: u, reason: $0) } }
        case .close: action = .close(note: note)
        case .comment: action = required(text, "text").map { .comment(text: $0, details: [:]) }
        case .requestExtension:
            let u = required(until, "until"), r = required(reason, "reason")
            action = u.flatMap { u in r.map { .requestExtension(until: u, reason: $0) } }
        case .decideExtension: action = required(approve, "approve").map { .decideExtension(approve: $0, note: note) }
        case .summon:
            if let units, units.count > 20 { errors.append(FieldError(field: "units", message: "at most 20 units")) }
            action = required(units, "units").map { .summon(units: $0, note: note) }
        case .acknowledgeSummons: action = required(unit, "unit").map { .acknowledgeSummons(unit: $0) }
        case .reportSummons:
            let u = required(unit, "unit"), t = required(text, "text")
            action = u.flatMap { u in t.map { .reportSummons(unit: u, text: $0) } }
        case .rateSummons:
            let u = required(unit, "unit"), sc = required(score, "score")
            action = u.flatMap { u in sc.map { .rateSummons(unit: u, score: $0, note: note) } }
        case .eraseContacts: action = required(reason, "reason").map { .eraseContacts(basis: .request, note: $0) }
        case .sweep, .followUpAttempt, .endFollowUp: throw Problem.notFound("no action \(kind.rawValue)")
        }
        guard errors.isEmpty, let action else { throw ValidationError(errors) }
        return action
    }
}

import Foundation

extension EventDetail {
    /// Reads a stored payload as the detail of an event of `type` (leniently: see the type's notes).
    public init(type: EventType, payload: [String: String]) {
        let r = PayloadReader(values: payload)
        let unit = r["unit"], note = r["note"], text = r["text"] ?? ""
        switch type {
        case .created: self = .created(kind: r["kind"].flatMap(TicketKind.init), channel: r["channel"].flatMap(Channel.init), categoryCode: r["categoryCode"])
        case .answered: self = .answered(text: text, article: r["article"])
        case .dispatched:
            let upheld = r["upheld"] == "true" ? Assignment(unit: r["returnedBy"], assignedAt: r.instant("returnedAssignedAt")) : nil
            self = .dispatched(r.routing(), upheld: upheld)
        case .arbitrated:
            let replaced = r["from"] != nil || r["fromAssignedAt"] != nil ? Assignment(unit: r["from"], assignedAt: r.instant("fromAssignedAt")) : nil
            self = .arbitrated(r.routing(), replaced: replaced)
        case .accepted: self = .accepted(unit: unit)
        case .returned: self = .returned(reason: r["reason"].flatMap(ReturnReason.init), note: note, unit: unit)
        case .returnRejected: self = .returnRejected(note: note, unit: unit)
        case .triaged:
            let typed: Set = ["categoryCode", "districtCode", "streetCode", "previousCategory"]
            let triage = Triage(categoryCode: r["categoryCode"], districtCode: r["districtCode"], streetCode: r["streetCode"],
                                notes: payload.filter { !typed.contains($0.key) })
            self = .triaged(triage, previousCategory: r["previousCategory"])
        case .merged: self = .merged(into: r["into"] ?? "")
        case .contacted:
            let first = r["first"] == "true" ? Assignment(unit: nil, assignedAt: r.instant("assignedAt")) : nil
            self = .contacted(note: note ?? "", onTime: r.flag("onTime"), first: first, unit: unit)
        case .replied: self = .replied(text: text, resolved: r.flag("resolved") ?? false, onTime: r.flag("onTime"), unit: unit)
        case .evaluated:
            self = .evaluated(resolved: r.flag("resolved") ?? false, satisfaction: r["satisfaction"].flatMap(Evaluation.Satisfaction.init),
                              contacted: r.flag("contacted"), comment: r["comment"], unit: unit)
        case .reopened: self = .reopened(reason: r["reason"] ?? "", unit: unit)
        case .urged: self = .urged(note: note, unit: unit, reminderDue: r["stage"] == "reminder" ? r.instant("due") : nil)
        case .extended: self = .extended(until: r.instant("until"), reason: r["reason"] ?? "", previous: r.instant("from"))
        case .closed: self = .closed(note: note, resolved: r.flag("resolved"), unit: unit)
        case .commented: self = .commented(text: text, details: payload.filter { $0.key != "text" && $0.key != "unit" }, unit: unit)
        case .overdue:
            self = .overdue(deadline: r["deadline"].flatMap(DeadlineName.init), due: r.instant("due"), followUpQueued: r["followUp"] == "queued", unit: unit)
        case .escalated: self = .escalated(due: r.instant("due"), unit: unit)
        case .summonsOverdue: self = .summonsOverdue(summoned: r["summoned"] ?? "", due: r.instant("due"), unit: unit)
        case .extensionRequested: self = .extensionRequested(until: r.instant("until"), previous: r.instant("from"), reason: r["reason"] ?? "", unit: unit)
        case .extensionApproved:
            self = .extensionApproved(until: r.instant("until"), previous: r.instant("from"), reason: r["reason"] ?? "", note: note, unit: unit)
        case .extensionRefused: self = .extensionRefused(until: r.instant("until"), reason: r["reason"] ?? "", note: note, unit: unit)
        case .summoned: self = .summoned(units: r.list("units"), arriveBy: r.instant("arriveBy"), note: note, unit: unit)
        case .summonsAcknowledged: self = .summonsAcknowledged(summoned: r["summoned"] ?? "", onTime: r.flag("onTime") ?? false, unit: unit)
        case .summonsReported:
            self = .summonsReported(summoned: r["summoned"] ?? "", text: text, acknowledgedNow: r["acknowledged"] == "true", onTime: r.flag("onTime"), unit: unit)
        case .summonsRated: self = .summonsRated(summoned: r["summoned"] ?? "", score: r["score"].flatMap { Int($0) }, note: note, unit: unit)
        case .followUpAttempted:
            self = .followUpAttempted(attempt: r["attempt"].flatMap { Int($0) } ?? 0, of: r["of"].flatMap { Int($0) } ?? 0, note: note, unit: unit)
        case .followUpEnded: self = .followUpEnded(outcome: r["outcome"].flatMap(FollowUpEnd.init), note: note, unit: unit)
        case .contactsErased: self = .contactsErased(basis: r["basis"].flatMap(ErasureBasis.init) ?? .request, fields: r.list("fields"), note: note)
        }
    }

    /// The event type this detail records.
    public var type: EventType {
        switch self {
        case .created: .created
        case .answered: .answered
        case .dispatched: .dispatched
        case .arbitrated: .arbitrated
        case .accepted: .accepted
        case .returned: .returned
        case .returnRejected: .returnRejected
        case .triaged: .triaged
        case .merged: .merged
        case .contacted: .contacted
        case .replied: .replied
        case .evaluated: .evaluated
        case .reopened: .reopened
        case .urged: .urged
        case .extended: .extended
        case .closed: .closed
        case .commented: .commented
        case .overdue: .overdue
        case .escalated: .escalated
        case .summonsOverdue: .summonsOverdue
        case .extensionRequested: .extensionRequested
        case .extensionApproved: .extensionApproved
        case .extensionRefused: .extensionRefused
        case .summoned: .summoned
        case .summonsAcknowledged: .summonsAcknowledged
        case .summonsReported: .summonsReported
        case .summonsRated: .summonsRated
        case .followUpAttempted: .followUpAttempted
        case .followUpEnded: .followUpEnded
        case .contactsErased: .contactsErased
        }
    }
}

/// Reads a stored payload.
struct PayloadReader {
    let values: [String: String]

    subscript(key: String) -> String? { values[key] }

    func flag(_ key: String) -> Bool? { values[key].flatMap(Bool.init) }
    /// A comma-separated list (empty when absent).
    func list(_ key: String) -> [String] { (values[key] ?? "").split(separator: ",").map(String.init) }
    /// An instant as the state machine writes it (ISO 8601, with or without milliseconds).
    func instant(_ key: String) -> Date? {
        values[key].flatMap { text in
            (try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true))) ?? (try? Date(text, strategy: .iso8601))
        }
    }
    func routing() -> EventDetail.Routing {
        EventDetail.Routing(leadUnit: values["leadUnit"] ?? "", coUnits: list("coUnits"), note: values["note"])
    }
}

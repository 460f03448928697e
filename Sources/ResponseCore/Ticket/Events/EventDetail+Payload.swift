import Foundation

/// The stored form of an ``EventDetail``: a flat object of strings, with the keys the log has
/// always used (instants ISO 8601 with milliseconds, lists comma-separated, flags `true`/`false`).
extension EventDetail {
    /// The flat object the log stores and the API serves.
    public var payload: [String: String] {
        var p = PayloadWriter()
        switch self {
        case .created(let kind, let channel, let category):
            p["kind"] = kind?.rawValue; p["channel"] = channel?.rawValue; p["categoryCode"] = category
        case .answered(let text, let article): p["text"] = text; p["article"] = article
        case .dispatched(let routing, let upheld):
            p.write(routing)
            if let upheld { p["upheld"] = "true"; p["returnedBy"] = upheld.unit; p.instant("returnedAssignedAt", upheld.assignedAt) }
        case .arbitrated(let routing, let replaced):
            p.write(routing)
            p["from"] = replaced?.unit; p.instant("fromAssignedAt", replaced?.assignedAt)
        case .accepted(let unit): p["unit"] = unit
        case .returned(let reason, let note, let unit): p["reason"] = reason?.rawValue; p["note"] = note; p["unit"] = unit
        case .returnRejected(let note, let unit): p["note"] = note; p["unit"] = unit
        case .triaged(let triage, let previous):
            for (key, value) in triage.notes { p[key] = value }
            p["categoryCode"] = triage.categoryCode; p["districtCode"] = triage.districtCode; p["streetCode"] = triage.streetCode
            p["previousCategory"] = previous
        case .merged(let into): p["into"] = into
        case .contacted(let note, let onTime, let first, let unit):
            p["note"] = note; p.flag("onTime", onTime); p["unit"] = unit
            if let first { p["first"] = "true"; p.instant("assignedAt", first.assignedAt) }
        case .replied(let text, let resolved, let onTime, let unit):
            p["text"] = text; p.flag("resolved", resolved); p.flag("onTime", onTime); p["unit"] = unit
        case .evaluated(let resolved, let satisfaction, let contacted, let comment, let unit):
            p.flag("resolved", resolved); p["satisfaction"] = satisfaction?.rawValue; p.flag("contacted", contacted); p["comment"] = comment
            p["unit"] = unit
        case .reopened(let reason, let unit): p["reason"] = reason; p["unit"] = unit
        case .urged(let note, let unit, let reminderDue):
            p["note"] = note; p["unit"] = unit
            if let reminderDue { p["stage"] = "reminder"; p["deadline"] = DeadlineName.resolution.rawValue; p.instant("due", reminderDue) }
        case .extended(let until, let reason, let previous):
            // Written without milliseconds since the first release; read either way.
            p["until"] = until?.formatted(.iso8601); p["reason"] = reason; p["from"] = previous?.formatted(.iso8601)
        case .closed(let note, let resolved, let unit): p["note"] = note; p.flag("resolved", resolved); p["unit"] = unit
        case .commented(let text, let details, let unit):
            for (key, value) in details { p[key] = value }
            p["text"] = text; p["unit"] = unit
        case .overdue(let deadline, let due, let queued, let unit):
            p["deadline"] = deadline?.rawValue; p.instant("due", due); p["unit"] = unit
            if queued { p["followUp"] = "queued" }
        case .escalated(let due, let unit): p["deadline"] = DeadlineName.resolution.rawValue; p.instant("due", due); p["unit"] = unit
        case .summonsOverdue(let summoned, let due, let unit): p["summoned"] = summoned; p.instant("due", due); p["unit"] = unit
        case .extensionRequested(let until, let previous, let reason, let unit):
            p.instant("until", until); p.instant("from", previous); p["reason"] = reason; p["unit"] = unit
        case .extensionApproved(let until, let previous, let reason, let note, let unit):
            p.instant("until", until); p.instant("from", previous); p["reason"] = reason; p["note"] = note; p["unit"] = unit
        case .extensionRefused(let until, let reason, let note, let unit):
            p.instant("until", until); p["reason"] = reason; p["note"] = note; p["unit"] = unit
        case .summoned(let units, let arriveBy, let note, let unit):
            p["units"] = units.joined(separator: ","); p.instant("arriveBy", arriveBy); p["note"] = note; p["unit"] = unit
        case .summonsAcknowledged(let summoned, let onTime, let unit): p["summoned"] = summoned; p.flag("onTime", onTime); p["unit"] = unit
        case .summonsReported(let summoned, let text, let acknowledgedNow, let onTime, let unit):
            p["summoned"] = summoned; p["text"] = text; p["unit"] = unit; p.flag("onTime", onTime)
            if acknowledgedNow { p["acknowledged"] = "true" }
        case .summonsRated(let summoned, let score, let note, let unit):
            p["summoned"] = summoned; p["score"] = score.map(String.init); p["note"] = note; p["unit"] = unit
        case .followUpAttempted(let attempt, let of, let note, let unit):
            p["attempt"] = String(attempt); p["of"] = String(of); p["note"] = note; p["unit"] = unit
        case .followUpEnded(let outcome, let note, let unit): p["outcome"] = outcome?.rawValue; p["note"] = note; p["unit"] = unit
        case .contactsErased(let basis, let fields, let note): p["basis"] = basis.rawValue; p["fields"] = fields.joined(separator: ","); p["note"] = note
        }
        return p.values
    }
}

/// Builds a payload: `nil` values are left out.
struct PayloadWriter {
    var values: [String: String] = [:]

    subscript(key: String) -> String? {
        get { values[key] }
        set { if let newValue { values[key] = newValue } }
    }

    mutating func flag(_ key: String, _ value: Bool?) { self[key] = value.map(String.init) }
    mutating func instant(_ key: String, _ value: Date?) { self[key] = value.map(TicketStateMachine.stamp) }

    mutating func write(_ routing: EventDetail.Routing) {
        self["leadUnit"] = routing.leadUnit
        if !routing.coUnits.isEmpty { self["coUnits"] = routing.coUnits.joined(separator: ",") }
        self["note"] = routing.note
    }
}

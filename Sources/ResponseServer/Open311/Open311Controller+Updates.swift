import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ResponseCore
import ResponseStore

/// The FixMyStreet update feed (`GET servicerequestupdates`): public events in public words.
extension Open311Controller {
    /// The event types the feed publishes: what units and the hotline did, not internal triage.
    static let publishedEvents: [EventType] = EventType.allCases.filter { type in
        // Some events are public only when they close the ticket (an unanswered follow-up).
        [TicketStatus.received, .closed].contains { to in
            Open311Status.extended(TicketEvent(sequence: 0, ticketID: "", tenantID: "", type: type, at: .distantPast, actor: .system, fromStatus: nil, toStatus: to)) != nil
        }
    }

    @Sendable func updates(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        let (from, to) = try window(call)
        let events = try await store.events(tenantID: call.tenant.id, types: Self.publishedEvents, from: from, to: to, limit: 1_000)
        let units = try await unitNames(call)
        // The tickets the updates speak of, once each: their texts pass the disclosure policy
        // (the complainant's name redacted; nothing of a sensitive request's reply).
        var query = TicketQuery()
        query.numbers = Array(Set(events.map(\.number)))
        query.limit = 1_000
        let tickets = query.numbers.isEmpty ? [:] : Dictionary(
            try await store.listTickets(query, tenantID: call.tenant.id).tickets.map { ($0.number, $0) }, uniquingKeysWith: { a, _ in a })
        let disclosure = configuration.disclosure
        let items: [Open311Value] = events.compactMap { numbered in
            let e = numbered.event
            guard let status = Open311Status.extended(e), let ticket = tickets[numbered.number] else { return nil }
            return .object([
                ("update_id", .string(Self.updateID(numbered.number, e.sequence))),
                ("service_request_id", .string(numbered.number)),
                ("status", .string(status)),
                ("updated_datetime", call.date(e.at)),
                ("description", .string(Self.updateText(e, of: ticket, disclosure: disclosure, units: units))),
                ("media_url", .string(disclosure.isSensitive(ticket) ? nil : e.payload["mediaURL"])),
            ])
        }
        return (.ok, Open311Document(root: "service_request_updates", item: "request_update", items: items))
    }

    /// The public sentence of an update. Internal notes (contact logs, return notes) stay out:
    /// they may name the complainant. Answers and replies pass the disclosure policy.
    static func updateText(_ e: TicketEvent, of ticket: Ticket, disclosure: Disclosure, units: [String: String]) -> String {
        func name(_ code: String?) -> String { (code ?? e.actor.unitCode).map { units[$0] ?? $0 } ?? "The unit" }
        switch e.detail {
        case .answered(let text, _): return disclosure.publicText(text, of: ticket) ?? "Answered by the hotline."
        case .dispatched(let routing, _): return "Sent to \(name(routing.leadUnit))."
        case .arbitrated(let routing, _): return "Assigned to \(name(routing.leadUnit)) by a supervisor's ruling."
        case .returnRejected(_, let unit): return "\(name(unit)) remains responsible."
        case .accepted(let unit): return "\(name(unit)) accepted the request."
        case .returned(_, _, let unit): return "\(name(unit)) returned the request to the hotline for re-routing."
        case .contacted(_, _, _, let unit): return "\(name(unit)) contacted the resident."
        case .extended(let until, _, _): return "The reply is now due by \(until?.formatted(.iso8601) ?? "a later date")."
        case .replied(let text, _, _, let unit): return disclosure.publicText(text, of: ticket) ?? "\(name(unit)) replied."
        case .evaluated(let resolved, _, _, _, _):
            return resolved ? "The resident confirmed the problem is solved." : "The resident says the problem is not solved."
        case .reopened(_, let unit): return "Reopened and sent back to \(name(unit))."
        case .closed: return "Closed."
        case .merged(let into): return "Duplicate of \(into)."
        case .extensionApproved(let until, _, _, _, _): return "The reply is now due by \(until.map(TicketStateMachine.stamp) ?? "a later date")."
        case .followUpEnded: return "Closed: the resident could not be reached for a rating."
        case .created, .triaged, .urged, .commented, .overdue, .escalated, .extensionRequested, .extensionRefused, .summoned, .summonsAcknowledged,
             .summonsReported, .summonsRated, .summonsOverdue, .followUpAttempted, .contactsErased:
            return ""
        }
    }
}

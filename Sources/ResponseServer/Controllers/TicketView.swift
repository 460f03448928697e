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

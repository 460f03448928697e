import Foundation

/// The access rule for one caller and a ticket: whether they may read it, which actions they may
/// take on it and whether they may see its complainant's contacts. Pure; the API's views and
/// actions, Open311's updates, the console's action lists and the disclosure policy's audience
/// (``Audience/staff(contacts:)``) ask it. What a role may do at all is ``Role/allows(_:)``.
public struct TicketAccess: Sendable, Equatable {
    public var actor: Actor

    public init(_ actor: Actor) {
        self.actor = actor
    }

    /// Whether the caller may read `ticket`: a handler reads its unit's tickets as lead unit,
    /// co-unit or summoned unit; every other role reads the city's tickets.
    public func mayRead(_ ticket: Ticket) -> Bool {
        guard actor.role == .handler else { return true }
        guard let unit = actor.unitCode else { return false }
        return ticket.leadUnit == unit || ticket.coUnits.contains(unit) || ticket.oversight.summons.contains { $0.unit == unit }
    }

    /// The permissions an integration holds only on the tickets it filed: it speaks for the
    /// residents who filed through it, not for a caller on the phone or another app's users.
    public static let filerOnly: Set<Permission> = [.evaluate, .reopen, .comment]

    /// Who filed a ticket: the actor of its `created` event, read from its timeline.
    public static func filer(in timeline: [TicketEvent]) -> String? {
        timeline.first { $0.type == .created }?.actor.name
    }

    /// Contact details go to the roles that call complainants back (``Permission/seeContactDetails``);
    /// a handler sees them only for its own unit's tickets, and never for an anonymous complainant.
    public func maySeeContacts(_ ticket: Ticket) -> Bool {
        guard actor.role.allows(.seeContactDetails) else { return false }
        if actor.role == .handler {
            return !ticket.complainant.anonymous && ticket.leadUnit != nil && ticket.leadUnit == actor.unitCode
        }
        return true
    }

    /// Whether the caller may take an action of `kind` on `ticket`: the role must hold its
    /// permission; a handler acts as the lead unit or answers a summons of its own unit; an
    /// integration rates, reopens and comments only on what it filed; a complainant (through a
    /// follow-up link) rates only a ticket waiting for its rating.
    /// - Parameter filedBy: The name of the actor who filed the ticket, when known; an
    ///   integration is refused the ``filerOnly`` permissions without it.
    public func may(_ kind: TicketAction.Kind, on ticket: Ticket, filedBy: String? = nil) -> Bool {
        guard actor.role.allows(kind.permission) else { return false }
        if actor.role == .integration, Self.filerOnly.contains(kind.permission) { return filedBy == actor.name }
        if actor.role == .complainant { return ticket.awaitsRating }
        guard actor.role == .handler else { return true }
        if kind == .acknowledgeSummons || kind == .reportSummons {
            return ticket.oversight.summons.contains { $0.unit == actor.unitCode && $0.rating == nil }
        }
        return ticket.leadUnit != nil && ticket.leadUnit == actor.unitCode
    }

    /// Why the access rule refuses an action.
    public enum Refusal: Error, Equatable {
        /// The caller may not even see the ticket (answered as if it did not exist).
        case notVisible
        case forbidden(String)
    }

    /// The access rule for `action` on `ticket` as it stands in the action's transaction.
    public func check(_ action: TicketAction, on ticket: Ticket, filedBy: String?) throws(Refusal) {
        guard mayRead(ticket) else { throw .notVisible }
        switch action {
        case .acknowledgeSummons(let unit), .reportSummons(let unit, _):
            if actor.role == .handler, unit != actor.unitCode { throw .forbidden("a handler answers summons for its own unit only") }
        default: break
        }
        guard may(action.kind, on: ticket, filedBy: filedBy) else {
            let name = action.name
            switch actor.role {
            case .integration: throw .forbidden("an integration may \(name) only the tickets it filed")
            case .complainant: throw .forbidden("this request is not waiting for a rating")
            default: throw .forbidden("only the lead unit may \(name) this ticket")
            }
        }
    }

    /// The audience this caller is for `ticket` in the disclosure policy.
    public func audience(for ticket: Ticket) -> Audience {
        .staff(contacts: maySeeContacts(ticket))
    }
}

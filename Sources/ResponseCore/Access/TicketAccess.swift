import Foundation

/// The access rule for one caller and a ticket: which actions they may take on it and whether
/// they may see its complainant's contacts. Pure; the API's views, the console's action lists
/// and the disclosure policy's audience (``Audience/staff(contacts:)``) ask it.
public struct TicketAccess: Sendable, Equatable {
    public var actor: Actor

    public init(_ actor: Actor) {
        self.actor = actor
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

    /// Whether the caller may take the action `name`, which needs `permission`, on `ticket`:
    /// the role must hold the permission, and a handler acts as the lead unit or answers a
    /// summons of its own unit.
    public func may(_ name: String, _ permission: Permission, on ticket: Ticket) -> Bool {
        guard actor.role.allows(permission) else { return false }
        guard actor.role == .handler else { return true }
        if ["acknowledge-summons", "report-summons"].contains(name) {
            return ticket.oversight.summons.contains { $0.unit == actor.unitCode && $0.rating == nil }
        }
        return ticket.leadUnit != nil && ticket.leadUnit == actor.unitCode
    }

    /// The audience this caller is for `ticket` in the disclosure policy.
    public func audience(for ticket: Ticket) -> Audience {
        .staff(contacts: maySeeContacts(ticket))
    }
}

import Foundation

/// One disclosure of a complainant's unmasked contact data: who saw whose, when, and through
/// which face. Append-only; supervisors read the log (`GET /api/v1/access-log`), so that a leak
/// (Art. 35 of the Regulation) can be traced to the people who saw the data.
public struct AccessRecord: Codable, Sendable, Equatable {
    public var id: String
    public var tenantID: String
    public var at: Date
    /// The user (or `key:NAME`), their role and unit.
    public var actor: String
    public var role: Role
    public var unit: String?
    /// The ticket whose contacts were shown; `*` for a whole export.
    public var ticket: String
    /// The face: `GET /api/v1/tickets/{number}`, `GET /api/v1/tickets`, `export`, …
    public var route: String

    public init(id: String = UUID().uuidString.lowercased(), tenantID: String, at: Date, actor: Actor, ticket: String, route: String) {
        self.id = id
        self.tenantID = tenantID
        self.at = at
        self.actor = actor.name
        self.role = actor.role
        self.unit = actor.unitCode
        self.ticket = ticket
        self.route = route
    }
}

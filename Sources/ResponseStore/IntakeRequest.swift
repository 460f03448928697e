import Foundation
import ResponseCore

/// One ticket waiting to be filed by the intake batcher of ``SQLTicketStore``.
struct IntakeRequest: Sendable {
    var request: NewTicket
    var tenant: Tenant
    var actor: Actor
    var now: Date
    var id: String
    /// Hands the outcome back to the caller of `createTicket`, after the commit.
    var deliver: @Sendable (Result<(Ticket, TicketEvent), any Error>) -> Void
}

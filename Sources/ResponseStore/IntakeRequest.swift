import Foundation
import ResponseCore

/// One ticket waiting to be filed by the intake batcher of ``SQLTicketStore``.
struct IntakeRequest: Sendable {
    var request: NewTicket
    var tenant: Tenant
    var actor: Actor
    var now: Date
    var id: String
    var followUps: [IntakeFollowUp]
    /// The client's `Idempotency-Key`, recorded with the ticket.
    var idempotency: IdempotencyClaim?
    /// Hands the outcome back to the caller of `createTicket`, after the commit.
    var deliver: @Sendable (Result<(Ticket, [TicketEvent]), any Error>) -> Void
}

/// An action applied to a new ticket inside its intake transaction.
public struct IntakeFollowUp: Sendable {
    public var action: TicketAction
    public var context: TicketStateMachine.Context

    public init(_ action: TicketAction, context: TicketStateMachine.Context) {
        self.action = action
        self.context = context
    }
}

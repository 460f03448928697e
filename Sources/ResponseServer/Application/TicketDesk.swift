import Foundation
import ResponseCore
import ResponseDispatch
import ResponseStore

/// The application layer of actions on tickets, between the faces (the API, Open311) and the
/// store. Every action goes through ``act(_:on:tenantID:by:version:rule:)``: the role's permission, the codes
/// the action names, the one access rule (``TicketAccess/check(_:on:filedBy:)``) on the ticket
/// as locked in the action's transaction, the state machine with the city's rules, and what the
/// dispatcher learns from it. Faces decode, call and render.
struct TicketDesk: Sendable {
    let store: any TicketStore
    let clock: any WallClock
    let cities: CityDirectory
    let dispatch: DispatchService

    /// Takes `action` on ticket `number` for `identity`.
    /// - Parameter version: The version the caller last saw; a mismatch is refused.
    /// - Returns: The ticket after the action and its event.
    @discardableResult
    func act(_ action: TicketAction, on number: String, by identity: Identity, version: Int?) async throws -> (Ticket, TicketEvent) {
        let (ticket, events) = try await act([action], on: number, tenantID: identity.tenantID, by: identity.actor, version: version)
        guard let event = events.last else { throw StoreError.conflict("no event recorded") }
        return (ticket, event)
    }

    /// Takes `actions` one after the other (a follow-up's plan) in one transaction.
    /// - Parameters:
    ///   - version: The version the caller last saw; a mismatch is refused.
    ///   - rule: A further rule of the face on the ticket as locked (the follow-up's "waiting for a rating").
    /// - Returns: The ticket after the last action and one event per action.
    @discardableResult
    func act(
        _ actions: [TicketAction], on number: String, tenantID: String, by actor: Actor, version: Int?,
        rule: (@Sendable (Ticket) throws -> Void)? = nil
    ) async throws -> (Ticket, [TicketEvent]) {
        for action in actions where !actor.role.allows(action.permission) {
            throw Problem.forbidden("the \(actor.role.rawValue) role may not \(action.name) tickets")
        }
        var errors: [FieldError] = []
        for action in actions { errors += try await referenceErrors(action, tenantID: tenantID) }
        if !errors.isEmpty { throw ValidationError(errors) }
        let context = try await cities.city(tenantID).context(now: clock.now(), actor: actor)
        let filedBy = try await filer(of: number, tenantID: tenantID, for: actor, actions: actions)
        let access = TicketAccess(actor)
        let (ticket, events) = try await store.apply(actions, number: number, tenantID: tenantID, expectedVersion: version, context: context) { ticket in
            try rule?(ticket)
            for action in actions {
                do {
                    try access.check(action, on: ticket, filedBy: filedBy)
                } catch let refusal as TicketAccess.Refusal {
                    switch refusal {
                    case .notVisible: throw StoreError.notFound("no ticket \(number)")
                    case .forbidden(let why): throw StoreError.forbidden(why)
                    }
                }
            }
        }
        // People's routing decisions teach the models (once durable): the next similar ticket goes right.
        for action in actions {
            switch action {
            case .triage(let triage) where triage.categoryCode != nil:
                try await dispatch.learn(from: ticket, category: triage.categoryCode, unit: nil)
            case .dispatch(let lead, _, _), .arbitrate(let lead, _, _):
                try await dispatch.learn(from: ticket, category: nil, unit: lead)
            default: break
            }
        }
        return (ticket, events)
    }

    /// The codes an action names that the city does not have: units to route to or summon
    /// (active ones), a triage's category and places, an answer's article.
    func referenceErrors(_ action: TicketAction, tenantID: String) async throws -> [FieldError] {
        var errors: [FieldError] = []
        func activeUnits(_ codes: [String], field: (Int) -> String) async throws {
            for (i, code) in codes.enumerated() where try await store.unit(code: code, tenantID: tenantID)?.active != true {
                errors.append(FieldError(field: field(i), message: "no active unit \(code)"))
            }
        }
        switch action {
        case .dispatch(let lead, let coUnits, _), .arbitrate(let lead, let coUnits, _):
            try await activeUnits([lead] + coUnits) { $0 == 0 ? "leadUnit" : "coUnits[\($0 - 1)]" }
        case .summon(let units, _):
            try await activeUnits(units) { "units[\($0)]" }
        case .triage(let triage):
            errors += try await store.missing(category: triage.categoryCode, district: triage.districtCode, street: triage.streetCode, tenantID: tenantID)
        case .answer(_, let id?):
            if try await store.article(id: id, tenantID: tenantID) == nil {
                errors.append(FieldError(field: "article", message: "no knowledge-base article \(id)"))
            }
        default: break
        }
        return errors
    }

    /// Who filed the ticket, when the access rule needs it (an integration's filer-only actions).
    func filer(of number: String, tenantID: String, for actor: Actor, actions: [TicketAction]) async throws -> String? {
        guard actor.role == .integration, actions.contains(where: { TicketAccess.filerOnly.contains($0.permission) }),
              let ticket = try await store.ticket(number: number, tenantID: tenantID) else { return nil }
        return TicketAccess.filer(in: try await store.events(ticketID: ticket.id, tenantID: tenantID))
    }
}

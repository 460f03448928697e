import Foundation
import ResponseCore
import ResponseDispatch
import ResponseStore

/// Files a ticket the one way every channel does (API, portal, Open311, console): checked,
/// classified, located and routed before it is stored, with the routing applied in the ticket's
/// own intake transaction, so a ticket routed at intake is never seen unrouted.
struct TicketIntake {
    let store: any TicketStore
    let configuration: ServerConfiguration
    let dispatch: DispatchService

    /// - Returns: The stored ticket after automatic triage, dispatch or merge, and its events.
    /// - Throws: ``ValidationError`` with every field that is wrong (``check(_:city:)``).
    func file(_ new: NewTicket, city: City, actor: Actor, now: Date) async throws -> (Ticket, [TicketEvent]) {
        let errors = try await check(new, city: city)
        guard errors.isEmpty else { throw ValidationError(errors) }
        let tenant = city.tenant
        let decision = configuration.dispatch.enabled ? try await dispatch.decide(new, tenantID: tenant.id, now: now) : nil
        var followUps: [IntakeFollowUp] = []
        if let decision {
            let system = city.context(now: now, actor: .system)
            followUps.append(IntakeFollowUp(.triage(decision.triage), context: system))
            var found: Ticket?
            if let parent = decision.mergeInto { found = try await store.ticket(number: parent, tenantID: tenant.id) }
            if let parent = decision.mergeInto, (try? TicketStateMachine.checkMergeTarget(found, number: parent)) != nil {
                followUps.append(IntakeFollowUp(.merge(into: parent), context: system))
            } else if decision.automatic, let lead = decision.leadUnit {
                let why = decision.triage.notes["basis"] ?? "policy"
                followUps.append(IntakeFollowUp(.dispatch(leadUnit: lead, coUnits: decision.coUnits, note: "automatic (\(why), confidence \(String(format: "%.2f", decision.confidence)))"), context: system))
            }
        }
        let (ticket, events) = try await store.createTicket(new, tenant: tenant, actor: actor, now: now, followUps: followUps)
        if let decision { try await dispatch.remember(ticket, fingerprint: decision.fingerprint) }
        return (ticket, events)
    }

    /// What is wrong with a new ticket: its own fields (``NewTicket/validationErrors()``), then
    /// whether the category and places it names exist in the city. The one check of every channel.
    func check(_ new: NewTicket, city: City) async throws -> [FieldError] {
        let errors = new.validationErrors()
        guard errors.isEmpty else { return errors }
        return try await store.missing(
            category: new.categoryCode, district: new.location?.districtCode, street: new.location?.streetCode, tenantID: city.id, placeField: "location."
        )
    }
}

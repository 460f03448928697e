import Foundation
import HTTPTypes
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
    let metrics: ServerMetrics

    /// A filing's outcome.
    struct Filing: Sendable {
        var ticket: Ticket
        var events: [TicketEvent]
        /// The client's key had filed this ticket before: nothing new was filed.
        var replayed = false
    }

    /// - Parameter idempotency: The client's `Idempotency-Key`: a key seen before with the same
    ///   body answers the ticket it filed (``Filing/replayed``), with another body a 422.
    /// - Returns: The stored ticket after automatic triage, dispatch or merge, and its events.
    /// - Throws: ``ValidationError`` with every field that is wrong (``check(_:city:)``).
    func file(_ new: NewTicket, city: City, actor: Actor, now: Date, idempotency: IdempotencyClaim? = nil) async throws -> Filing {
        if let claim = idempotency, let earlier = try await replay(claim, city: city) { return earlier }
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
        let ticket: Ticket, events: [TicketEvent]
        do {
            (ticket, events) = try await store.createTicket(new, tenant: tenant, actor: actor, now: now, followUps: followUps, idempotency: idempotency)
        } catch {
            // A retry that raced the first filing under its key: the first one's record is there now.
            if let claim = idempotency, let earlier = try await replay(claim, city: city) { return earlier }
            throw error
        }
        if let decision { try await dispatch.remember(ticket, fingerprint: decision.fingerprint) }
        metrics.filed(city: tenant.id, channel: new.channel, outcome: ticket.status)
        return Filing(ticket: ticket, events: events)
    }

    /// The filing a key made before, or `nil` when the key is new.
    func replay(_ claim: IdempotencyClaim, city: City) async throws -> Filing? {
        guard let record = try await store.idempotencyRecord(tenantID: city.id, scope: claim.scope, key: claim.key) else { return nil }
        guard record.bodyHash == claim.bodyHash else {
            throw Problem(.unprocessableContent, type: Problem.idempotencyKeyReused,
                          detail: "this Idempotency-Key was used for another request: send a new key with a new request")
        }
        guard let ticket = try await store.ticket(number: record.number, tenantID: city.id) else { return nil }
        return Filing(ticket: ticket, events: try await store.events(ticketID: ticket.id, tenantID: city.id), replayed: true)
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

import Foundation

/// The ticket lifecycle as a pure function: a ticket and an action in, the next ticket and the
/// event to append out, or a typed refusal. No I/O; the store persists both in one transaction.
public enum TicketStateMachine {
    /// Everything an action needs besides the ticket.
    public struct Context: Sendable {
        public var now: Date
        public var actor: Actor
        /// The ticket's city: its calendar, deadlines and accountability rules.
        public var city: City

        public init(now: Date, actor: Actor, city: City) {
            self.now = now
            self.actor = actor
            self.city = city
        }

        /// The city's deadlines, on its calendar.
        public var policy: DeadlinePolicy { city.deadlines }
        /// Reminders, escalation, arrival limits and follow-up rules of the city.
        public var accountability: AccountabilityPolicy { city.accountability }
    }

    /// The states each action may start from. The single source of truth for legality.
    public static func sources(of action: TicketAction) -> Set<TicketStatus> {
        switch action {
        case .answer: [.received]
        case .dispatch: [.received, .returned]
        case .accept: [.dispatched]
        case .giveBack: [.dispatched, .accepted]
        case .contact: [.accepted, .contacted, .reopened]
        case .reply: [.accepted, .contacted, .reopened]
        // A follow-up after an expired deadline rates a ticket the unit never replied to.
        case .evaluate: [.replied, .dispatched, .accepted, .contacted, .reopened]
        case .reopen: [.replied, .evaluated, .closed]
        case .triage: [.received, .dispatched, .returned, .arbitration]
        case .rejectReturn: [.returned]
        case .arbitrate: [.arbitration]
        case .merge: [.received, .dispatched, .accepted, .returned, .arbitration, .contacted, .reopened]
        case .urge: [.dispatched, .accepted, .returned, .arbitration, .contacted, .reopened]
        case .extend: [.dispatched, .accepted, .contacted, .reopened]
        case .close: [.replied, .evaluated]
        case .comment: Set(TicketStatus.allCases)
        case .sweep: Set(TicketStatus.allCases.filter(\.isOpenWork))
        case .requestExtension: [.dispatched, .accepted, .contacted, .reopened]
        case .decideExtension: [.dispatched, .accepted, .contacted, .reopened, .returned, .arbitration]
        case .summon: [.accepted, .contacted, .reopened]
        case .acknowledgeSummons, .reportSummons, .rateSummons: [.accepted, .contacted, .reopened, .replied]
        case .followUpAttempt, .endFollowUp: [.replied, .dispatched, .accepted, .contacted, .reopened, .returned, .arbitration]
        case .eraseContacts: Set(TicketStatus.allCases)
        }
    }

    /// Names of the actions legal in `status`, in a stable order, for errors and clients.
    public static func allowedActions(in status: TicketStatus) -> [String] {
        sampleActions.filter { sources(of: $0).contains(status) }.map(\.name)
    }

    /// Names of the actions legal on this ticket now: ``allowedActions(in:)`` without those its
    /// oversight state rules out (no follow-up pending, no extension request waiting). Internal
    /// steps (sweep, follow-up attempts) are not listed.
    public static func allowedActions(for ticket: Ticket) -> [String] {
        let o = ticket.oversight
        return allowedActions(in: ticket.status).filter { name in
            switch name {
            case "evaluate": ticket.status == .replied || o.followUp != nil
            case "decide-extension": o.extensionRequest != nil
            case "request-extension": o.extensionRequest == nil
            case "acknowledge-summons", "report-summons", "rate-summons": o.summons.contains { $0.rating == nil }
            case "follow-up-attempt", "end-follow-up": false
            case "erase-contacts": Erasure.hasContacts(ticket)
            default: true
            }
        }
    }

    /// One value of every action, used to enumerate the table.
    public static let sampleActions: [TicketAction] = [
        .answer(text: "a"), .dispatch(leadUnit: "u", coUnits: [], note: nil), .accept,
        .giveBack(reason: .wrongLocation, note: nil), .contact(note: "n"), .reply(text: "r", resolved: true),
        .evaluate(Evaluation(resolved: true, satisfaction: .satisfied)), .reopen(reason: "r"), .triage(Triage()),
        .rejectReturn(note: nil), .arbitrate(leadUnit: "u", coUnits: [], note: nil), .merge(into: "x"),
        .urge(note: nil), .extend(until: Date(timeIntervalSince1970: 0), reason: "r"), .close(note: nil),
        .comment(text: "c", details: [:]), .requestExtension(until: Date(timeIntervalSince1970: 0), reason: "r"),
        .decideExtension(approve: true, note: nil), .summon(units: ["u"], note: nil), .acknowledgeSummons(unit: "u"),
        .reportSummons(unit: "u", text: "t"), .rateSummons(unit: "u", score: 5, note: nil), .followUpAttempt(note: nil), .endFollowUp(note: nil),
        .eraseContacts(basis: .request, note: nil),
    ]

    /// Applies `action` to `ticket`.
    /// - Parameters:
    ///   - action: What to do.
    ///   - ticket: The ticket as stored.
    ///   - context: Clock reading, actor and deadline policy.
    /// - Returns: The updated ticket (version + 1) and the event that records the change.
    /// - Throws: ``TransitionError`` when the action is illegal now or its arguments are invalid.
    public static func apply(
        _ action: TicketAction,
        to ticket: Ticket,
        context: Context
    ) throws(TransitionError) -> (Ticket, TicketEvent) {
        guard sources(of: action).contains(ticket.status) else {
            throw .illegalTransition(action: action.name, from: ticket.status, allowed: allowedActions(for: ticket))
        }
        let now = context.now
        var next = ticket
        var payload: [String: String] = [:]

        switch action {
        case .answer(let text):
            try require(text, "text")
            next.status = .answered
            next.reply = text
            next.closedAt = now
            next.oversight.followUp = nil
            payload["text"] = text

        case .dispatch(let lead, let coUnits, let note):
            try checkRoute(lead, coUnits)
            let fresh = context.policy.deadlines(kind: ticket.kind, urgency: ticket.urgency, category: ticket.categoryCode, start: now)
            if ticket.status == .returned {
                // Re-routing gives the new unit its own sign-off window, but the resolution clock
                // keeps running from the first dispatch: bouncing a ticket must not buy time.
                next.deadlines = Deadlines(
                    accept: fresh.accept,
                    firstContact: ticket.deadlines.firstContact.map { max($0, fresh.accept ?? now) } ?? fresh.firstContact,
                    resolution: ticket.deadlines.resolution ?? fresh.resolution,
                    returnWindow: fresh.returnWindow
                )
            } else {
                next.deadlines = fresh
            }
            if ticket.status == .returned, let previous = ticket.leadUnit {
                // Re-routing away from the unit that returned it: its return is upheld.
                payload["upheld"] = "true"
                payload["returnedBy"] = previous
                if let assigned = ticket.oversight.assignedAt { payload["returnedAssignedAt"] = stamp(assigned) }
            }
            next.oversight.assignedAt = now
            next.oversight.firstContactDone = false
            route(&next, &payload, lead: lead, coUnits: coUnits, note: note)

        case .accept:
            next.status = .accepted
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .giveBack(let reason, let note):
            if let window = ticket.deadlines.returnWindow, now > window {
                throw .returnWindowClosed(closedAt: window)
            }
            // A unit whose return was already rejected cannot bounce the ticket to the
            // dispatcher again: its second dispute goes to a supervisor.
            next.status = ticket.disputes > 0 ? .arbitration : .returned
            next.returnCount += 1
            payload["reason"] = reason.rawValue
            if let unit = ticket.leadUnit { payload["unit"] = unit }
            if let note { payload["note"] = note }

        case .contact(let note):
            try require(note, "note")
            next.status = .contacted
            payload["note"] = note
            if ticket.status == .accepted || ticket.status == .reopened, let due = ticket.deadlines.firstContact {
                payload["onTime"] = now <= due ? "true" : "false"
            }
            if !ticket.oversight.firstContactDone {
                // The first contact of this assignment: what the response rate counts.
                payload["first"] = "true"
                if let assigned = ticket.oversight.assignedAt { payload["assignedAt"] = stamp(assigned) }
                next.oversight.firstContactDone = true
            }
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .reply(let text, let resolved):
            try require(text, "text")
            next.status = .replied
            next.reply = text
            next.replyResolved = resolved
            payload["text"] = text
            payload["resolved"] = String(resolved)
            if let due = ticket.deadlines.resolution { payload["onTime"] = now <= due ? "true" : "false" }
            if let unit = ticket.leadUnit { payload["unit"] = unit }
            next.oversight.followUp = FollowUp(since: now, reason: .replied)

        case .evaluate(let evaluation):
            guard ticket.status == .replied || ticket.oversight.followUp != nil else {
                throw .illegalTransition(action: action.name, from: ticket.status, allowed: allowedActions(for: ticket))
            }
            next.status = .evaluated
            next.oversight.followUp = nil
            if let unit = ticket.leadUnit { payload["unit"] = unit }
            next.evaluation = evaluation
            payload["resolved"] = String(evaluation.resolved)
            payload["satisfaction"] = evaluation.satisfaction.rawValue
            if let contacted = evaluation.contacted { payload["contacted"] = String(contacted) }
            if let comment = evaluation.comment { payload["comment"] = comment }

        case .reopen(let reason):
            try require(reason, "reason")
            guard ticket.leadUnit != nil else {
                throw .invalid(FieldError(field: "reason", message: "the ticket has no unit to reopen to"))
            }
            let fresh = context.policy.deadlines(kind: ticket.kind, urgency: ticket.urgency, category: ticket.categoryCode, start: now)
            next.status = .reopened
            next.reopenCount += 1
            next.closedAt = nil
            next.deadlines.firstContact = fresh.firstContact
            next.deadlines.resolution = fresh.resolution
            next.oversight.followUp = nil
            next.oversight.extensionRequest = nil
            next.oversight.escalatedAt = nil
            payload["reason"] = reason
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .triage(let triage):
            if let code = triage.categoryCode {
                guard OrgUnit.isValidCode(code) else { throw .invalid(FieldError(field: "categoryCode", message: "not a category code")) }
                if let old = ticket.categoryCode, old != code { payload["previousCategory"] = old }
                next.categoryCode = code
                payload["categoryCode"] = code
            }
            if let district = triage.districtCode {
                next.location.districtCode = district
                payload["districtCode"] = district
            }
            if let street = triage.streetCode {
                next.location.streetCode = street
                payload["streetCode"] = street
            }
            payload.merge(triage.notes) { own, _ in own }
            if payload.isEmpty { throw .invalid(FieldError(field: "categoryCode", message: "a triage must set or record something")) }

        case .rejectReturn(let note):
            guard let unit = ticket.leadUnit else {
                throw .invalid(FieldError(field: "note", message: "the ticket has no unit to keep it"))
            }
            // The unit keeps the ticket with the clocks it had: bouncing buys no time. Whether
            // it had already accepted is not known here, so it must sign again.
            next.status = .dispatched
            next.disputes += 1
            payload["unit"] = unit
            if let note { payload["note"] = note }

        case .arbitrate(let lead, let coUnits, let note):
            try checkRoute(lead, coUnits)
            if lead != ticket.leadUnit {
                // A different unit gets its own sign-off window; the resolution clock runs on.
                let fresh = context.policy.deadlines(kind: ticket.kind, urgency: ticket.urgency, category: ticket.categoryCode, start: now)
                next.deadlines.accept = fresh.accept
                if let unit = ticket.leadUnit { payload["from"] = unit }
                if let assigned = ticket.oversight.assignedAt { payload["fromAssignedAt"] = stamp(assigned) }
                next.oversight.assignedAt = now
                next.oversight.firstContactDone = false
            }
            // The ruling is final: no return window for the unit that now leads.
            next.deadlines.returnWindow = now
            route(&next, &payload, lead: lead, coUnits: coUnits, note: note)

        case .merge(let parent):
            guard TicketNumber(parent) != nil else {
                throw .invalid(FieldError(field: "into", message: "must be a ticket number such as 20261125-000123"))
            }
            guard parent != ticket.number else {
                throw .invalid(FieldError(field: "into", message: "a ticket cannot be merged into itself"))
            }
            next.status = .merged
            next.mergedInto = parent
            next.closedAt = now
            next.oversight.followUp = nil
            payload["into"] = parent

        case .urge(let note):
            if let note { payload["note"] = note }
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .extend(let until, let reason):
            try require(reason, "reason")
            guard until > now else { throw .invalid(FieldError(field: "until", message: "must be in the future")) }
            if let current = ticket.deadlines.resolution, until <= current {
                throw .invalid(FieldError(field: "until", message: "must be later than the current deadline \(current.formatted(.iso8601))"))
            }
            if let current = ticket.deadlines.resolution { payload["from"] = current.formatted(.iso8601) }
            next.deadlines.resolution = until
            next.oversight.extensionRequest = nil
            next.oversight.escalatedAt = nil
            payload["until"] = until.formatted(.iso8601)
            payload["reason"] = reason

        case .close(let note):
            next.status = .closed
            next.closedAt = now
            next.oversight.followUp = nil
            if let unit = ticket.leadUnit { payload["unit"] = unit }
            if let note { payload["note"] = note }
            // Whether it closed solved, in the complainant's words when rated, else the unit's.
            if let resolved = ticket.evaluation?.resolved ?? ticket.replyResolved { payload["resolved"] = String(resolved) }

        case .comment(let text, let details):
            try require(text, "text")
            payload.merge(details) { _, given in given }
            payload["text"] = text
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .sweep(let step):
            try sweep(step, ticket, &next, &payload, context)

        case .requestExtension(let until, let reason):
            try require(reason, "reason")
            guard let due = ticket.deadlines.resolution else {
                throw .invalid(FieldError(field: "until", message: "the ticket has no resolution deadline to extend"))
            }
            guard now <= due else {
                throw .invalid(FieldError(field: "until", message: "the resolution deadline \(stamp(due)) has passed: extensions are asked for before expiry"))
            }
            guard until > due else { throw .invalid(FieldError(field: "until", message: "must be later than the current deadline \(stamp(due))")) }
            guard ticket.oversight.extensionRequest == nil else {
                throw .invalid(FieldError(field: "until", message: "an extension request is already waiting for a supervisor"))
            }
            next.oversight.extensionRequest = ExtensionRequest(until: until, reason: reason, requestedAt: now, unit: ticket.leadUnit)
            payload["until"] = stamp(until)
            payload["from"] = stamp(due)
            payload["reason"] = reason
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .decideExtension(let approve, let note):
            guard let request = ticket.oversight.extensionRequest else {
                throw .invalid(FieldError(field: "approve", message: "no extension request is waiting"))
            }
            if approve {
                guard request.until > now else { throw .invalid(FieldError(field: "approve", message: "the requested date \(stamp(request.until)) has already passed")) }
                if let current = ticket.deadlines.resolution { payload["from"] = stamp(current) }
                next.deadlines.resolution = request.until
                next.oversight.escalatedAt = nil
            }
            next.oversight.extensionRequest = nil
            payload["until"] = stamp(request.until)
            payload["reason"] = request.reason
            if let note { payload["note"] = note }
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .summon(let units, let note):
            guard !units.isEmpty else { throw .invalid(FieldError(field: "units", message: "name at least one unit to summon")) }
            for (i, unit) in units.enumerated() {
                let field = "units[\(i)]"
                guard OrgUnit.isValidCode(unit) else { throw .invalid(FieldError(field: field, message: "not a unit code")) }
                if unit == ticket.leadUnit { throw .invalid(FieldError(field: field, message: "the lead unit cannot summon itself")) }
                if units[..<i].contains(unit) { throw .invalid(FieldError(field: field, message: "named twice")) }
                if ticket.oversight.openSummons(of: unit) != nil { throw .invalid(FieldError(field: field, message: "\(unit) is already summoned")) }
            }
            let arriveBy = context.accountability.arrivalLimit.end(from: now, calendar: context.policy.calendar)
            for unit in units {
                next.oversight.summons.append(Summons(unit: unit, summonedAt: now, arriveBy: arriveBy, note: note))
            }
            payload["units"] = units.joined(separator: ",")
            payload["arriveBy"] = stamp(arriveBy)
            if let note { payload["note"] = note }
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .acknowledgeSummons(let unit):
            let i = try summonsIndex(unit, ticket)
            guard ticket.oversight.summons[i].acknowledgedAt == nil else {
                throw .invalid(FieldError(field: "unit", message: "\(unit) has already acknowledged"))
            }
            next.oversight.summons[i].acknowledgedAt = now
            payload["onTime"] = String(now <= ticket.oversight.summons[i].arriveBy)
            payload["summoned"] = unit
            if let lead = ticket.leadUnit { payload["unit"] = lead }

        case .reportSummons(let unit, let text):
            try require(text, "text")
            let i = try summonsIndex(unit, ticket)
            if ticket.oversight.summons[i].acknowledgedAt == nil {
                // Reporting what it did shows the unit came: it counts as the acknowledgement.
                next.oversight.summons[i].acknowledgedAt = now
                payload["acknowledged"] = "true"
                payload["onTime"] = String(now <= ticket.oversight.summons[i].arriveBy)
            }
            next.oversight.summons[i].report = text
            next.oversight.summons[i].reportedAt = now
            payload["text"] = text
            payload["summoned"] = unit
            if let lead = ticket.leadUnit { payload["unit"] = lead }

        case .rateSummons(let unit, let score, let note):
            let i = try summonsIndex(unit, ticket)
            guard ticket.oversight.summons[i].reportedAt != nil else {
                throw .invalid(FieldError(field: "unit", message: "\(unit) has not reported yet; rate it after its report"))
            }
            guard (1...5).contains(score) else { throw .invalid(FieldError(field: "score", message: "a whole number from 1 to 5")) }
            next.oversight.summons[i].rating = score
            payload["score"] = String(score)
            payload["summoned"] = unit
            if let note { payload["note"] = note }
            if let lead = ticket.leadUnit { payload["unit"] = lead }

        case .followUpAttempt(let note):
            guard var followUp = ticket.oversight.followUp else {
                throw .invalid(FieldError(field: "outcome", message: "the ticket is not waiting for a follow-up"))
            }
            followUp.attempts += 1
            followUp.lastAttemptAt = now
            next.oversight.followUp = followUp
            payload["attempt"] = String(followUp.attempts)
            payload["of"] = String(context.accountability.followUpAttempts)
            if let note { payload["note"] = note }
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .endFollowUp(let note):
            guard ticket.oversight.followUp != nil else {
                throw .invalid(FieldError(field: "outcome", message: "the ticket is not waiting for a follow-up"))
            }
            next.oversight.followUp = nil
            if ticket.status == .replied {
                // Replied and nobody to ask: closed, and left out of the rates, visibly.
                next.status = .closed
                next.closedAt = now
                payload["outcome"] = "not_evaluated"
            } else {
                // Expired without a reply: the unit still owes the work.
                payload["outcome"] = "abandoned"
            }
            if let note { payload["note"] = note }
            if let unit = ticket.leadUnit { payload["unit"] = unit }

        case .eraseContacts(let basis, let note):
            guard Erasure.hasContacts(ticket) else {
                throw .invalid(FieldError(field: "complainant", message: "the ticket holds no contact data to erase"))
            }
            next = Erasure.erase(ticket)
            payload["basis"] = basis.rawValue
            payload["fields"] = Erasure.fields(of: ticket).joined(separator: ",")
            if let note { payload["note"] = Redactor(names: [ticket.complainant.name])(note) }
        }

        next.oversight.nextCheck = DeadlineSweep.nextCheck(next, policy: context.accountability, calendar: context.policy.calendar)

        next.version = ticket.version + 1
        next.updatedAt = now
        let event = TicketEvent(
            sequence: next.version,
            ticketID: ticket.id,
            tenantID: ticket.tenantID,
            type: action.eventType,
            at: now,
            actor: context.actor,
            fromStatus: ticket.status,
            toStatus: next.status,
            payload: payload
        )
        return (next, event)
    }

    /// A lead unit is named and is not also a co-unit.
    private static func checkRoute(_ lead: String, _ coUnits: [String]) throws(TransitionError) {
        try require(lead, "leadUnit")
        if coUnits.contains(lead) { throw .invalid(FieldError(field: "coUnits", message: "must not repeat the lead unit")) }
    }

    /// Hands the ticket to `lead` (dispatch and arbitration alike) and records it in the event.
    private static func route(_ next: inout Ticket, _ payload: inout [String: String], lead: String, coUnits: [String], note: String?) {
        next.status = .dispatched
        next.leadUnit = lead
        next.coUnits = coUnits
        next.disputes = 0
        payload["leadUnit"] = lead
        if !coUnits.isEmpty { payload["coUnits"] = coUnits.joined(separator: ",") }
        if let note { payload["note"] = note }
    }

    /// Takes a sweeper step if it is still due; refuses otherwise, so a second sweeper that read
    /// the ticket before the first committed changes nothing.
    private static func sweep(
        _ step: SweepStep, _ ticket: Ticket, _ next: inout Ticket, _ payload: inout [String: String], _ context: Context
    ) throws(TransitionError) {
        guard DeadlineSweep.due(ticket, at: context.now, policy: context.accountability, calendar: context.policy.calendar).contains(step) else {
            throw .invalid(FieldError(field: "step", message: "\(step.key) is not due"))
        }
        next.oversight.marks[step.key] = step.due
        payload["due"] = stamp(step.due)
        if let unit = ticket.leadUnit { payload["unit"] = unit }
        switch step {
        case .remind:
            payload["stage"] = "reminder"
            payload["deadline"] = DeadlineName.resolution.rawValue
        case .breach(let name, let due):
            payload["deadline"] = name.rawValue
            if name == .resolution {
                next.oversight.marks[SweepStep.remind(due: due).key] = due
                if ticket.oversight.followUp == nil {
                    // Expired: the hotline asks the complainant whether anything happened.
                    next.oversight.followUp = FollowUp(since: context.now, reason: .expired)
                    payload["followUp"] = "queued"
                }
            }
        case .escalate(let due):
            next.oversight.marks[SweepStep.remind(due: due).key] = due
            next.oversight.escalatedAt = context.now
            payload["deadline"] = DeadlineName.resolution.rawValue
        case .summonsLate(let unit, _):
            if let i = ticket.oversight.summons.lastIndex(where: { $0.unit == unit && $0.acknowledgedAt == nil }) {
                next.oversight.summons[i].lateRecorded = true
            }
            payload["summoned"] = unit
        }
    }

    private static func summonsIndex(_ unit: String, _ ticket: Ticket) throws(TransitionError) -> Int {
        guard let i = ticket.oversight.openSummons(of: unit) else {
            throw .invalid(FieldError(field: "unit", message: "\(unit) has not been summoned to this ticket"))
        }
        return i
    }

    /// Instants in payloads: ISO 8601 with milliseconds, so a replay reads back the exact instant.
    static func stamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    private static func require(_ text: String, _ field: String) throws(TransitionError) {
        if text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .invalid(FieldError(field: field, message: "must not be empty"))
        }
    }
}

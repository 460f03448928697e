import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func createTicket(_ request: NewTicket, tenant: Tenant, actor: Actor, now: Date) async throws -> (Ticket, TicketEvent) {
        let (ticket, events) = try await createTicket(request, tenant: tenant, actor: actor, now: now, followUps: [], idempotency: nil)
        return (ticket, events[0])
    }

    public func createTicket(_ request: NewTicket, tenant: Tenant, actor: Actor, now: Date, followUps: [IntakeFollowUp],
                             idempotency: IdempotencyClaim?) async throws -> (Ticket, [TicketEvent]) {
        let id = TicketID.make(at: now)
        return try await withCheckedThrowingContinuation { continuation in
            let item = IntakeRequest(request: request, tenant: tenant, actor: actor, now: now, id: id, followUps: followUps,
                                     idempotency: idempotency) { continuation.resume(with: $0) }
            if !intake.submit(item) { continuation.resume(throwing: StoreError.conflict("the store is shutting down")) }
        }
    }

    /// Files a batch in one transaction; if that fails, files each alone so one bad request
    /// cannot sink the others.
    static func file(_ batch: [IntakeRequest], backend: any SQLBackend, contacts: ContactKeys) async {
        do {
            let results = try await backend.transaction { db in try await insertBatch(batch, contacts: contacts, on: db) }
            for (item, result) in zip(batch, results) { item.deliver(.success(result)) }
        } catch {
            if batch.count == 1 { return batch[0].deliver(.failure(error)) }
            for item in batch {
                do {
                    let result = try await backend.transaction { db in try await insertBatch([item], contacts: contacts, on: db) }
                    item.deliver(.success(result[0]))
                } catch {
                    item.deliver(.failure(error))
                }
            }
        }
    }

    static func insertBatch(_ batch: [IntakeRequest], contacts: ContactKeys, on db: any SQLDatabase) async throws -> [(Ticket, [TicketEvent])] {
        // Numbers: one counter update per city and day reserves a block for the whole batch.
        var days: [String] = []
        var counterKeys: [(tenant: String, day: String)] = []
        for item in batch {
            let day = TicketNumber.day(of: item.now, in: TimeZone(identifier: item.tenant.timeZone) ?? .gmt)
            days.append(day)
            if !counterKeys.contains(where: { $0.tenant == item.tenant.id && $0.day == day }) { counterKeys.append((item.tenant.id, day)) }
        }
        var nextNumber: [String: Int64] = [:]
        for key in counterKeys {
            let count = Int64(zip(batch, days).filter { $0.0.tenant.id == key.tenant && $0.1 == key.day }.count)
            // The daily counter row serialises number allocation per city and day; RETURNING
            // gives the new value in the same statement on both engines.
            guard let row = try await db.raw(
                """
                INSERT INTO counters (tenant_id, name, value) VALUES (\(bind: key.tenant), \(bind: "ticket:" + key.day), \(bind: count))
                ON CONFLICT (tenant_id, name) DO UPDATE SET value = counters.value + \(bind: count)
                RETURNING value
                """
            ).first() else { throw StoreError.conflict("could not allocate ticket numbers") }
            nextNumber[key.tenant + "|" + key.day] = try row.decode(column: "value", as: Int64.self) - count + 1
        }
        var results: [(Ticket, [TicketEvent])] = []
        results.reserveCapacity(batch.count)
        for (item, day) in zip(batch, days) {
            let key = item.tenant.id + "|" + day
            let sequence = nextNumber[key] ?? 1
            nextNumber[key] = sequence + 1
            let number = TicketNumber(day: day, sequence: Int(sequence)).description
            var (ticket, created) = item.request.makeTicket(id: item.id, number: number, tenantID: item.tenant.id, actor: item.actor, now: item.now)
            var events = [created]
            for followUp in item.followUps {
                // Pure and in memory: the follow-ups cost no extra round trip.
                let (next, event) = TicketStateMachine.applyOrNote(followUp.action, to: ticket, context: followUp.context)
                ticket = next
                events.append(event)
            }
            results.append((ticket, events))
        }
        // Multi-row inserts, in chunks that stay far below both engines' limit on parameters.
        try await insert(tickets: results.map(\.0), contacts: contacts, on: db)
        try await insert(events: results.flatMap(\.1), on: db)
        try await insert(claims: zip(batch, results).compactMap { item, result in item.idempotency.map { ($0, result.0) } }, on: db)
        let recorded = zip(batch, results).map { item, result in (ticket: result.0, events: result.1, days: DayKeys(identifier: item.tenant.timeZone)) }
        try await record(recorded, contacts: contacts, on: db)
        try await recordDemand(recorded.map { DemandChange(tenantID: $0.ticket.tenantID, facts: DemandFacts.of($0.ticket, days: $0.days, callers: contacts.callerHash), sign: 1, countsRepeats: true) }, on: db)
        return results
    }

    public func duplicates(of number: String, tenantID: String) async throws -> [String] {
        try await backend.reader.raw(
            "SELECT number FROM tickets WHERE tenant_id = \(bind: tenantID) AND merged_into = \(bind: number) ORDER BY created_at, id LIMIT 1000"
        ).all().map { try $0.decode(column: "number", as: String.self) }
    }

    public func recentTickets(tenantID: String, limit: Int) async throws -> [Ticket] {
        guard limit > 0 else { return [] }
        return try await backend.reader.raw(
            "SELECT \(unsafeRaw: TicketRow.columnList) FROM tickets WHERE tenant_id = \(bind: tenantID) ORDER BY created_at DESC, id DESC LIMIT \(bind: Int64(limit))"
        ).all().map { try TicketRow.decode($0, contacts: contacts) }.reversed()
    }

    public func ticket(number: String, tenantID: String) async throws -> Ticket? {
        try await Self.ticket(number: number, tenantID: tenantID, on: backend.reader, lock: "", contacts: contacts)
    }

    static func ticket(number: String, tenantID: String, on db: any SQLDatabase, lock: String, contacts: ContactKeys) async throws -> Ticket? {
        try await db.raw(
            "SELECT \(unsafeRaw: TicketRow.columnList) FROM tickets WHERE tenant_id = \(bind: tenantID) AND number = \(bind: number)\(unsafeRaw: lock)"
        ).first().map { try TicketRow.decode($0, contacts: contacts) }
    }

    public func events(ticketID: String, tenantID: String) async throws -> [TicketEvent] {
        try await backend.reader.raw(
            "SELECT \(unsafeRaw: EventRow.columnList) FROM events WHERE tenant_id = \(bind: tenantID) AND ticket_id = \(bind: ticketID) ORDER BY seq"
        ).all().map(EventRow.decode)
    }

    public func apply(
        _ actions: [TicketAction],
        number: String,
        tenantID: String,
        expectedVersion: Int?,
        context: TicketStateMachine.Context,
        authorize: @escaping @Sendable (Ticket) throws -> Void
    ) async throws -> (Ticket, [TicketEvent]) {
        let lock = backend.forUpdate
        return try await backend.transaction { db in
            guard let current = try await Self.ticket(number: number, tenantID: tenantID, on: db, lock: lock, contacts: self.contacts) else {
                throw StoreError.notFound("no ticket \(number)")
            }
            try authorize(current)
            if let expectedVersion, expectedVersion != current.version {
                throw TransitionError.staleVersion(expected: expectedVersion, actual: current.version)
            }
            var next = current
            var events: [TicketEvent] = []
            for action in actions {
                if case .merge(let parentNumber) = action {
                    let parent = try await Self.ticket(number: parentNumber, tenantID: tenantID, on: db, lock: "", contacts: self.contacts)
                    try TicketStateMachine.checkMergeTarget(parent, number: parentNumber)
                }
                let (after, event) = try TicketStateMachine.apply(action, to: next, context: context)
                next = after
                events.append(event)
            }
            guard !events.isEmpty else { return (current, []) }
            try await self.persist(from: current, to: next, events: events, context: context, on: db)
            return (next, events)
        }
    }

    /// Writes what a transition produced, in the caller's transaction: the row, its events, the
    /// counters and messages they owe, the demand figures they move, an answer's use of its
    /// article, and, for an erasure, the redaction of the ticket's history and messages.
    func persist(from current: Ticket, to next: Ticket, events: [TicketEvent], context: TicketStateMachine.Context, on db: any SQLDatabase) async throws {
        try await Self.update(next, previousVersion: current.version, contacts: contacts, on: db)
        try await Self.insert(events: events, on: db)
        let days = context.city.days
        try await Self.record([(next, events, days)], contacts: contacts, on: db)
        try await Self.recordDemand(Self.demandMove(from: current, to: next, days: days, callers: contacts.callerHash), on: db)
        for event in events {
            switch event.detail {
            case .contactsErased(let basis, _, _):
                try await eraseTraces(of: [(current, next)], basis: basis, on: db)
            case .answered(_, let article?):
                // The knowledge base counts its uses with the answer itself: a refused answer uses none.
                try await Self.countUse(ofArticle: article, tenantID: next.tenantID, on: db)
            default: break
            }
        }
    }

    /// Writes the row if nobody else has changed it since it was read (the version check makes
    /// this safe even without a row lock).
    static func update(_ ticket: Ticket, previousVersion: Int, contacts: ContactKeys, on db: any SQLDatabase) async throws {
        let values = try TicketRow.values(ticket, contacts: contacts)
        var assignments: [SQLQueryString] = []
        for (column, value) in zip(TicketRow.Column.allCases, values) where !TicketRow.fixedAtFiling.contains(column) {
            assignments.append("\(ident: column.rawValue) = \(bind: value)")
        }
        let updated = try await db.raw(
            "UPDATE tickets SET \(assignments.joined(separator: ", ")) WHERE id = \(bind: ticket.id) AND version = \(bind: Int64(previousVersion)) RETURNING id"
        ).all()
        guard updated.count == 1 else {
            throw TransitionError.staleVersion(expected: previousVersion, actual: previousVersion + 1)
        }
    }

    /// The column that is set while a ticket waits in `queue` (each has a partial index).
    static func column(of queue: TicketQuery.Queue) -> String {
        switch queue {
        case .followUp: "followup_since"
        case .extension: "extension_requested_at"
        case .escalated: "escalated_at"
        }
    }

    public func listTickets(_ query: TicketQuery, tenantID: String) async throws -> TicketPage {
        var conditions: [SQLQueryString] = ["tickets.tenant_id = \(bind: tenantID)"]
        if !query.numbers.isEmpty { conditions.append("tickets.number IN (\(binds: Array(query.numbers.prefix(1000))))") }
        if !query.statuses.isEmpty { conditions.append("tickets.status IN (\(binds: query.statuses.map(\.rawValue)))") }
        if !query.kinds.isEmpty { conditions.append("tickets.kind IN (\(binds: query.kinds.map(\.rawValue)))") }
        if !query.channels.isEmpty { conditions.append("tickets.channel IN (\(binds: query.channels.map(\.rawValue)))") }
        if !query.categories.isEmpty { conditions.append("tickets.category_code IN (\(binds: query.categories))") }
        if let unit = query.unit { conditions.append("tickets.lead_unit = \(bind: unit)") }
        if let district = query.district { conditions.append("tickets.district_code = \(bind: district)") }
        if let prefix = query.categoryPrefix {
            conditions.append("(tickets.category_code = \(bind: prefix) OR tickets.category_code LIKE \(bind: prefix + ".%"))")
        }
        if let from = query.createdFrom { conditions.append("tickets.created_at >= \(bind: from.millisecondsSince1970)") }
        if let to = query.createdTo { conditions.append("tickets.created_at < \(bind: to.millisecondsSince1970)") }
        if let now = query.overdueAt {
            let open = TicketStatus.allCases.filter(\.isOpenWork).map(\.rawValue)
            conditions.append("tickets.status IN (\(binds: open)) AND tickets.resolution_due < \(bind: now.millisecondsSince1970)")
        }
        if let queue = query.queue { conditions.append("tickets.\(ident: Self.column(of: queue)) IS NOT NULL") }
        if let text = query.text {
            for term in text.split(whereSeparator: \.isWhitespace).prefix(8) {
                conditions.append(backend.textMatch(String(term)))
            }
        }
        let keyColumn: String
        let descending: Bool
        switch query.sort {
        case .createdDesc: (keyColumn, descending) = ("tickets.created_at", true)
        case .createdAsc: (keyColumn, descending) = ("tickets.created_at", false)
        case .dueAsc: (keyColumn, descending) = ("COALESCE(tickets.resolution_due, 9223372036854775807)", false)
        }
        if let after = query.after {
            let op = descending ? "<" : ">"
            conditions.append("(\(unsafeRaw: keyColumn) \(unsafeRaw: op) \(bind: after.key) OR (\(unsafeRaw: keyColumn) = \(bind: after.key) AND tickets.id \(unsafeRaw: op) \(bind: after.id)))")
        }
        let direction = descending ? "DESC" : "ASC"
        let limit = max(1, min(query.limit, 1000))
        let offset = max(0, query.offset)
        let rows = try await backend.reader.raw(
            """
            SELECT \(unsafeRaw: TicketRow.columns.map { "tickets." + $0 }.joined(separator: ", ")) FROM tickets
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(unsafeRaw: keyColumn) \(unsafeRaw: direction), tickets.id \(unsafeRaw: direction)
            LIMIT \(literal: limit + 1) OFFSET \(literal: offset)
            """
        ).all()
        var tickets = try rows.map { try TicketRow.decode($0, contacts: contacts) }
        var next: TicketQuery.Cursor? = nil
        if tickets.count > limit {
            tickets.removeLast()
            if let last = tickets.last { next = TicketQuery.Cursor(key: query.key(of: last), id: last.id) }
        }
        return TicketPage(tickets: tickets, next: next)
    }

    public func events(tenantID: String, types: [EventType], from: Date, to: Date, limit: Int) async throws -> [NumberedEvent] {
        var conditions: [SQLQueryString] = [
            "events.tenant_id = \(bind: tenantID)", "events.at >= \(bind: from.millisecondsSince1970)", "events.at < \(bind: to.millisecondsSince1970)",
        ]
        if !types.isEmpty { conditions.append("events.type IN (\(binds: types.map(\.rawValue)))") }
        let columns = EventRow.columnList.split(separator: ",").map { "events." + $0.trimmingCharacters(in: .whitespaces) }.joined(separator: ", ")
        let rows = try await backend.reader.raw(
            """
            SELECT tickets.number AS number, \(unsafeRaw: columns) FROM events JOIN tickets ON tickets.id = events.ticket_id
            WHERE \(conditions.joined(separator: " AND ")) ORDER BY events.at, events.id LIMIT \(literal: max(1, min(limit, 10_000)))
            """
        ).all()
        return try rows.map { NumberedEvent(number: try $0.decode(column: "number", as: String.self), event: try EventRow.decode($0)) }
    }

    public func saveOpen311Token(_ token: String, number: String, tenantID: String, at: Date) async throws {
        try await backend.transaction { db in
            try await db.raw(
                "INSERT INTO open311_tokens (token, tenant_id, ticket_number, created_at) VALUES (\(bind: token), \(bind: tenantID), \(bind: number), \(bind: at.millisecondsSince1970))"
            ).run()
        }
    }

    public func open311Token(_ token: String, tenantID: String) async throws -> String? {
        try await backend.reader.raw(
            "SELECT ticket_number FROM open311_tokens WHERE token = \(bind: token) AND tenant_id = \(bind: tenantID)"
        ).first()?.decode(column: "ticket_number", as: String.self)
    }

    public func forEachTicket(tenantID: String, batchSize: Int, _ body: @Sendable ([Ticket]) async throws -> Void) async throws {
        var query = TicketQuery()
        query.sort = .createdAsc
        query.limit = min(batchSize, 500)
        while true {
            let page = try await listTickets(query, tenantID: tenantID)
            if !page.tickets.isEmpty { try await body(page.tickets) }
            guard let next = page.next else { break }
            query.after = next
        }
    }

    public func countTickets(tenantID: String) async throws -> Int {
        let row = try await backend.reader.raw("SELECT COUNT(*) AS n FROM tickets WHERE tenant_id = \(bind: tenantID)").first()
        return Int(try row?.decode(column: "n", as: Int64.self) ?? 0)
    }
}

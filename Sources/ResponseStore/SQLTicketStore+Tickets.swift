import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    public func createTicket(_ request: NewTicket, tenant: Tenant, actor: Actor, now: Date) async throws -> (Ticket, TicketEvent) {
        let day = TicketNumber.day(of: now, in: TimeZone(identifier: tenant.timeZone) ?? .gmt)
        let id = UUID().uuidString.lowercased()
        return try await backend.transaction { db in
            // The daily counter row serialises number allocation per city and day; RETURNING
            // gives the new value in the same statement on both engines.
            guard let row = try await db.raw(
                """
                INSERT INTO counters (tenant_id, name, value) VALUES (\(bind: tenant.id), \(bind: "ticket:" + day), 1)
                ON CONFLICT (tenant_id, name) DO UPDATE SET value = counters.value + 1
                RETURNING value
                """
            ).first() else { throw StoreError.conflict("could not allocate a ticket number") }
            let sequence = try row.decode(column: "value", as: Int64.self)
            let number = TicketNumber(day: day, sequence: Int(sequence)).description
            let (ticket, event) = request.makeTicket(id: id, number: number, tenantID: tenant.id, actor: actor, now: now)
            try await Self.insert(ticket, on: db)
            try await Self.insert(event, on: db)
            return (ticket, event)
        }
    }

    static func insert(_ ticket: Ticket, on db: any SQLDatabase) async throws {
        try await db.raw("INSERT INTO tickets (\(unsafeRaw: TicketRow.columnList)) VALUES \(SQLQueryString.bindList(TicketRow.values(ticket)))").run()
    }

    static func insert(_ event: TicketEvent, on db: any SQLDatabase) async throws {
        try await db.raw("INSERT INTO events (\(unsafeRaw: EventRow.columnList)) VALUES \(SQLQueryString.bindList(try EventRow.values(event)))").run()
    }

    public func ticket(number: String, tenantID: String) async throws -> Ticket? {
        try await Self.ticket(number: number, tenantID: tenantID, on: backend.reader, lock: "")
    }

    static func ticket(number: String, tenantID: String, on db: any SQLDatabase, lock: String) async throws -> Ticket? {
        try await db.raw(
            "SELECT \(unsafeRaw: TicketRow.columnList) FROM tickets WHERE tenant_id = \(bind: tenantID) AND number = \(bind: number)\(unsafeRaw: lock)"
        ).first().map(TicketRow.decode)
    }

    public func events(ticketID: String, tenantID: String) async throws -> [TicketEvent] {
        try await backend.reader.raw(
            "SELECT \(unsafeRaw: EventRow.columnList) FROM events WHERE tenant_id = \(bind: tenantID) AND ticket_id = \(bind: ticketID) ORDER BY seq"
        ).all().map(EventRow.decode)
    }

    public func apply(
        _ action: TicketAction,
        number: String,
        tenantID: String,
        expectedVersion: Int?,
        context: TicketStateMachine.Context,
        authorize: @escaping @Sendable (Ticket) throws -> Void
    ) async throws -> (Ticket, TicketEvent) {
        let lock = backend.forUpdate
        return try await backend.transaction { db in
            guard let current = try await Self.ticket(number: number, tenantID: tenantID, on: db, lock: lock) else {
                throw StoreError.notFound("no ticket \(number)")
            }
            try authorize(current)
            if let expectedVersion, expectedVersion != current.version {
                throw TransitionError.staleVersion(expected: expectedVersion, actual: current.version)
            }
            if case .merge(let parentNumber) = action {
                guard let parent = try await Self.ticket(number: parentNumber, tenantID: tenantID, on: db, lock: "") else {
                    throw TransitionError.invalid(FieldError(field: "into", message: "no ticket \(parentNumber)"))
                }
                if parent.status == .merged {
                    throw TransitionError.invalid(FieldError(field: "into", message: "\(parentNumber) is itself merged into \(parent.mergedInto ?? "another ticket")"))
                }
            }
            let (next, event) = try TicketStateMachine.apply(action, to: current, context: context)
            try await Self.update(next, previousVersion: current.version, on: db)
            try await Self.insert(event, on: db)
            return (next, event)
        }
    }

    /// Writes the row if nobody else has changed it since it was read (the version check makes
    /// this safe even without a row lock).
    static func update(_ ticket: Ticket, previousVersion: Int, on db: any SQLDatabase) async throws {
        let values = TicketRow.values(ticket)
        var assignments: [SQLQueryString] = []
        for (column, value) in zip(TicketRow.columns, values) where column != "id" && column != "tenant_id" && column != "number" {
            assignments.append("\(ident: column) = \(bind: value)")
        }
        let updated = try await db.raw(
            "UPDATE tickets SET \(assignments.joined(separator: ", ")) WHERE id = \(bind: ticket.id) AND version = \(bind: Int64(previousVersion)) RETURNING id"
        ).all()
        guard updated.count == 1 else {
            throw TransitionError.staleVersion(expected: previousVersion, actual: previousVersion + 1)
        }
    }

    public func listTickets(_ query: TicketQuery, tenantID: String) async throws -> TicketPage {
        var conditions: [SQLQueryString] = ["tickets.tenant_id = \(bind: tenantID)"]
        if !query.statuses.isEmpty { conditions.append("tickets.status IN (\(binds: query.statuses.map(\.rawValue)))") }
        if !query.kinds.isEmpty { conditions.append("tickets.kind IN (\(binds: query.kinds.map(\.rawValue)))") }
        if !query.channels.isEmpty { conditions.append("tickets.channel IN (\(binds: query.channels.map(\.rawValue)))") }
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
        let limit = max(1, min(query.limit, 500))
        let rows = try await backend.reader.raw(
            """
            SELECT \(unsafeRaw: TicketRow.columns.map { "tickets." + $0 }.joined(separator: ", ")) FROM tickets
            WHERE \(conditions.joined(separator: " AND "))
            ORDER BY \(unsafeRaw: keyColumn) \(unsafeRaw: direction), tickets.id \(unsafeRaw: direction)
            LIMIT \(literal: limit + 1)
            """
        ).all()
        var tickets = try rows.map(TicketRow.decode)
        var next: TicketQuery.Cursor? = nil
        if tickets.count > limit {
            tickets.removeLast()
            if let last = tickets.last { next = TicketQuery.Cursor(key: query.key(of: last), id: last.id) }
        }
        return TicketPage(tickets: tickets, next: next)
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

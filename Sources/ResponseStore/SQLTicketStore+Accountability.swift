import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    /// Writes what events owe besides themselves: the assessment counters they add to and the
    /// complainant's notifications, in the caller's transaction.
    /// - Parameter notify: `false` for imported history: past events owe nobody a message now.
    static func record(_ items: [(ticket: Ticket, events: [TicketEvent], days: DayKeys)], notify: Bool = true, contacts: ContactKeys, on db: any SQLDatabase) async throws {
        var facts: [String: [AssessmentFact]] = [:]
        var notifications: [NotificationRecord] = []
        for item in items {
            facts[item.ticket.tenantID, default: []] += item.events.flatMap { AssessmentFact.facts(of: $0, days: item.days) }
            if notify { notifications += item.events.compactMap { NotificationRecord.make(for: $0, ticket: item.ticket) } }
        }
        for (tenantID, list) in facts { try await addStats(AssessmentFact.combine(list), tenantID: tenantID, on: db) }
        let rows = try notifications.map { SQLQueryString.bindList(try NotificationRow.values($0, contacts: contacts)) }
        try await insert(rows, into: "notifications", columns: "\(unsafeRaw: NotificationRow.columnList)", on: db)
    }

    /// Adds counts to the per-day unit counters (facts must be combined: one per key).
    static func addStats(_ facts: [AssessmentFact], tenantID: String, on db: any SQLDatabase) async throws {
        let rows = facts.map { f in SQLQueryString.bindList([tenantID, f.day, f.unit, f.metric.rawValue, Int64(f.value)]) }
        try await insert(
            rows, into: "unit_stats", columns: "tenant_id, day, unit_code, metric, value", size: 200,
            suffix: " ON CONFLICT (tenant_id, day, unit_code, metric) DO UPDATE SET value = unit_stats.value + excluded.value", on: db
        )
    }

    public func sweep(now: Date, limit: Int, tenantID: String?, context: @escaping @Sendable (Ticket) -> TicketStateMachine.Context?) async throws -> SweepBatch {
        let city: SQLQueryString = tenantID.map { "AND tenant_id = \(bind: $0)" } ?? ""
        let claim = backend.skipLocked
        let limit = max(1, min(limit, 5_000))
        return try await backend.transaction { db in
            // Claimed rows stay locked until commit; another instance skips them and takes the next.
            let rows = try await db.raw(
                """
                SELECT \(unsafeRaw: TicketRow.columnList) FROM tickets
                WHERE next_check_at IS NOT NULL AND next_check_at <= \(bind: now.millisecondsSince1970) \(city)
                ORDER BY next_check_at LIMIT \(literal: limit)\(unsafeRaw: claim)
                """
            ).all()
            var batch = SweepBatch(claimed: rows.count)
            var recorded: [(ticket: Ticket, events: [TicketEvent], days: DayKeys)] = []
            var allEvents: [TicketEvent] = []
            var swept: [(ticket: Ticket, previousVersion: Int)] = []
            for row in rows {
                let ticket = try TicketRow.decode(row, contacts: self.contacts)
                // A ticket of a city the caller does not know is left for a caller that does.
                guard let ctx = context(ticket) else { continue }
                let (current, events): (Ticket, [TicketEvent])
                switch TicketStateMachine.sweep(ticket, context: ctx) {
                case .recheck(let check):
                    try await db.raw(
                        "UPDATE tickets SET next_check_at = \(bind: check?.millisecondsSince1970) WHERE id = \(bind: ticket.id)"
                    ).run()
                    continue
                case .stepped(let after, let recorded, let steps):
                    (current, events) = (after, recorded)
                    for step in steps { batch.steps[step.kindName, default: 0] += 1 }
                }
                swept.append((current, ticket.version))
                batch.tickets += 1
                allEvents += events
                recorded.append((current, events, ctx.city.days))
            }
            try await Self.updateSwept(swept, on: db)
            try await Self.insert(events: allEvents, on: db)
            try await Self.record(recorded, contacts: self.contacts, on: db)
            batch.events = allEvents.count
            return batch
        }
    }

    /// Writes what sweeper steps change (oversight, its indexed columns, version, update time)
    /// for many tickets in one statement per hundred: a round trip per ticket dominated a pass on
    /// PostgreSQL. Sweeper steps never change a ticket's state, deadlines or text.
    static func updateSwept(_ swept: [(ticket: Ticket, previousVersion: Int)], on db: any SQLDatabase) async throws {
        for chunk in chunks(swept, size: 100) {
            // Explicit casts give PostgreSQL the column types even when a value is NULL.
            let rows: [SQLQueryString] = chunk.map { item in
                let t = item.ticket, o = t.oversight
                return """
                (CAST(\(bind: t.id) AS TEXT), CAST(\(bind: Int64(item.previousVersion)) AS BIGINT), CAST(\(bind: TicketRow.oversightText(o)) AS TEXT), \
                CAST(\(bind: TicketRow.ms(o.nextCheck)) AS BIGINT), CAST(\(bind: TicketRow.ms(o.followUp?.since)) AS BIGINT), \
                CAST(\(bind: TicketRow.ms(o.escalatedAt)) AS BIGINT), CAST(\(bind: t.updatedAt.millisecondsSince1970) AS BIGINT), CAST(\(bind: Int64(t.version)) AS BIGINT))
                """
            }
            let updated = try await db.raw(
                """
                WITH swept (id, previous, oversight, next_check_at, followup_since, escalated_at, updated_at, version) AS (VALUES \(rows.joined(separator: ", ")))
                UPDATE tickets SET oversight = swept.oversight, next_check_at = swept.next_check_at, followup_since = swept.followup_since,
                  escalated_at = swept.escalated_at, updated_at = swept.updated_at, version = swept.version
                FROM swept WHERE tickets.id = swept.id AND tickets.version = swept.previous
                RETURNING tickets.id
                """
            ).all()
            // The rows are claimed (locked, or behind SQLite's single writer): a mismatch means
            // someone changed one anyway, and the whole batch is rolled back and retried.
            guard updated.count == chunk.count else { throw TransitionError.staleVersion(expected: chunk.count, actual: updated.count) }
        }
    }

    public func unitCounts(tenantID: String, period: AssessmentPeriod) async throws -> [String: UnitCounts] {
        let rows = try await backend.reader.raw(
            """
            SELECT unit_code, metric, CAST(SUM(value) AS BIGINT) AS total FROM unit_stats
            WHERE tenant_id = \(bind: tenantID) AND day >= \(bind: period.from) AND day < \(bind: period.to)
            GROUP BY unit_code, metric
            """
        ).all()
        var counts: [String: UnitCounts] = [:]
        for row in rows {
            guard let metric = AssessmentMetric(rawValue: try row.decode(column: "metric", as: String.self)) else { continue }
            counts[try row.decode(column: "unit_code", as: String.self), default: UnitCounts()][metric] += Int(try row.decode(column: "total", as: Int64.self))
        }
        return counts
    }

    public func forEachEvent(tenantID: String, from: Date, batchSize: Int, _ body: @Sendable ([TicketEvent]) async throws -> Void) async throws {
        // Keyset on (at, id), the order of the (tenant_id, at) index (SQLite keeps the rowid in
        // it; PostgreSQL sorts ties incrementally): each batch is one index range, never a sort
        // of the whole log.
        var lastAt = from.millisecondsSince1970
        var lastID: Int64 = -1
        let size = max(1, min(batchSize, 50_000))
        while true {
            let rows = try await backend.reader.raw(
                """
                SELECT id, \(unsafeRaw: EventRow.columnList) FROM events
                WHERE tenant_id = \(bind: tenantID) AND at >= \(bind: lastAt) AND NOT (at = \(bind: lastAt) AND id <= \(bind: lastID))
                ORDER BY at, id LIMIT \(literal: size)
                """
            ).all()
            if rows.isEmpty { return }
            let last = rows[rows.count - 1]
            lastAt = try last.decode(column: "at", as: Int64.self)
            lastID = try last.decode(column: "id", as: Int64.self)
            try await body(try rows.map(EventRow.decode))
            if rows.count < size { return }
        }
    }

    public func notifications(number: String, tenantID: String) async throws -> [NotificationRecord] {
        try await backend.reader.raw(
            """
            SELECT \(unsafeRaw: NotificationRow.columnList) FROM notifications
            WHERE tenant_id = \(bind: tenantID) AND ticket_number = \(bind: number) ORDER BY created_at, event_seq
            """
        ).all().map { try NotificationRow.decode($0, contacts: contacts) }
    }

    public func claimNotifications(now: Date, lease: TimeInterval, limit: Int, tenantID: String?) async throws -> [NotificationRecord] {
        let city: SQLQueryString = tenantID.map { "AND tenant_id = \(bind: $0)" } ?? ""
        let claim = backend.skipLocked
        let leaseEnd = now.addingTimeInterval(lease).millisecondsSince1970
        return try await backend.transaction { db in
            let rows = try await db.raw(
                """
                SELECT \(unsafeRaw: NotificationRow.columnList) FROM notifications
                WHERE status = 'pending' AND next_attempt_at <= \(bind: now.millisecondsSince1970) \(city)
                ORDER BY next_attempt_at LIMIT \(literal: max(1, min(limit, 1000)))\(unsafeRaw: claim)
                """
            ).all().map { try NotificationRow.decode($0, contacts: self.contacts) }
            guard !rows.isEmpty else { return [] }
            // The lease: if this instance dies mid-delivery, the message is tried again after it.
            try await db.raw(
                "UPDATE notifications SET next_attempt_at = \(bind: leaseEnd), attempts = attempts + 1 WHERE id IN (\(binds: rows.map(\.id)))"
            ).run()
            return rows.map { var r = $0; r.attempts += 1; r.nextAttemptAt = Date(millisecondsSince1970: leaseEnd); return r }
        }
    }

    public func finishNotification(id: String, outcome: NotificationOutcome, now: Date) async throws {
        try await backend.transaction { db in
            switch outcome {
            case .sent:
                try await db.raw(
                    "UPDATE notifications SET status = 'sent', sent_at = \(bind: now.millisecondsSince1970), error = NULL WHERE id = \(bind: id)"
                ).run()
            case .retry(let at, let error):
                try await db.raw(
                    "UPDATE notifications SET next_attempt_at = \(bind: at.millisecondsSince1970), error = \(bind: error) WHERE id = \(bind: id)"
                ).run()
            case .failed(let error):
                try await db.raw("UPDATE notifications SET status = 'failed', error = \(bind: error) WHERE id = \(bind: id)").run()
            }
        }
    }

    public func importHistory(_ items: [(Ticket, [TicketEvent])], timeZone: String) async throws {
        let days = DayKeys(identifier: timeZone)
        for chunk in Self.chunks(items, size: 500) {
            try await backend.transaction { db in
                try await Self.insert(tickets: chunk.map(\.0), contacts: self.contacts, on: db)
                try await Self.insert(events: chunk.flatMap(\.1), on: db)
                try await Self.record(chunk.map { ($0.0, $0.1, days) }, notify: false, contacts: self.contacts, on: db)
                try await Self.recordDemand(chunk.map { DemandChange(tenantID: $0.0.tenantID, facts: DemandFacts.of($0.0, days: days, callers: self.contacts.callerHash), sign: 1, countsRepeats: true) }, on: db)
                // History changes past periods: their stored briefs and views no longer hold.
                try await Self.dropAnswers(of: Set(chunk.map(\.0.tenantID)), on: db)
            }
        }
    }
}

extension SweepStep {
    /// The step's kind, for counts in logs and benchmarks.
    var kindName: String {
        switch self {
        case .remind: "reminders"
        case .breach(let d, _): "overdue_" + d.rawValue
        case .escalate: "escalations"
        case .summonsLate: "late_summons"
        }
    }
}

/// The mapping between ``NotificationRecord`` and a `notifications` row.
enum NotificationRow {
    static let columnList =
        "id, tenant_id, ticket_id, ticket_number, event_seq, kind, channel, recipient, text, asks_rating, status, attempts, created_at, next_attempt_at, sent_at, error, contact_key"

    /// The row of `n`, its recipient (a phone or an e-mail address) sealed with `contacts`.
    static func values(_ n: NotificationRecord, contacts: ContactKeys) throws -> [any Encodable & Sendable] {
        [
            n.id, n.tenantID, n.ticketID, n.number, Int64(n.eventSequence), n.kind.rawValue, n.channel.rawValue, try contacts.seal(n.recipient), n.text,
            TicketRow.int(n.asksForRating), n.status.rawValue, Int64(n.attempts), n.createdAt.millisecondsSince1970,
            n.nextAttemptAt.millisecondsSince1970, TicketRow.ms(n.sentAt), n.error, contacts.rowKey(n.recipient),
        ]
    }

    static func decode(_ row: any SQLRow, contacts: ContactKeys) throws -> NotificationRecord {
        func s(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func i(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64.self) }
        guard let kind = ComplainantNotice.Kind(rawValue: try s("kind")), let channel = NotificationRecord.Channel(rawValue: try s("channel")),
              let status = NotificationRecord.Status(rawValue: try s("status")) else {
            throw StoreError.conflict("unreadable notification row \(try s("id"))")
        }
        return NotificationRecord(
            id: try s("id"), tenantID: try s("tenant_id"), ticketID: try s("ticket_id"), number: try s("ticket_number"),
            eventSequence: Int(try i("event_seq")), kind: kind, channel: channel, recipient: try contacts.open(try row.decode(column: "recipient", as: String?.self)),
            text: try s("text"), asksForRating: try i("asks_rating") != 0, status: status, attempts: Int(try i("attempts")),
            createdAt: Date(millisecondsSince1970: try i("created_at")), nextAttemptAt: Date(millisecondsSince1970: try i("next_attempt_at")),
            sentAt: try row.decode(column: "sent_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            error: try row.decode(column: "error", as: String?.self)
        )
    }
}

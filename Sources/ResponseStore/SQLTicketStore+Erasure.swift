import Foundation
import ResponseCore
import SQLKit

extension SQLTicketStore {
    /// Removes, in the caller's transaction, what the tickets' histories and messages hold of
    /// their complainants, after the state machine erased the tickets themselves (``Erasure``,
    /// `erased` pairs the ticket before and after): the free texts of every event are redacted
    /// with her name (the database allows this change, and no other, only on a ticket whose
    /// erasure is recorded: migration 17); every message loses its recipient, its text is
    /// redacted and one not yet sent never will be. On her request, the repeat counts kept under
    /// her phone's keyed hash go too. Units, statuses, times and ratings are never touched: the
    /// rates and a replay come out the same. A few statements per 100 tickets, not per ticket.
    func eraseTraces(of erased: [(before: Ticket, after: Ticket)], basis: ErasureBasis, on db: any SQLDatabase) async throws {
        for chunk in Self.chunks(erased, size: 100) {
            let redactors = Dictionary(chunk.map { ($0.before.id, Redactor(names: [$0.before.complainant.name])) }) { a, _ in a }
            // Title and description are fixed at filing, and so left out of an ordinary update.
            let ids = chunk.map(\.before.id)
            try await db.raw(
                """
                UPDATE tickets SET title = \(Self.cases("id", chunk.map { ($0.before.id, $0.after.title) })),
                  description = \(Self.cases("id", chunk.map { ($0.before.id, $0.after.description) }))
                WHERE id IN (\(binds: ids))
                """
            ).run()
            var payloads: [(Int64, String)] = []
            for row in try await db.raw("SELECT id, ticket_id, payload FROM events WHERE ticket_id IN (\(binds: ids))").all() {
                guard let redact = redactors[try row.decode(column: "ticket_id", as: String.self)] else { continue }
                let text = try row.decode(column: "payload", as: String.self)
                guard let payload = try? JSONDecoder().decode([String: String].self, from: Data(text.utf8)) else { continue }
                let redacted = redact.texts(ofPayload: payload)
                guard redacted != payload else { continue }
                payloads.append((try row.decode(column: "id", as: Int64.self), String(decoding: try JSONEncoder.sorted.encode(redacted), as: UTF8.self)))
            }
            for part in Self.chunks(payloads, size: 200) {
                try await db.raw("UPDATE events SET payload = \(Self.cases("id", part)) WHERE id IN (\(binds: part.map(\.0)))").run()
            }
            let byNumber = Dictionary(chunk.map { ($0.before.number, $0.before.id) }) { a, _ in a }
            var texts: [(String, String)] = []
            let messages = try await db.raw(
                "SELECT id, ticket_number, text FROM notifications WHERE tenant_id = \(bind: chunk[0].before.tenantID) AND ticket_number IN (\(binds: Array(byNumber.keys)))"
            ).all()
            for row in messages {
                guard let ticket = byNumber[try row.decode(column: "ticket_number", as: String.self)], let redact = redactors[ticket] else { continue }
                texts.append((try row.decode(column: "id", as: String.self), redact(try row.decode(column: "text", as: String.self))))
            }
            for part in Self.chunks(texts, size: 200) {
                try await db.raw(
                    """
                    UPDATE notifications SET recipient = NULL, contact_key = NULL, text = \(Self.cases("id", part)),
                      error = CASE WHEN status = 'pending' THEN 'contacts erased' ELSE error END,
                      status = CASE WHEN status = 'pending' THEN 'failed' ELSE status END
                    WHERE id IN (\(binds: part.map(\.0)))
                    """
                ).run()
            }
            let callers = chunk.compactMap { DemandFacts.callerKey(phone: $0.before.complainant.phone, hash: contacts.callerHash)?.key }
            if basis == .request, !callers.isEmpty {
                for table in ["demand_repeats", "demand_repeat_days"] {
                    try await db.raw(
                        "DELETE FROM \(ident: table) WHERE tenant_id = \(bind: chunk[0].before.tenantID) AND kind = 'caller' AND key IN (\(binds: callers))"
                    ).run()
                }
            }
        }
    }

    /// `CASE column WHEN key THEN value … END`: many rows' new values in one UPDATE.
    static func cases<Key: Encodable & Sendable>(_ column: String, _ values: [(Key, String)]) -> SQLQueryString {
        var out: SQLQueryString = "CASE \(ident: column)"
        for (key, value) in values { out = out + " WHEN \(bind: key) THEN \(bind: value)" }
        return out + " END"
    }

    /// Tickets of a city whose contact data the retention rule erases: finished before `before`
    /// and still holding contact data, oldest first, after the position `after` (the last one of
    /// the previous page). Read off the partial index that erased rows leave.
    public func retentionDue(tenantID: String, before: Date, after: RetentionPosition?, limit: Int) async throws -> [RetentionPosition] {
        let final = TicketStatus.allCases.filter(\.isFinal).map(\.rawValue)
        let from: SQLQueryString = after.map { " AND (closed_at > \(bind: $0.closedAt) OR (closed_at = \(bind: $0.closedAt) AND id > \(bind: $0.id)))" } ?? ""
        return try await backend.reader.raw(
            """
            SELECT id, number, closed_at FROM tickets \(backend.indexedBy("tickets_retention"))
            WHERE tenant_id = \(bind: tenantID) AND contact_key IS NOT NULL AND closed_at < \(bind: before.millisecondsSince1970)
              AND status IN (\(binds: final))\(from)
            ORDER BY closed_at, id LIMIT \(literal: max(1, min(limit, 5_000)))
            """
        ).all().map {
            RetentionPosition(closedAt: try $0.decode(column: "closed_at", as: Int64.self), id: try $0.decode(column: "id", as: String.self), number: try $0.decode(column: "number", as: String.self))
        }
    }

    /// Erases the contact data of the tickets `numbers` in one transaction, each by an event.
    /// With `finishedBefore`, a ticket is erased only if it is still finished before then (it may
    /// have been reopened since it was listed). A ticket with nothing left to erase is skipped.
    /// Batched: the rows are read, and their events and traces written, a few hundred at a time.
    /// An erasure moves no demand figure (place and category stay) and counts in no rate.
    /// - Returns: The tickets erased.
    public func eraseContacts(
        numbers: [String], tenantID: String, basis: ErasureBasis, note: String?, finishedBefore: Date?, context: TicketStateMachine.Context
    ) async throws -> Int {
        let lock = backend.forUpdate
        return try await backend.transaction { db in
            var erased: [(before: Ticket, after: Ticket)] = []
            var events: [TicketEvent] = []
            for chunk in Self.chunks(numbers, size: 500) {
                let rows = try await db.raw(
                    "SELECT \(unsafeRaw: TicketRow.columnList) FROM tickets WHERE tenant_id = \(bind: tenantID) AND number IN (\(binds: chunk))\(unsafeRaw: lock)"
                ).all()
                for row in rows {
                    let current = try TicketRow.decode(row, contacts: self.contacts)
                    if let finishedBefore {
                        guard current.status.isFinal, let closed = current.closedAt, closed < finishedBefore else { continue }
                    }
                    guard let (next, event) = try? TicketStateMachine.apply(.eraseContacts(basis: basis, note: note), to: current, context: context) else { continue }
                    erased.append((current, next))
                    events.append(event)
                }
            }
            for e in erased { try await Self.update(e.after, previousVersion: e.before.version, contacts: self.contacts, on: db) }
            try await Self.insert(events: events, on: db)
            // What the events owe besides themselves: nothing today (no rate, no message), but the rule is one.
            let days = context.city.days
            try await Self.record(zip(erased, events).map { ($0.after, [$1], days) }, contacts: self.contacts, on: db)
            try await self.eraseTraces(of: erased, basis: basis, on: db)
            return erased.count
        }
    }

    /// Finds one complainant's tickets by opening every sealed phone and e-mail of the city, 2,000
    /// rows at a time: the keyed hash serves repeat counts, not lookups, and erasure requests are rare.
    public func tickets(ofComplainantPhone phone: String?, email: String?, tenantID: String, progress: @escaping @Sendable (Int) -> Void) async throws -> [String] {
        let digits = DemandFacts.phoneDigits(phone)
        let mail = email?.trimmingCharacters(in: .whitespaces).lowercased()
        guard digits != nil || mail?.isEmpty == false else { return [] }
        var found: [String] = []
        var after = ""
        var read = 0
        while true {
            let rows = try await backend.reader.raw(
                """
                SELECT id, number, complainant_phone, complainant_email FROM tickets
                WHERE tenant_id = \(bind: tenantID) AND contact_key IS NOT NULL AND id > \(bind: after) ORDER BY id LIMIT 2000
                """
            ).all()
            guard let last = rows.last else { return found }
            for row in rows {
                let rowPhone = try contacts.open(try row.decode(column: "complainant_phone", as: String?.self)).flatMap(DemandFacts.phoneDigits)
                let rowMail = try contacts.open(try row.decode(column: "complainant_email", as: String?.self))?.lowercased()
                if (digits != nil && rowPhone == digits) || (mail != nil && rowMail == mail) {
                    found.append(try row.decode(column: "number", as: String.self))
                }
            }
            after = try last.decode(column: "id", as: String.self)
            read += rows.count
            progress(read)
        }
    }

    /// Deletes a city's repeat-caller counts of the days before `day` (`yyyy-MM-dd`): who rang how
    /// often is personal data too. The months before `day`'s month go; that month's counts are
    /// summed again from the days left of it. Repeat places stay.
    /// - Returns: The rows deleted.
    public func purgeRepeatCallers(tenantID: String, before day: String) async throws -> Int {
        let key = String(day.prefix(7))
        guard let month = DayRange.month(key) else { return 0 }
        return try await backend.transaction { db in
            let days = try await db.raw(
                "DELETE FROM demand_repeat_days WHERE tenant_id = \(bind: tenantID) AND kind = 'caller' AND day < \(bind: day) RETURNING key"
            ).all().count
            let months = try await db.raw(
                "DELETE FROM demand_repeats WHERE tenant_id = \(bind: tenantID) AND kind = 'caller' AND month <= \(bind: key) RETURNING key"
            ).all().count
            try await db.raw(
                """
                INSERT INTO demand_repeats (tenant_id, month, kind, key, label, tickets, last_number)
                SELECT tenant_id, \(bind: key), kind, key, MAX(label), SUM(tickets), MAX(last_number) FROM demand_repeat_days
                WHERE tenant_id = \(bind: tenantID) AND kind = 'caller' AND day >= \(bind: day) AND day < \(bind: month.to)
                GROUP BY tenant_id, kind, key
                """
            ).run()
            return days + months
        }
    }
}

import Foundation
import ResponseCore
import SQLKit

/// The mapping between ``Ticket`` and a `tickets` row: flat columns, times in milliseconds,
/// booleans as 0/1 so the same SQL serves both engines.
enum TicketRow {
    static let columns: [String] = [
        "id", "tenant_id", "number", "kind", "channel", "title", "description", "category_code", "urgency",
        "latitude", "longitude", "address", "district_code", "street_code",
        "complainant_name", "complainant_phone", "complainant_email", "complainant_anonymous",
        "lead_unit", "co_units", "status", "accept_due", "contact_due", "resolution_due", "return_due",
        "merged_into", "reply", "reply_resolved", "eval_contacted", "eval_resolved", "eval_satisfaction", "eval_comment",
        "reopen_count", "return_count", "disputes", "created_at", "updated_at", "closed_at", "version",
        "media_url", "attributes",
        "oversight", "next_check_at", "followup_since", "extension_requested_at", "escalated_at",
        "contact_key",
    ]

    static let columnList = columns.joined(separator: ", ")

    /// Columns no action changes after filing. An update leaves them out: rewriting the title and
    /// description would make SQLite's full-text triggers re-index the text on every state change.
    static let fixedAtFiling: Set<String> = ["id", "tenant_id", "number", "kind", "channel", "title", "description", "created_at"]

    /// The row of `t`, its complainant's name, phone and e-mail sealed with `contacts` and the
    /// sealing key's id in `contact_key` (`NULL` when there is no contact data).
    static func values(_ t: Ticket, contacts: ContactKeys) throws -> [any Encodable & Sendable] {
        let c = t.complainant
        return [
            t.id, t.tenantID, t.number, t.kind.rawValue, t.channel.rawValue, t.title, t.description, t.categoryCode, t.urgency.rawValue,
            t.location.latitude, t.location.longitude, t.location.address, t.location.districtCode, t.location.streetCode,
            try contacts.seal(c.name), try contacts.seal(c.phone), try contacts.seal(c.email), int(c.anonymous),
            t.leadUnit, t.coUnits.joined(separator: ","), t.status.rawValue,
            ms(t.deadlines.accept), ms(t.deadlines.firstContact), ms(t.deadlines.resolution), ms(t.deadlines.returnWindow),
            t.mergedInto, t.reply, t.replyResolved.map(int), t.evaluation?.contacted.map(int), t.evaluation.map { int($0.resolved) },
            t.evaluation?.satisfaction.rawValue, t.evaluation?.comment,
            Int64(t.reopenCount), Int64(t.returnCount), Int64(t.disputes), t.createdAt.millisecondsSince1970, t.updatedAt.millisecondsSince1970,
            ms(t.closedAt), Int64(t.version),
            t.mediaURL, attributesText(t.attributes),
            oversightText(t.oversight), ms(t.oversight.nextCheck), ms(t.oversight.followUp?.since),
            ms(t.oversight.extensionRequest?.requestedAt), ms(t.oversight.escalatedAt),
            contacts.rowKey(c.name, c.phone, c.email),
        ]
    }

    static let emptyOversight = Oversight()

    /// The oversight state as JSON (times in milliseconds, exact); empty text when there is none,
    /// as for most tickets that are not yet dispatched.
    static func oversightText(_ o: Oversight) -> String {
        guard o != emptyOversight else { return "" }
        let encoder = JSONEncoder.sorted
        // Whole milliseconds as integers: a mark must read back as exactly the deadline it names.
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var c = encoder.singleValueContainer()
            try c.encode(date.millisecondsSince1970)
        }
        guard let data = try? encoder.encode(o) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func oversight(_ text: String) throws -> Oversight {
        guard !text.isEmpty else { return Oversight() }
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            Date(millisecondsSince1970: try decoder.singleValueContainer().decode(Int64.self))
        }
        return try decoder.decode(Oversight.self, from: Data(text.utf8))
    }

    static func attributesText(_ attributes: [String: [String]]) -> String {
        guard !attributes.isEmpty, let data = try? JSONEncoder.sorted.encode(attributes) else { return "" }
        return String(decoding: data, as: UTF8.self)
    }

    static func attributes(_ text: String) -> [String: [String]] {
        guard !text.isEmpty else { return [:] }
        return (try? JSONDecoder().decode([String: [String]].self, from: Data(text.utf8))) ?? [:]
    }

    static func decode(_ row: any SQLRow, contacts: ContactKeys) throws -> Ticket {
        func s(_ c: String) throws -> String { try row.decode(column: c, as: String.self) }
        func os(_ c: String) throws -> String? { try row.decode(column: c, as: String?.self) }
        func i(_ c: String) throws -> Int64 { try row.decode(column: c, as: Int64.self) }
        func oi(_ c: String) throws -> Int64? { try row.decode(column: c, as: Int64?.self) }
        func od(_ c: String) throws -> Double? { try row.decode(column: c, as: Double?.self) }
        func date(_ c: String) throws -> Date? { try oi(c).map(Date.init(millisecondsSince1970:)) }
        func enumValue<E: RawRepresentable>(_ c: String, _: E.Type) throws -> E where E.RawValue == String {
            let raw = try s(c)
            guard let value = E(rawValue: raw) else { throw StoreError.conflict("unknown \(c) '\(raw)' in the database") }
            return value
        }

        var evaluation: Evaluation? = nil
        if let resolved = try oi("eval_resolved"), let sat = try os("eval_satisfaction").flatMap(Evaluation.Satisfaction.init(rawValue:)) {
            evaluation = Evaluation(contacted: try oi("eval_contacted").map { $0 != 0 }, resolved: resolved != 0, satisfaction: sat, comment: try os("eval_comment"))
        }
        let coUnits = try s("co_units")
        return Ticket(
            id: try s("id"),
            tenantID: try s("tenant_id"),
            number: try s("number"),
            kind: try enumValue("kind", TicketKind.self),
            channel: try enumValue("channel", Channel.self),
            title: try s("title"),
            description: try s("description"),
            categoryCode: try os("category_code"),
            urgency: try enumValue("urgency", Urgency.self),
            location: Location(
                latitude: try od("latitude"), longitude: try od("longitude"), address: try os("address"),
                districtCode: try os("district_code"), streetCode: try os("street_code")
            ),
            complainant: Complainant(
                name: try contacts.open(try os("complainant_name")), phone: try contacts.open(try os("complainant_phone")),
                email: try contacts.open(try os("complainant_email")),
                anonymous: try i("complainant_anonymous") != 0
            ),
            mediaURL: try os("media_url"),
            attributes: attributes(try s("attributes")),
            leadUnit: try os("lead_unit"),
            coUnits: coUnits.isEmpty ? [] : coUnits.split(separator: ",").map(String.init),
            status: try enumValue("status", TicketStatus.self),
            deadlines: Deadlines(
                accept: try date("accept_due"), firstContact: try date("contact_due"),
                resolution: try date("resolution_due"), returnWindow: try date("return_due")
            ),
            mergedInto: try os("merged_into"),
            reply: try os("reply"),
            replyResolved: try oi("reply_resolved").map { $0 != 0 },
            evaluation: evaluation,
            reopenCount: Int(try i("reopen_count")),
            returnCount: Int(try i("return_count")),
            disputes: Int(try i("disputes")),
            oversight: try oversight(try s("oversight")),
            createdAt: Date(millisecondsSince1970: try i("created_at")),
            updatedAt: Date(millisecondsSince1970: try i("updated_at")),
            closedAt: try date("closed_at"),
            version: Int(try i("version"))
        )
    }

    static func int(_ b: Bool) -> Int64 { b ? 1 : 0 }
    static func ms(_ d: Date?) -> Int64? { d?.millisecondsSince1970 }
}

/// The mapping between ``TicketEvent`` and an `events` row; the payload is a JSON object.
enum EventRow {
    static let columnList = "tenant_id, ticket_id, seq, type, at, actor_name, actor_role, actor_unit, from_status, to_status, payload"

    static func values(_ e: TicketEvent) throws -> [any Encodable & Sendable] {
        let payload = String(decoding: try JSONEncoder.sorted.encode(e.payload), as: UTF8.self)
        return [
            e.tenantID, e.ticketID, Int64(e.sequence), e.type.rawValue, e.at.millisecondsSince1970,
            e.actor.name, e.actor.role.rawValue, e.actor.unitCode, e.fromStatus?.rawValue, e.toStatus.rawValue, payload,
        ]
    }

    static func decode(_ row: any SQLRow) throws -> TicketEvent {
        let payloadText = try row.decode(column: "payload", as: String.self)
        let payload = (try? JSONDecoder().decode([String: String].self, from: Data(payloadText.utf8))) ?? [:]
        let type = try row.decode(column: "type", as: String.self)
        let role = try row.decode(column: "actor_role", as: String.self)
        let to = try row.decode(column: "to_status", as: String.self)
        guard let eventType = EventType(rawValue: type), let actorRole = Role(rawValue: role), let toStatus = TicketStatus(rawValue: to) else {
            throw StoreError.conflict("unreadable event row (\(type), \(role), \(to))")
        }
        return TicketEvent(
            sequence: Int(try row.decode(column: "seq", as: Int64.self)),
            ticketID: try row.decode(column: "ticket_id", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            type: eventType,
            at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)),
            actor: Actor(name: try row.decode(column: "actor_name", as: String.self), role: actorRole, unitCode: try row.decode(column: "actor_unit", as: String?.self)),
            fromStatus: try row.decode(column: "from_status", as: String?.self).flatMap(TicketStatus.init(rawValue:)),
            toStatus: toStatus,
            payload: payload
        )
    }
}

extension JSONEncoder {
    /// Sorted keys, so the same payload always serialises to the same text.
    static var sorted: JSONEncoder {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

extension SQLQueryString {
    /// `(?, ?, …)` binding each value.
    static func bindList(_ values: [any Encodable & Sendable]) -> SQLQueryString {
        "(\(binds: values))"
    }
}

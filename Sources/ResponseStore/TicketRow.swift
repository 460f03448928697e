import Foundation
import ResponseCore
import SQLKit

/// The mapping between ``Ticket`` and a `tickets` row: flat columns, times in milliseconds,
/// booleans as 0/1 so the same SQL serves both engines.
enum TicketRow {
    /// The columns of `tickets`, in the order rows are written; the raw value is the SQL name.
    enum Column: String, CaseIterable, Sendable {
        case id, tenantID = "tenant_id", number, kind, channel, title, description, categoryCode = "category_code", urgency
        case latitude, longitude, address, districtCode = "district_code", streetCode = "street_code"
        case complainantName = "complainant_name", complainantPhone = "complainant_phone", complainantEmail = "complainant_email", complainantAnonymous = "complainant_anonymous"
        case leadUnit = "lead_unit", coUnits = "co_units", status, acceptDue = "accept_due", contactDue = "contact_due", resolutionDue = "resolution_due", returnDue = "return_due"
        case mergedInto = "merged_into", reply, replyResolved = "reply_resolved", evalContacted = "eval_contacted", evalResolved = "eval_resolved", evalSatisfaction = "eval_satisfaction", evalComment = "eval_comment"
        case reopenCount = "reopen_count", returnCount = "return_count", disputes, createdAt = "created_at", updatedAt = "updated_at", closedAt = "closed_at", version
        case mediaURL = "media_url", attributes
        case oversight, nextCheckAt = "next_check_at", followupSince = "followup_since", extensionRequestedAt = "extension_requested_at", escalatedAt = "escalated_at"
        case contactKey = "contact_key"
    }

    static let columns: [String] = Column.allCases.map(\.rawValue)

    static let columnList = columns.joined(separator: ", ")

    /// Columns no action changes after filing. An update leaves them out: rewriting the title and
    /// description would make SQLite's full-text triggers re-index the text on every state change.
    static let fixedAtFiling: Set<Column> = [.id, .tenantID, .number, .kind, .channel, .title, .description, .createdAt]

    /// The row of `t`, its complainant's name, phone and e-mail sealed with `contacts` and the
    /// sealing key's id in `contact_key` (`NULL` when there is no contact data).
    static func values(_ t: Ticket, contacts: ContactKeys) throws -> [any Encodable & Sendable] {
        try Column.allCases.map { try value($0, of: t, contacts: contacts) }
    }

    /// The value of column `c` for `t`: the compiler holds every column to exactly one.
    static func value(_ c: Column, of t: Ticket, contacts: ContactKeys) throws -> any Encodable & Sendable {
        switch c {
        case .id: t.id
        case .tenantID: t.tenantID
        case .number: t.number
        case .kind: t.kind.rawValue
        case .channel: t.channel.rawValue
        case .title: t.title
        case .description: t.description
        case .categoryCode: t.categoryCode
        case .urgency: t.urgency.rawValue
        case .latitude: t.location.latitude
        case .longitude: t.location.longitude
        case .address: t.location.address
        case .districtCode: t.location.districtCode
        case .streetCode: t.location.streetCode
        case .complainantName: try contacts.seal(t.complainant.name)
        case .complainantPhone: try contacts.seal(t.complainant.phone)
        case .complainantEmail: try contacts.seal(t.complainant.email)
        case .complainantAnonymous: int(t.complainant.anonymous)
        case .leadUnit: t.leadUnit
        case .coUnits: t.coUnits.joined(separator: ",")
        case .status: t.status.rawValue
        case .acceptDue: ms(t.deadlines.accept)
        case .contactDue: ms(t.deadlines.firstContact)
        case .resolutionDue: ms(t.deadlines.resolution)
        case .returnDue: ms(t.deadlines.returnWindow)
        case .mergedInto: t.mergedInto
        case .reply: t.reply
        case .replyResolved: t.replyResolved.map(int)
        case .evalContacted: t.evaluation?.contacted.map(int)
        case .evalResolved: t.evaluation.map { int($0.resolved) }
        case .evalSatisfaction: t.evaluation?.satisfaction.rawValue
        case .evalComment: t.evaluation?.comment
        case .reopenCount: Int64(t.reopenCount)
        case .returnCount: Int64(t.returnCount)
        case .disputes: Int64(t.disputes)
        case .createdAt: t.createdAt.millisecondsSince1970
        case .updatedAt: t.updatedAt.millisecondsSince1970
        case .closedAt: ms(t.closedAt)
        case .version: Int64(t.version)
        case .mediaURL: t.mediaURL
        case .attributes: attributesText(t.attributes)
        case .oversight: oversightText(t.oversight)
        case .nextCheckAt: ms(t.oversight.nextCheck)
        case .followupSince: ms(t.oversight.followUp?.since)
        case .extensionRequestedAt: ms(t.oversight.extensionRequest?.requestedAt)
        case .escalatedAt: ms(t.oversight.escalatedAt)
        case .contactKey: contacts.rowKey(t.complainant.name, t.complainant.phone, t.complainant.email)
        }
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
        func s(_ c: Column) throws -> String { try row.decode(column: c.rawValue, as: String.self) }
        func os(_ c: Column) throws -> String? { try row.decode(column: c.rawValue, as: String?.self) }
        func i(_ c: Column) throws -> Int64 { try row.decode(column: c.rawValue, as: Int64.self) }
        func oi(_ c: Column) throws -> Int64? { try row.decode(column: c.rawValue, as: Int64?.self) }
        func od(_ c: Column) throws -> Double? { try row.decode(column: c.rawValue, as: Double?.self) }
        func date(_ c: Column) throws -> Date? { try oi(c).map(Date.init(millisecondsSince1970:)) }
        func enumValue<E: RawRepresentable>(_ c: Column, _: E.Type) throws -> E where E.RawValue == String {
            let raw = try s(c)
            guard let value = E(rawValue: raw) else { throw StoreError.conflict("unknown \(c.rawValue) '\(raw)' in the database") }
            return value
        }

        var evaluation: Evaluation? = nil
        if let resolved = try oi(.evalResolved), let sat = try os(.evalSatisfaction).flatMap(Evaluation.Satisfaction.init(rawValue:)) {
            evaluation = Evaluation(contacted: try oi(.evalContacted).map { $0 != 0 }, resolved: resolved != 0, satisfaction: sat, comment: try os(.evalComment))
        }
        let coUnits = try s(.coUnits)
        return Ticket(
            id: try s(.id),
            tenantID: try s(.tenantID),
            number: try s(.number),
            kind: try enumValue(.kind, TicketKind.self),
            channel: try enumValue(.channel, Channel.self),
            title: try s(.title),
            description: try s(.description),
            categoryCode: try os(.categoryCode),
            urgency: try enumValue(.urgency, Urgency.self),
            location: Location(
                latitude: try od(.latitude), longitude: try od(.longitude), address: try os(.address),
                districtCode: try os(.districtCode), streetCode: try os(.streetCode)
            ),
            complainant: Complainant(
                name: try contacts.open(try os(.complainantName)), phone: try contacts.open(try os(.complainantPhone)),
                email: try contacts.open(try os(.complainantEmail)),
                anonymous: try i(.complainantAnonymous) != 0
            ),
            mediaURL: try os(.mediaURL),
            attributes: attributes(try s(.attributes)),
            leadUnit: try os(.leadUnit),
            coUnits: coUnits.isEmpty ? [] : coUnits.split(separator: ",").map(String.init),
            status: try enumValue(.status, TicketStatus.self),
            deadlines: Deadlines(
                accept: try date(.acceptDue), firstContact: try date(.contactDue),
                resolution: try date(.resolutionDue), returnWindow: try date(.returnDue)
            ),
            mergedInto: try os(.mergedInto),
            reply: try os(.reply),
            replyResolved: try oi(.replyResolved).map { $0 != 0 },
            evaluation: evaluation,
            reopenCount: Int(try i(.reopenCount)),
            returnCount: Int(try i(.returnCount)),
            disputes: Int(try i(.disputes)),
            oversight: try oversight(try s(.oversight)),
            createdAt: Date(millisecondsSince1970: try i(.createdAt)),
            updatedAt: Date(millisecondsSince1970: try i(.updatedAt)),
            closedAt: try date(.closedAt),
            version: Int(try i(.version))
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

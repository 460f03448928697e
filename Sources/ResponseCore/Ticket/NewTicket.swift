import Foundation

/// What a channel submits to file a ticket. Validated here so every channel (API, import,
/// Open311, console) applies the same rules.
public struct NewTicket: Codable, Sendable, Equatable {
    public var kind: TicketKind
    public var channel: Channel
    public var title: String
    public var description: String
    public var categoryCode: String?
    public var urgency: Urgency?
    public var location: Location?
    public var complainant: Complainant?

    /// Limits that keep one request from bloating the store.
    public static let maxTitle = 200
    public static let maxDescription = 10_000

    public init(
        kind: TicketKind,
        channel: Channel,
        title: String,
        description: String,
        categoryCode: String? = nil,
        urgency: Urgency? = nil,
        location: Location? = nil,
        complainant: Complainant? = nil
    ) {
        self.kind = kind
        self.channel = channel
        self.title = title
        self.description = description
        self.categoryCode = categoryCode
        self.urgency = urgency
        self.location = location
        self.complainant = complainant
    }

    /// Field-level problems, empty when the ticket may be filed.
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []
        let t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { errors.append(FieldError(field: "title", message: "must not be empty")) }
        if title.count > Self.maxTitle { errors.append(FieldError(field: "title", message: "at most \(Self.maxTitle) characters")) }
        if description.count > Self.maxDescription {
            errors.append(FieldError(field: "description", message: "at most \(Self.maxDescription) characters"))
        }
        if let code = categoryCode, !OrgUnit.isValidCode(code) {
            errors.append(FieldError(field: "categoryCode", message: "not a category code"))
        }
        if let location { errors += location.validationErrors() }
        if let c = complainant {
            if let phone = c.phone, phone.count > 40 || !phone.allSatisfy({ $0.isNumber || "+-() ".contains($0) }) {
                errors.append(FieldError(field: "complainant.phone", message: "digits, spaces and + - ( ) only, at most 40"))
            }
            if let email = c.email, email.count > 254 || !email.contains("@") {
                errors.append(FieldError(field: "complainant.email", message: "not an e-mail address"))
            }
            if let name = c.name, name.count > 100 {
                errors.append(FieldError(field: "complainant.name", message: "at most 100 characters"))
            }
        }
        return errors
    }

    /// The ticket this request creates and its first event.
    /// - Parameters:
    ///   - id: Fresh internal id.
    ///   - number: Public number allocated by the store.
    ///   - tenantID: The city.
    ///   - actor: Who filed it.
    ///   - now: Filing time.
    public func makeTicket(id: String, number: String, tenantID: String, actor: Actor, now: Date) -> (Ticket, TicketEvent) {
        let ticket = Ticket(
            id: id,
            tenantID: tenantID,
            number: number,
            kind: kind,
            channel: channel,
            title: title.trimmingCharacters(in: .whitespacesAndNewlines),
            description: description,
            categoryCode: categoryCode,
            urgency: urgency ?? .normal,
            location: location ?? Location(),
            complainant: complainant ?? Complainant(),
            createdAt: now
        )
        var payload = ["kind": kind.rawValue, "channel": channel.rawValue]
        if let categoryCode { payload["categoryCode"] = categoryCode }
        let event = TicketEvent(
            sequence: 1, ticketID: id, tenantID: tenantID, type: .created, at: now, actor: actor,
            fromStatus: nil, toStatus: .received, payload: payload
        )
        return (ticket, event)
    }
}

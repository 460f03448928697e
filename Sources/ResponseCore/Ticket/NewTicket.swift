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
    /// A link to a photo or document (`http` or `https`).
    public var mediaURL: String?
    /// Answers to the service's questions, code → values.
    public var attributes: [String: [String]]?

    /// Limits that keep one request from bloating the store.
    public static let maxTitle = 200
    public static let maxDescription = 10_000
    public static let maxMediaURL = 2_000
    /// At most this many attributes, each with at most this many values of this length.
    public static let maxAttributes = 50
    public static let maxAttributeValues = 50
    public static let maxAttributeValue = 1_000

    public init(
        kind: TicketKind,
        channel: Channel,
        title: String,
        description: String,
        categoryCode: String? = nil,
        urgency: Urgency? = nil,
        location: Location? = nil,
        complainant: Complainant? = nil,
        mediaURL: String? = nil,
        attributes: [String: [String]]? = nil
    ) {
        self.kind = kind
        self.channel = channel
        self.title = title
        self.description = description
        self.categoryCode = categoryCode
        self.urgency = urgency
        self.location = location
        self.complainant = complainant
        self.mediaURL = mediaURL
        self.attributes = attributes
    }

    /// Field-level problems, empty when the ticket may be filed.
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []
        let t = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if t.isEmpty { errors.append(FieldError(field: "title", message: "must not be empty")) }
        if title.exceeds(Self.maxTitle) { errors.append(FieldError(field: "title", message: "at most \(Self.maxTitle) characters")) }
        if description.exceeds(Self.maxDescription) {
            errors.append(FieldError(field: "description", message: "at most \(Self.maxDescription) characters"))
        }
        if let code = categoryCode, !OrgUnit.isValidCode(code) {
            errors.append(FieldError(field: "categoryCode", message: "not a category code"))
        }
        if let location { errors += location.validationErrors() }
        if let url = mediaURL, !Self.isValidMediaURL(url) {
            errors.append(FieldError(field: "mediaURL", message: "an http or https URL of at most \(Self.maxMediaURL) characters"))
        }
        if let attributes {
            if attributes.count > Self.maxAttributes {
                errors.append(FieldError(field: "attributes", message: "at most \(Self.maxAttributes) attributes"))
            }
            for (code, values) in attributes.sorted(by: { $0.key < $1.key }) {
                if code.isEmpty || code.exceeds(100) {
                    errors.append(FieldError(field: "attributes", message: "attribute codes are 1–100 characters"))
                } else if values.count > Self.maxAttributeValues || values.contains(where: { $0.exceeds(Self.maxAttributeValue) }) {
                    errors.append(FieldError(field: "attributes.\(code)", message: "at most \(Self.maxAttributeValues) values of at most \(Self.maxAttributeValue) characters"))
                }
            }
        }
        if let c = complainant {
            if let phone = c.phone, phone.exceeds(40) || !phone.allSatisfy({ $0.isNumber || "+-() ".contains($0) }) {
                errors.append(FieldError(field: "complainant.phone", message: "digits, spaces and + - ( ) only, at most 40"))
            }
            if let email = c.email, email.exceeds(254) || !email.contains("@") {
                errors.append(FieldError(field: "complainant.email", message: "not an e-mail address"))
            }
            if let name = c.name, name.exceeds(100) {
                errors.append(FieldError(field: "complainant.name", message: "at most 100 characters"))
            }
        }
        return errors
    }

    /// Whether `url` may be stored as a media link: http or https, no spaces, at most
    /// ``maxMediaURL`` characters.
    public static func isValidMediaURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        return !url.exceeds(maxMediaURL) && (lower.hasPrefix("http://") || lower.hasPrefix("https://")) && !url.contains(where: \.isWhitespace)
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
            mediaURL: mediaURL,
            attributes: attributes ?? [:],
            createdAt: now
        )
        let event = TicketEvent(
            sequence: 1, ticketID: id, tenantID: tenantID, at: now, actor: actor, fromStatus: nil, toStatus: .received,
            detail: .created(kind: kind, channel: channel, categoryCode: categoryCode)
        )
        return (ticket, event)
    }
}

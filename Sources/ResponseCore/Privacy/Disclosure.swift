import Foundation

/// Who is looking at a ticket, as the disclosure policy sees them.
public enum Audience: Sendable, Equatable {
    /// Anyone: the portal, tracking, Open311 reads and feed, open data and exports, the public
    /// dashboard.
    case `public`
    /// A member of staff or an integration. `contacts` is the access rule's answer
    /// (``TicketAccess/maySeeContacts(_:)``): whether this caller may see this ticket's
    /// complainant.
    case staff(contacts: Bool)
}

/// The one disclosure policy: what each audience sees of a ticket and its timeline. Pure; every
/// face renders a ticket through it.
///
/// | field | staff with contacts | other staff, integrations | public | public, sensitive request |
/// |---|---|---|---|---|
/// | complainant | shown | masked (``Complainant/masked()``) | withheld | withheld |
/// | title, description, reply, notes | shown | redacted (``Redactor``) | redacted | withheld |
/// | address text, street | shown | redacted / shown | redacted / shown | withheld |
/// | coordinates | exact | exact | rounded to ``coordinateDecimals`` | withheld |
/// | district, category, unit, status, dates | shown | shown | shown | shown |
///
/// A request is sensitive when its kind is one of ``sensitiveKinds`` (reports of wrongdoing by
/// default: they name the reported), its category is under one of ``sensitiveCategories``, or the
/// complainant asked for it (``Ticket/attributes`` `private` = `true`, which Open311 and the portal
/// set).
public struct Disclosure: Codable, Sendable, Equatable {
    /// Decimals kept of latitude and longitude for the public: 3 ≈ 110 m, 2 ≈ 1.1 km.
    public var coordinateDecimals: Int
    /// Category codes (and everything under them) whose requests the public sees without text or place.
    public var sensitiveCategories: [String]
    /// Kinds the public sees without text or place.
    public var sensitiveKinds: [TicketKind]

    public init(coordinateDecimals: Int = 3, sensitiveCategories: [String] = [], sensitiveKinds: [TicketKind] = [.report]) {
        self.coordinateDecimals = coordinateDecimals
        self.sensitiveCategories = sensitiveCategories
        self.sensitiveKinds = sensitiveKinds
    }

    // A config file may name only the settings it changes.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = Disclosure()
        coordinateDecimals = try c.decodeIfPresent(Int.self, forKey: .coordinateDecimals) ?? d.coordinateDecimals
        sensitiveCategories = try c.decodeIfPresent([String].self, forKey: .sensitiveCategories) ?? d.sensitiveCategories
        sensitiveKinds = try c.decodeIfPresent([TicketKind].self, forKey: .sensitiveKinds) ?? d.sensitiveKinds
    }

    enum CodingKeys: String, CodingKey { case coordinateDecimals, sensitiveCategories, sensitiveKinds }

    /// The attribute a complainant sets to keep a request out of public view.
    public static let privateAttribute = "private"

    public func isSensitive(_ ticket: Ticket) -> Bool {
        if sensitiveKinds.contains(ticket.kind) { return true }
        if ticket.attributes[Self.privateAttribute]?.contains("true") == true { return true }
        guard let code = ticket.categoryCode else { return false }
        return sensitiveCategories.contains { code == $0 || code.hasPrefix($0 + ".") }
    }

    /// The redactor for texts about `ticket`: it knows the complainant's name.
    public func redactor(for ticket: Ticket) -> Redactor {
        Redactor(names: [ticket.complainant.name])
    }

    /// A coordinate as the public sees it: rounded to ``coordinateDecimals``.
    public func publicCoordinate(_ value: Double) -> Double {
        let scale = pow(10, Double(max(0, min(6, coordinateDecimals))))
        return (value * scale).rounded() / scale
    }

    // MARK: Staff

    /// `ticket` as a member of staff or an integration sees it: everything when the access rule
    /// lets them see its contacts; otherwise the complainant masked and every free text redacted.
    public func staffView(_ ticket: Ticket, contacts: Bool) -> Ticket {
        guard !contacts else { return ticket }
        var shown = redactor(for: ticket).texts(of: ticket)
        shown.complainant = ticket.complainant.masked()
        return shown
    }

    /// An event of `ticket`'s timeline as a member of staff or an integration sees it.
    public func staffView(_ event: TicketEvent, of ticket: Ticket, contacts: Bool) -> TicketEvent {
        contacts ? event : redactor(for: ticket).texts(of: event)
    }

    /// A message owed to `ticket`'s complainant as a member of staff sees it: without contacts,
    /// the recipient masked and the text redacted.
    public func staffView(_ notification: NotificationRecord, of ticket: Ticket, contacts: Bool) -> NotificationRecord {
        guard !contacts else { return notification }
        var shown = notification
        shown.recipient = notification.recipient.map { $0.contains("@") ? Complainant.maskEmail($0) : Complainant.maskPhone($0) }
        shown.text = redactor(for: ticket)(notification.text)
        return shown
    }

    // MARK: Public

    /// `ticket` as anyone may see it (``PublicTicket``).
    public func publicView(_ ticket: Ticket) -> PublicTicket {
        let sensitive = isSensitive(ticket)
        let redact = redactor(for: ticket)
        var view = PublicTicket(
            number: ticket.number, kind: ticket.kind, status: ticket.status, sensitive: sensitive, categoryCode: ticket.categoryCode,
            districtCode: ticket.location.districtCode, leadUnit: ticket.leadUnit, createdAt: ticket.createdAt, updatedAt: ticket.updatedAt,
            closedAt: ticket.closedAt, resolutionDue: ticket.status.isFinal ? nil : ticket.deadlines.resolution, mergedInto: ticket.mergedInto
        )
        guard !sensitive else { return view }
        view.title = redact(ticket.title)
        view.description = redact(ticket.description)
        view.reply = ticket.reply.map(redact.callAsFunction)
        view.address = ticket.location.address.map(redact.callAsFunction)
        view.streetCode = ticket.location.streetCode
        if let lat = ticket.location.latitude, let lon = ticket.location.longitude {
            view.latitude = publicCoordinate(lat)
            view.longitude = publicCoordinate(lon)
        }
        view.mediaURL = ticket.mediaURL
        return view
    }

    /// The text of a public update (the reply, an answer) about `ticket`, or `nil` when the
    /// public may not read it (a sensitive request).
    public func publicText(_ text: String, of ticket: Ticket) -> String? {
        isSensitive(ticket) ? nil : redactor(for: ticket)(text)
    }
}

/// A ticket as anyone may see it: never the complainant; texts redacted; a sensitive request
/// without its texts, street, address, coordinates or media.
public struct PublicTicket: Codable, Sendable, Equatable {
    public var number: String
    public var kind: TicketKind
    public var status: TicketStatus
    /// Whether the texts and the place finer than the district are withheld.
    public var sensitive: Bool
    public var categoryCode: String?
    public var districtCode: String?
    public var leadUnit: String?
    public var createdAt: Date
    public var updatedAt: Date
    public var closedAt: Date?
    public var resolutionDue: Date?
    public var mergedInto: String?
    public var title: String?
    public var description: String?
    public var reply: String?
    public var address: String?
    public var streetCode: String?
    /// Rounded (``Disclosure/coordinateDecimals``).
    public var latitude: Double?
    public var longitude: Double?
    public var mediaURL: String?
}

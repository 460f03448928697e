import Foundation

/// One ticket as the city publishes it in its open data, in the shape of New York City's 311
/// service requests: what was asked, where roughly, who handled it, how it ended — never who
/// asked. Built by a pure function so the same rules serve the API, the daily files and tests.
public struct PublicRecord: Codable, Sendable, Equatable {
    /// The public tracking number.
    public var uniqueKey: String
    /// Local time of the city, ISO 8601 with offset.
    public var createdDate: String
    public var closedDate: String?
    /// The lead unit's code and name (NYC: the agency).
    public var agency: String?
    public var agencyName: String?
    /// The first-level category's name (NYC: complaint type).
    public var complaintType: String?
    /// The most specific category's name (NYC: descriptor).
    public var descriptor: String?
    /// `Open`, `Assigned`, `In Progress`, `Pending`, `Closed` (see ``status(_:)``).
    public var status: String
    /// The unit's reply, redacted; absent for sensitive requests.
    public var resolutionDescription: String?
    /// The district's name (NYC: borough).
    public var borough: String?
    /// Coarsened to the policy's decimals; absent for sensitive requests.
    public var latitude: Double?
    public var longitude: Double?
    /// `PHONE`, `ONLINE`, `MOBILE`, `OTHER` as NYC names its channels.
    public var openDataChannelType: String
    /// The kind of request (complaint, consultation, …), which NYC does not have.
    public var kind: String

    enum CodingKeys: String, CodingKey {
        case uniqueKey = "unique_key", createdDate = "created_date", closedDate = "closed_date", agency, agencyName = "agency_name"
        case complaintType = "complaint_type", descriptor, status, resolutionDescription = "resolution_description", borough
        case latitude, longitude, openDataChannelType = "open_data_channel_type", kind
    }

    /// The columns of the CSV files, in order (the JSON keys are the same).
    public static let columns = CodingKeys.allColumns

    /// The names a record needs: units and categories by code.
    public struct Names: Sendable {
        public var units: [String: String]
        public var categories: [String: (name: String, parent: String?)]
        public init(units: [String: String], categories: [String: (name: String, parent: String?)]) {
            self.units = units
            self.categories = categories
        }
    }

    /// What may be published, and how precisely: the one disclosure policy.
    public typealias Policy = Disclosure

    /// The published form of `ticket`. Names, phones, e-mails, addresses, titles and descriptions
    /// never leave; a sensitive request also loses its place and reply.
    public init(_ ticket: Ticket, names: Names, policy: Policy, timeZone: TimeZone) {
        var format = Date.ISO8601FormatStyle(timeZone: timeZone)
        format = format.year().month().day().dateSeparator(.dash).time(includingFractionalSeconds: false).timeSeparator(.colon).timeZone(separator: .colon)
        uniqueKey = ticket.number
        createdDate = ticket.createdAt.formatted(format)
        closedDate = ticket.closedAt?.formatted(format)
        agency = ticket.leadUnit
        agencyName = ticket.leadUnit.flatMap { names.units[$0] }
        // Names from the first-level category down to the ticket's own.
        let chain: [String] = ticket.categoryCode.map { code in
            guard names.categories[code] != nil else { return [] }
            return ([code] + CategoryTaxonomy.ancestors(of: code) { names.categories[$0]?.parent }).reversed().compactMap { names.categories[$0]?.name }
        } ?? []
        complaintType = chain.first
        descriptor = chain.count > 1 ? chain.last : nil
        status = Self.status(ticket.status)
        borough = ticket.location.districtCode.flatMap { names.units[$0] }
        kind = ticket.kind.rawValue
        openDataChannelType = switch ticket.channel {
        case .phone: "PHONE"
        case .web, .open311: "ONLINE"
        case .app, .wechat, .sms: "MOBILE"
        case .other: "OTHER"
        }
        let shown = policy.publicView(ticket)
        latitude = shown.latitude
        longitude = shown.longitude
        resolutionDescription = shown.reply
        if ticket.status == .merged, let parent = ticket.mergedInto {
            resolutionDescription = "Duplicate of \(parent)."
        }
    }

    /// The status as NYC publishes it.
    public static func status(_ status: TicketStatus) -> String {
        switch status {
        case .received: "Open"
        case .dispatched, .returned, .arbitration: "Assigned"
        case .accepted, .contacted, .reopened: "In Progress"
        case .replied, .evaluated: "Pending"
        case .answered, .closed, .merged: "Closed"
        }
    }

    /// The record as one CSV line, in ``columns`` order.
    public var csvLine: String {
        let coordinate = { (v: Double?) in CSVTable.field(v.map { String($0) } ?? "") }
        let text = { (s: String?) in CSVTable.textField(s ?? "") }
        return [text(uniqueKey), text(createdDate), text(closedDate), text(agency), text(agencyName), text(complaintType), text(descriptor), text(status),
                text(resolutionDescription), text(borough), coordinate(latitude), coordinate(longitude), text(openDataChannelType), text(kind)]
            .joined(separator: ",")
    }
}

extension PublicRecord.CodingKeys: CaseIterable {
    static var allColumns: [String] { allCases.map(\.rawValue) }
}

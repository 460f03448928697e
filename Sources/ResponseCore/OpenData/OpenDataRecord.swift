import Foundation

/// One row of a city's 311 open-data file, in the common shape the importer files as a ticket.
public struct OpenDataRecord: Sendable, Equatable {
    public var sourceID: String
    public var created: Date
    public var closed: Date?
    public var agency: String?
    public var agencyName: String?
    public var type: String
    public var descriptor: String?
    public var resolution: String?
    public var area: String?
    public var address: String?
    public var latitude: Double?
    public var longitude: Double?
    public var channel: Channel

    /// The four formats of ../shared/data, recognised by their header.
    public enum Format: String, CaseIterable, Sendable {
        case nyc, sf, boston, la

        public static func detect(_ header: [String]) -> Format? {
            if header.contains("unique_key") && header.contains("community_board") { return .nyc }
            if header.contains("unique_key") && header.contains("status_notes") { return .sf }
            if header.contains("CASE_ENQUIRY_ID") { return .boston }
            if header.contains("srnumber") { return .la }
            return nil
        }

        public var timeZone: String {
            switch self {
            case .nyc, .boston: "America/New_York"
            case .sf, .la: "America/Los_Angeles"
            }
        }
    }

    /// Maps one CSV row; `nil` when the row lacks an id, a type or a readable creation time.
    public static func make(_ row: [String], table: CSVTable, format: Format, dates: OpenDataDateParser) -> OpenDataRecord? {
        let v = { (name: String) in table.value(row, name) }
        let parse = { (text: String?) in text.flatMap { dates.parse($0) } }
        var r: OpenDataRecord
        switch format {
        case .nyc:
            guard let id = v("unique_key"), let type = v("complaint_type"), let created = parse(v("created_date") ?? v("created_date_iso")) else { return nil }
            r = OpenDataRecord(sourceID: id, created: created, closed: parse(v("closed_date") ?? v("closed_date_iso")), agency: v("agency"), agencyName: v("agency_name"),
                               type: type, descriptor: v("descriptor"), resolution: v("resolution_description"), area: v("borough"),
                               address: v("incident_address"), latitude: Double(v("latitude") ?? ""), longitude: Double(v("longitude") ?? ""),
                               channel: channel(v("open_data_channel_type")))
        case .sf:
            guard let id = v("unique_key"), let type = v("category") ?? v("complaint_type"), let created = parse(v("created_date")) else { return nil }
            r = OpenDataRecord(sourceID: id, created: created, closed: parse(v("closed_date")), agency: v("agency_name"), agencyName: v("agency_name"),
                               type: type, descriptor: v("descriptor") ?? v("complaint_type"), resolution: v("status_notes"), area: v("neighborhood"),
                               address: v("incident_address"), latitude: Double(v("latitude") ?? ""), longitude: Double(v("longitude") ?? ""),
                               channel: channel(v("source")))
        case .boston:
            guard let id = v("CASE_ENQUIRY_ID"), let type = v("TYPE") ?? v("REASON"), let created = parse(v("OPEN_DT")) else { return nil }
            r = OpenDataRecord(sourceID: id, created: created, closed: parse(v("CLOSED_DT")), agency: v("Department"), agencyName: v("SUBJECT"),
                               type: type, descriptor: v("CASE_TITLE"), resolution: v("CLOSURE_REASON"), area: v("neighborhood"),
                               address: v("Location"), latitude: Double(v("LATITUDE") ?? ""), longitude: Double(v("LONGITUDE") ?? ""),
                               channel: channel(v("Source")))
        case .la:
            guard let id = v("srnumber"), let type = v("requesttype"), let created = parse(v("createddate")) else { return nil }
            r = OpenDataRecord(sourceID: id, created: created, closed: parse(v("closeddate")), agency: v("owner"), agencyName: v("owner"),
                               type: type, descriptor: v("actiontaken"), resolution: v("status"), area: v("ncname"),
                               address: v("address"), latitude: Double(v("latitude") ?? ""), longitude: Double(v("longitude") ?? ""),
                               channel: channel(v("requestsource")))
        }
        // 0,0 and out-of-range points are placeholders in these files, not places.
        if let lat = r.latitude, let lon = r.longitude, !(abs(lat) > 0.001 && abs(lat) <= 90 && abs(lon) > 0.001 && abs(lon) <= 180) {
            r.latitude = nil
            r.longitude = nil
        }
        if r.latitude == nil || r.longitude == nil { r.latitude = nil; r.longitude = nil }
        if let c = r.closed, c < r.created { r.closed = r.created }
        return r
    }

    public static func channel(_ source: String?) -> Channel {
        let s = (source ?? "").lowercased()
        // Filed by city staff (inspections, work-order systems), not by residents.
        if s.contains("worker") || s.contains("employee") || s.contains("internal") || s.contains("integration") { return .other }
        if s.contains("phone") || s.contains("call") || s.contains("hotline") || s.contains("voice") { return .phone }
        if s.contains("app") || s.contains("mobile") || s.contains("twitter") { return .app }
        if s.contains("web") || s.contains("online") || s.contains("self service") || s.contains("email") { return .web }
        return .other
    }

    /// An ASCII code for a free-text name (`Street Condition` → `street-condition`), usable as a
    /// unit or category code.
    public static func slug(_ text: String) -> String {
        var out = ""
        var dash = false
        for scalar in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(scalar) || ("0"..."9").contains(scalar) {
                out.unicodeScalars.append(scalar)
                dash = false
            } else if !dash && !out.isEmpty {
                out.append("-")
                dash = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        // Two slugs and a dot must fit a 64-character code.
        return String((out.isEmpty ? "x" : out).prefix(30))
    }
}

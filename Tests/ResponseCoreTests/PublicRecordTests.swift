import Foundation
import ResponseCore
import Testing

@Suite("Open data records")
struct PublicRecordTests {
    static let names = PublicRecord.Names(
        units: ["cy": "朝阳区", "cy-01": "建外街道", "water": "自来水公司"],
        categories: ["01": ("城乡建设", nil), "01.02": ("市政管理", "01"), "01.02.03": ("供水", "01.02"), "09": ("纪检监察", nil), "09.01": ("举报", "09")])

    static func ticket(kind: TicketKind = .complaint, category: String? = "01.02.03", status: TicketStatus = .replied) -> Ticket {
        let new = NewTicket(kind: kind, channel: .app, title: "张三家停水 13912345678", description: "我是张三，住建外街道8号楼，电话13912345678",
                            categoryCode: category,
                            location: Location(latitude: 39.912_345, longitude: 116.456_789, address: "建外街道8号楼", districtCode: "cy", streetCode: "cy-01"),
                            complainant: Complainant(name: "张三", phone: "13912345678", email: "zs@example.com", anonymous: false))
        var (t, _) = new.makeTicket(id: "id", number: "20261125-000001", tenantID: "c", actor: Actor(name: "a", role: .agent),
                                    now: Date(timeIntervalSince1970: 1_795_600_000))
        t.status = status
        t.leadUnit = "water"
        t.reply = "已联系张三（13912345678），管道已修复。"
        return t
    }

    @Test("no personal data; place coarsened; names from the taxonomy; the city's time")
    func record() throws {
        let r = PublicRecord(Self.ticket(), names: Self.names, policy: .init(), timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        let json = String(decoding: try JSONEncoder().encode(r), as: UTF8.self)
        for secret in ["张三", "13912345678", "zs@example.com", "8号楼", "停水"] { #expect(!json.contains(secret), "\(secret) leaked: \(json)") }
        #expect(r.latitude == 39.912 && r.longitude == 116.457)
        #expect(r.complaintType == "城乡建设" && r.descriptor == "供水")
        #expect(r.agency == "water" && r.agencyName == "自来水公司" && r.borough == "朝阳区")
        #expect(r.status == "Pending" && r.openDataChannelType == "MOBILE" && r.kind == "complaint")
        #expect(r.createdDate.hasSuffix("+08:00"), "\(r.createdDate)")
        #expect(r.resolutionDescription == "已联系[name]（[phone]），管道已修复。")
        #expect(r.csvLine.split(separator: ",", omittingEmptySubsequences: false).count == PublicRecord.columns.count)
        #expect(PublicRecord.columns.first == "unique_key" && PublicRecord.columns.contains("complaint_type"))
    }

    @Test("sensitive categories and kinds lose place and reply")
    func sensitive() {
        let policy = PublicRecord.Policy(coordinateDecimals: 2, sensitiveCategories: ["09"])
        let zone = TimeZone(identifier: "UTC")!
        let plain = PublicRecord(Self.ticket(), names: Self.names, policy: policy, timeZone: zone)
        #expect(plain.latitude == 39.91 && plain.longitude == 116.46)
        for t in [Self.ticket(category: "09.01"), Self.ticket(kind: .report)] {
            let r = PublicRecord(t, names: Self.names, policy: policy, timeZone: zone)
            #expect(r.latitude == nil && r.longitude == nil && r.resolutionDescription == nil)
            #expect(r.uniqueKey == "20261125-000001")
        }
    }

    @Test func statuses() {
        let expected: [TicketStatus: String] = [
            .received: "Open", .dispatched: "Assigned", .returned: "Assigned", .arbitration: "Assigned", .accepted: "In Progress",
            .contacted: "In Progress", .reopened: "In Progress", .replied: "Pending", .evaluated: "Pending", .answered: "Closed",
            .closed: "Closed", .merged: "Closed",
        ]
        for status in TicketStatus.allCases { #expect(PublicRecord.status(status) == expected[status], "\(status)") }
    }
}

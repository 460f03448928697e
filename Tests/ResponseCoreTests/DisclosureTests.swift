import Foundation
import ResponseCore
import Testing

@Suite("The disclosure policy and its redactor (no I/O)")
struct DisclosureTests {
    static let redact = Redactor(names: ["王芳", "Jane Doe"])

    @Test("phone numbers in every common writing become [phone]", arguments: [
        "13912345678", "139 1234 5678", "139-1234-5678", "+86 139 1234 5678", "+8613912345678", "008613912345678",
        "010-12345678", "(010)12345678", "(0731) 8888 1234", "0731-88881234", "+86 10 1234 5678",
        "+1 617-555-0100", "+44 20 7946 0958", "(617) 555-0100", "617-555-0100", "617.555.0100",
    ])
    func phones(_ phone: String) {
        #expect(Self.redact("请回电 \(phone) 谢谢") == "请回电 [phone] 谢谢", "\(phone)")
        #expect(Self.redact("请回电\(phone)。") == "请回电[phone]。", "\(phone) between CJK characters")
    }

    @Test("e-mail, ID card, long numbers, plates and names")
    func otherContacts() {
        #expect(Self.redact("邮箱 wang.fang+1@example.com.cn") == "邮箱 [email]")
        #expect(Self.redact("身份证110105199003071234") == "身份证[ID]")
        #expect(Self.redact("身份证 11010519900307123X 号") == "身份证 [ID] 号")
        #expect(Self.redact("号码 12345678 是座机") == "号码 [number] 是座机")
        #expect(Self.redact("车牌京A12345停在门口") == "车牌[plate]停在门口")
        #expect(Self.redact("粤B·D12345 新能源") == "[plate] 新能源")
        #expect(Self.redact("我是王芳，楼下的JANE DOE也知道") == "我是[name]，楼下的[name]也知道")
    }

    @Test("numbers in full-width digits are redacted too; short digit runs between words are not numbers")
    func scriptsAndSeparators() {
        #expect(Self.redact("电话１３９１２３４５６７８") == "电话[number]")
        #expect(Redactor.hasLongNumber("(617) 555-0100"))
        #expect(Redactor.hasLongNumber("号码 1234567"))
        #expect(!Redactor.hasLongNumber("2026年11月28日 3号楼12层1203室"))
        #expect(!Redactor.hasLongNumber("123abc4567"))
    }

    @Test("ticket numbers, dates, times, house numbers and money stay", arguments: [
        "见工单 20261128-000001 的回复", "2026-11-28 08:30 停水", "3号楼12层1203室", "罚款2000元", "2026年11月28日",
        "order 20261128-000001 and 20261128-000002", "12:30-13:45", "第2026号文件",
    ])
    func leftAlone(_ text: String) {
        #expect(Self.redact(text) == text)
    }

    static func ticket(kind: TicketKind = .complaint, category: String = "01.02.03", attributes: [String: [String]] = [:]) -> Ticket {
        let new = NewTicket(kind: kind, channel: .phone, title: "王芳反映停水 13912345678", description: "王芳，电话13912345678，邮箱wf@example.com，身份证110105199003071234",
                            categoryCode: category,
                            location: Location(latitude: 39.912_345, longitude: 116.456_789, address: "建外街道8号楼 王芳家", districtCode: "cy", streetCode: "cy-01"),
                            complainant: Complainant(name: "王芳", phone: "13912345678", email: "wf@example.com"))
        var (t, _) = new.makeTicket(id: "id", number: "20261125-000001", tenantID: "c", actor: Actor(name: "a", role: .agent), now: Date(timeIntervalSince1970: 1_795_600_000))
        t.reply = "已联系王芳（010-87654321），已修复。"
        t.attributes = attributes
        t.leadUnit = "water"
        return t
    }

    static let planted = ["王芳", "13912345678", "wf@example.com", "110105199003071234", "010-87654321"]

    @Test("staff without contacts: complainant masked, every text redacted; with contacts: everything")
    func staff() throws {
        let disclosure = Disclosure()
        let t = Self.ticket()
        let masked = disclosure.staffView(t, contacts: false)
        let json = String(decoding: try JSONEncoder().encode(masked), as: UTF8.self)
        for secret in Self.planted { #expect(!json.contains(secret), "\(secret) shown: \(json)") }
        #expect(masked.complainant.phone == "139****5678" && masked.title == "[name]反映停水 [phone]")
        #expect(masked.location.districtCode == "cy" && masked.location.latitude == t.location.latitude, "staff keep the exact place")
        #expect(disclosure.staffView(t, contacts: true) == t)

        let event = TicketEvent(sequence: 3, ticketID: "id", tenantID: "c", type: .contacted, at: .now, actor: .system, fromStatus: .accepted, toStatus: .contacted,
                                payload: ["note": "打了王芳的手机13912345678", "unit": "water", "deadline": "2026-11-28T08:00:00Z"])
        let shown = disclosure.staffView(event, of: t, contacts: false)
        #expect(shown.payload == ["note": "打了[name]的手机[phone]", "unit": "water", "deadline": "2026-11-28T08:00:00Z"])
        #expect(disclosure.staffView(event, of: t, contacts: true) == event)
    }

    @Test("the public: no complainant, texts redacted, place rounded; a sensitive request shows no text and no place finer than the district")
    func publicView() throws {
        let disclosure = Disclosure(coordinateDecimals: 3, sensitiveCategories: ["09"])
        let plain = disclosure.publicView(Self.ticket())
        let json = String(decoding: try JSONEncoder().encode(plain), as: UTF8.self)
        for secret in Self.planted { #expect(!json.contains(secret), "\(secret) shown: \(json)") }
        #expect(!plain.sensitive && plain.latitude == 39.912 && plain.longitude == 116.457 && plain.streetCode == "cy-01")
        #expect(plain.reply == "已联系[name]（[phone]），已修复。" && plain.address == "建外街道8号楼 [name]家")

        for t in [Self.ticket(kind: .report), Self.ticket(category: "09.01"), Self.ticket(attributes: ["private": ["true"]])] {
            let view = disclosure.publicView(t)
            #expect(view.sensitive)
            #expect(view.title == nil && view.description == nil && view.reply == nil && view.address == nil)
            #expect(view.latitude == nil && view.longitude == nil && view.streetCode == nil && view.mediaURL == nil)
            #expect(view.districtCode == "cy" && view.categoryCode == t.categoryCode && view.status == t.status)
            #expect(disclosure.publicText("已修复", of: t) == nil)
        }
        #expect(Disclosure(coordinateDecimals: 2).publicView(Self.ticket()).latitude == 39.91)
    }

    @Test("the access rule for an action, as the desk applies it in the action's transaction")
    func accessCheck() throws {
        var t = Self.ticket()
        t.oversight.summons = [Summons(unit: "gas", summonedAt: t.createdAt, arriveBy: t.createdAt.addingTimeInterval(3600))]
        let water = TicketAccess(Actor(name: "h", role: .handler, unitCode: "water"))
        let gas = TicketAccess(Actor(name: "h2", role: .handler, unitCode: "gas"))
        let power = TicketAccess(Actor(name: "h3", role: .handler, unitCode: "power"))
        try water.check(.reply(text: "fixed", resolved: true), on: t, filedBy: nil)
        #expect(throws: TicketAccess.Refusal.notVisible) { try power.check(.reply(text: "x", resolved: true), on: t, filedBy: nil) }
        #expect(throws: TicketAccess.Refusal.forbidden("only the lead unit may reply this ticket")) { try gas.check(.reply(text: "x", resolved: true), on: t, filedBy: nil) }
        try gas.check(.acknowledgeSummons(unit: "gas"), on: t, filedBy: nil)
        #expect(throws: TicketAccess.Refusal.forbidden("a handler answers summons for its own unit only")) {
            try water.check(.acknowledgeSummons(unit: "gas"), on: t, filedBy: nil)
        }
        let app = TicketAccess(Actor(name: "app", role: .integration))
        try app.check(.comment(text: "still broken", details: [:]), on: t, filedBy: "app")
        #expect(throws: TicketAccess.Refusal.forbidden("an integration may comment only the tickets it filed")) {
            try app.check(.comment(text: "still broken", details: [:]), on: t, filedBy: "other-app")
        }
        // A complainant through a follow-up link: the rating and what it leads to, only while
        // the ticket waits for it; nothing else ever.
        let complainant = TicketAccess(Actor(name: "link", role: .complainant))
        let rating = Evaluation(contacted: true, resolved: true, satisfaction: .satisfied)
        #expect(throws: TicketAccess.Refusal.forbidden("this request is not waiting for a rating")) {
            try complainant.check(.evaluate(rating), on: t, filedBy: nil)
        }
        t.status = .replied
        try complainant.check(.evaluate(rating), on: t, filedBy: nil)
        try complainant.check(.close(note: nil), on: t, filedBy: nil)
        for kind in TicketAction.Kind.allCases where ![.evaluate, .close, .reopen].contains(kind) {
            #expect(!complainant.may(kind, on: t), "\(kind)")
        }
        for permission in [Permission.readTickets, .comment, .readAssessment, .createTicket, .followUp] {
            #expect(!Role.complainant.allows(permission), "\(permission)")
        }
    }

    @Test("the access rule: who sees contacts and acts")
    func access() {
        var t = Self.ticket()
        let handler = TicketAccess(Actor(name: "h", role: .handler, unitCode: "water"))
        let other = TicketAccess(Actor(name: "h2", role: .handler, unitCode: "gas"))
        #expect(handler.maySeeContacts(t) && !other.maySeeContacts(t))
        #expect(handler.may(.reply, on: t) && !other.may(.reply, on: t))
        #expect(TicketAccess(Actor(name: "a", role: .agent)).maySeeContacts(t))
        for role in [Role.dispatcher, .admin, .integration] { #expect(!TicketAccess(Actor(name: "x", role: role)).maySeeContacts(t), "\(role)") }
        t.complainant.anonymous = true
        #expect(!handler.maySeeContacts(t), "never an anonymous complainant's")
        #expect(handler.audience(for: t) == .staff(contacts: false))
    }

    @Test("CSV text cells cannot start a spreadsheet formula; numbers stay numbers")
    func csvCells() {
        #expect(CSVTable.textField("=HYPERLINK(\"http://x\")") == "\"'=HYPERLINK(\"\"http://x\"\")\"")
        for lead in ["+", "-", "@", "\t"] { #expect(CSVTable.textField(lead + "cmd").hasPrefix("'"), "\(lead)") }
        #expect(CSVTable.textField("plain") == "plain")
        var t = Self.ticket()
        t.reply = "=1+1"
        let line = PublicRecord(t, names: .init(units: [:], categories: [:]), policy: Disclosure(), timeZone: .gmt).csvLine
        #expect(line.contains(",'=1+1,") && line.contains(",116.457,"), "\(line)")
    }
}


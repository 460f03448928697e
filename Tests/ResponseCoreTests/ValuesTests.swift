import Foundation
import Testing
@testable import ResponseCore

@Suite("Masking of personal data")
struct MaskingTests {
    @Test func phonesKeepHeadAndTail() {
        #expect(Complainant.maskPhone("13912345678") == "139****5678")
        #expect(Complainant.maskPhone("5551234") == "***1234")
        #expect(Complainant.maskPhone("123") == "***")
    }

    @Test func emailsAndNames() {
        #expect(Complainant.maskEmail("zhang.san@example.com") == "z***@example.com")
        #expect(Complainant.maskEmail("broken") == "***")
        #expect(Complainant.maskName("张三丰") == "张**")
    }

    @Test func anonymousHidesTheName() {
        let c = Complainant(name: "王五", phone: "13800001111", email: "w@x.cn", anonymous: true).masked()
        #expect(c.name == nil)
        #expect(c.phone == "138****1111")
        #expect(c.email == "w***@x.cn")
        #expect(c.anonymous)
    }

    @Test func rolesThatSeeContactDetails() {
        #expect(Role.agent.allows(.seeContactDetails))
        #expect(Role.supervisor.allows(.seeContactDetails))
        #expect(!Role.dispatcher.allows(.seeContactDetails))
        #expect(!Role.admin.allows(.seeContactDetails))
        #expect(!Role.integration.allows(.seeContactDetails))
    }
}

@Suite("Values")
struct ValuesTests {
    @Test func ticketNumbers() {
        #expect(TicketNumber(day: "20261125", sequence: 123).description == "20261125-000123")
        #expect(TicketNumber("20261125-000123")?.sequence == 123)
        #expect(TicketNumber("20261125-123") == nil)
        #expect(TicketNumber("2026112-000123") == nil)
        #expect(TicketNumber("x'; DROP") == nil)
        let date = Date(timeIntervalSince1970: 1_795_536_000)  // 2026-11-24 16:00 UTC = 25th in Shanghai
        #expect(TicketNumber.day(of: date, in: TimeZone(identifier: "Asia/Shanghai")!) == "20261125")
        #expect(TicketNumber.day(of: date, in: TimeZone(identifier: "UTC")!) == "20261124")
    }

    @Test func csvWithQuotesCommasAndLineBreaks() {
        let t = CSVTable(text: "a,b,c\r\n1,\"x, y\",\"he said \"\"hi\"\"\"\n2,\"line\nbreak\",\n")
        #expect(t.header == ["a", "b", "c"])
        #expect(t.rows.count == 2)
        #expect(t.rows[0] == ["1", "x, y", "he said \"hi\""])
        #expect(t.rows[1] == ["2", "line\nbreak", ""])
        #expect(t.value(t.rows[1], "c") == nil)
    }

    @Test("a quote inside an unquoted field is a character; a CRLF inside a value is quoted when written (both found by fuzzing)")
    func csvStrayQuotesAndCRLF() {
        let t = CSVTable(text: "id,what\n1,12\" pipe burst\n2,\"ok\"\n3,\"\"x\"\n")
        #expect(t.rows == [["1", "12\" pipe burst"], ["2", "ok"], ["3", "x\""]], "a stray quote swallowed the rows after it")
        #expect(CSVTable.field("line\r\nbreak") == "\"line\r\nbreak\"")
        let written = "a,b\n" + [["x\r\ny", "z"]].map { $0.map(CSVTable.field).joined(separator: ",") }.joined(separator: "\n")
        #expect(CSVTable(text: written).rows == [["x\r\ny", "z"]])
    }

    @Test func taxonomyCodesAreStable() throws {
        let csv = "一级分类,二级分类,三级分类\n城乡建设,安全生产,事故处理\n城乡建设,安全生产,安全隐患\n城乡建设,城市建设,环境卫生\n环境保护,污染,噪音\n"
        let tax = try CategoryTaxonomy.parse(csv: csv, tenantID: "c")
        #expect(tax.categories.map(\.code) == ["01", "01.01", "01.01.01", "01.01.02", "01.02", "01.02.01", "02", "02.01", "02.01.01"])
        #expect(tax.path(of: "01.02.01") == ["城乡建设", "城市建设", "环境卫生"])
        #expect(tax.category("02.01")?.parentCode == "02")
        #expect(throws: ValidationError.self) { try CategoryTaxonomy.parse(csv: "h,h,h\na,b\n", tenantID: "c") }
    }

    @Test func newTicketValidation() {
        var t = NewTicket(kind: .complaint, channel: .web, title: " ", description: "d")
        #expect(t.validationErrors().map(\.field) == ["title"])
        t.title = String(repeating: "长", count: 201)
        #expect(t.validationErrors().map(\.field) == ["title"])
        // Limits count what is stored: one letter with 300,000 combining marks is one Character
        // but 600 KB.
        t.title = "e" + String(repeating: "\u{0301}", count: 300_000)
        #expect(t.title.count == 1)
        #expect(t.validationErrors().map(\.field) == ["title"])
        t.title = String(repeating: "长", count: 200)
        t.description = String(repeating: "\u{1F600}", count: 10_000)  // 4 bytes each: 40,000 bytes is the most
        #expect(t.validationErrors().isEmpty)
        t.description += "\u{0301}"
        #expect(t.validationErrors().map(\.field) == ["description"])
        t.description = "d"
        t.title = "ok"
        t.location = Location(latitude: 91, longitude: 181)
        #expect(Set(t.validationErrors().map(\.field)) == ["location.latitude", "location.longitude"])
        t.location = Location(latitude: 39.9, longitude: nil)
        #expect(t.validationErrors().map(\.field) == ["location.longitude"])
        t.location = Location(latitude: .nan, longitude: 116)
        #expect(t.validationErrors().map(\.field) == ["location.latitude"])
        t.location = nil
        t.complainant = Complainant(phone: "138; DROP TABLE", email: "nope")
        #expect(Set(t.validationErrors().map(\.field)) == ["complainant.phone", "complainant.email"])
        t.complainant = nil
        t.categoryCode = "01.02'--"
        #expect(t.validationErrors().map(\.field) == ["categoryCode"])
    }

    @Test func cursorsRoundTripAndRejectJunk() {
        let c = TicketQuery.Cursor(key: 1_795_000_000_123, id: "0b7a-ff")
        #expect(TicketQuery.Cursor(token: c.token) == c)
        #expect(TicketQuery.Cursor(token: "!!!") == nil)
        #expect(TicketQuery.Cursor(token: Data("abc".utf8).base64EncodedString()) == nil)
    }

    @Test func unknownEnumValuesNameTheChoices() {
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(TicketKind.self, from: Data("\"complain\"".utf8)) }
        do {
            _ = try JSONDecoder().decode([TicketKind].self, from: Data("[\"complain\"]".utf8))
            Issue.record("decoded an unknown kind")
        } catch DecodingError.dataCorrupted(let context) {
            #expect(context.debugDescription.contains("consultation, help, complaint"))
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func ticketIDsAreTimeOrderedUUIDs() {
        let t = Date(timeIntervalSince1970: 1_794_960_000)
        let a = TicketID.make(at: t), b = TicketID.make(at: t.addingTimeInterval(0.001)), c = TicketID.make(at: t.addingTimeInterval(3600))
        #expect(a < b && b < c)
        #expect(UUID(uuidString: a) != nil)
        #expect(Array(a)[14] == "7")  // version nibble
        #expect(TicketID.make(at: t) != TicketID.make(at: t))
        #expect(a.hasPrefix("01a1ebf4-0400-7"))  // 1794960000000 ms = 0x01A1EBF40400
    }
}

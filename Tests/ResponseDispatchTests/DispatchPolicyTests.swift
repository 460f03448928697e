import Foundation
import ResponseCore
import ResponseDispatch
import Testing

@Suite("Dispatch catalogue, gazetteer, duplicates and the city dispatcher")
struct DispatchPolicyTests {
    static let units: [OrgUnit] = [
        OrgUnit(code: "cy", tenantID: "t", name: "朝阳区", kind: .district),
        OrgUnit(code: "cy-sl", tenantID: "t", name: "三里屯街道", kind: .street, parentCode: "cy"),
        OrgUnit(code: "hd", tenantID: "t", name: "海淀区", kind: .district),
        OrgUnit(code: "bk", tenantID: "t", name: "Brooklyn", kind: .district),
        OrgUnit(code: "water", tenantID: "t", name: "自来水公司", kind: .company),
        OrgUnit(code: "env", tenantID: "t", name: "生态环境局", kind: .department),
    ]
    static let categories: [ResponseCore.Category] = [
        .init(code: "01", tenantID: "t", name: "城建", level: 1, parentCode: nil),
        .init(code: "01.01", tenantID: "t", name: "噪音", level: 2, parentCode: "01"),
        .init(code: "02", tenantID: "t", name: "公用事业", level: 1, parentCode: nil),
        .init(code: "02.01", tenantID: "t", name: "供水", level: 2, parentCode: "02"),
    ]
    static let catalogue = """
    category,jurisdiction,lead,co_units
    # utilities first
    02.01,*,water,
    01,@street,@street,env
    01,*,env,
    """

    @Test("the first matching catalogue row wins; @street resolves to the located street")
    func catalogueRules() throws {
        let c = try DispatchCatalogue.parse(csv: Self.catalogue)
        #expect(c.rules.count == 3)
        #expect(c.match(category: "02.01", district: "cy", street: "cy-sl")?.lead == "water")
        let street = try #require(c.match(category: "01.01", district: "cy", street: "cy-sl"))
        #expect(street.lead == "cy-sl" && street.rule.coUnits == ["env"] && street.rule.line == 4)
        #expect(c.match(category: "01.01", district: "cy", street: nil)?.lead == "env")
        #expect(c.match(category: "010", district: nil, street: nil) == nil, "a prefix matches whole code segments only")
        #expect(c.match(category: nil, district: nil, street: nil) == nil)
        #expect(throws: DispatchCatalogue.ParseError.self) { try DispatchCatalogue.parse(csv: "category,jurisdiction,lead\n01,,env") }
    }

    @Test("the gazetteer finds districts, streets and aliases in free text and learns addresses")
    func gazetteer() {
        var g = Gazetteer(units: Self.units)
        #expect(g.resolve(address: nil, text: "朝阳区某小区停水")?.districtCode == "cy")
        #expect(g.resolve(address: nil, text: "朝阳那边有个工地")?.districtCode == "cy", "short alias")
        let street = g.resolve(address: nil, text: "三里屯酒吧街噪音")
        #expect(street?.streetCode == "cy-sl" && street?.districtCode == "cy", "street wins and brings its district")
        #expect(g.resolve(address: "123 Atlantic Ave, Brooklyn", text: "pothole")?.districtCode == "bk")
        #expect(g.resolve(address: nil, text: "no place named here") == nil)
        g.learn(address: "光华路 1 号", districtCode: "cy", streetCode: "cy-sl", point: nil)
        #expect(g.resolve(address: "光华路1号", text: "")?.streetCode == "cy-sl", "normalised: spaces do not matter")
    }

    @Test("a near-identical report nearby is a duplicate; far away or different text is not")
    func duplicates() {
        var finder = DuplicateFinder()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        var t = Ticket(id: "1", tenantID: "t", number: "20261125-000001", kind: .complaint, channel: .phone,
                       title: "三里屯路口井盖丢失", description: "三里屯路口的井盖丢失了，晚上很危险，请尽快处理", categoryCode: "01.01",
                       location: Location(latitude: 39.93, longitude: 116.45), complainant: Complainant(phone: "13800000000"), createdAt: now)
        finder.remember(t)
        let same = finder.candidate(text: "三里屯路口井盖丢失\n三里屯路口的井盖丢失了，晚上很危险，请尽快处理！", category: "01.01",
                                    point: GeoPoint(latitude: 39.9301, longitude: 116.4501), place: nil, at: now.addingTimeInterval(3600))
        #expect(same?.number == t.number)
        #expect((same?.similarity ?? 0) >= 0.9)
        #expect(finder.candidate(text: "三里屯路口井盖丢失 三里屯路口的井盖丢失了", category: "01.01",
                                 point: GeoPoint(latitude: 39.99, longitude: 116.45), place: nil, at: now) == nil, "7 km away")
        #expect(finder.candidate(text: "海淀区学校门口乱停车严重影响交通秩序", category: "01.01",
                                 point: GeoPoint(latitude: 39.9301, longitude: 116.4501), place: nil, at: now) == nil, "different problem")
        #expect(finder.candidate(text: t.title + "\n" + t.description, category: "01.01", point: GeoPoint(latitude: 39.93, longitude: 116.45),
                                 place: nil, at: now.addingTimeInterval(30 * 86_400)) == nil, "outside the time window")
        #expect(finder.repeatCall(phone: "13800000000", category: "01.01", at: now.addingTimeInterval(60)) == t.number)
        t.number = "x"
        #expect(finder.repeatCall(phone: "13900000000", category: "01.01", at: now) == nil)
    }

    @Test("the city dispatcher routes by catalogue when confident and queues when not, saying why")
    func decisions() throws {
        let history = (0..<30).flatMap { i -> [Ticket] in
            let day = Date(timeIntervalSince1970: 1_800_000_000 + Double(i) * 3600)
            return [
                Ticket(id: "n\(i)", tenantID: "t", number: "n\(i)", kind: .complaint, channel: .phone, title: "夜间施工噪音扰民\(i)",
                       description: "工地晚上施工噪音很大", categoryCode: "01.01", leadUnit: "env", status: .closed, createdAt: day),
                Ticket(id: "w\(i)", tenantID: "t", number: "w\(i)", kind: .complaint, channel: .phone, title: "小区停水\(i)",
                       description: "自来水停了一整天没有水", categoryCode: "02.01", leadUnit: "water", status: .closed, createdAt: day),
            ]
        }
        let city = CityDispatcher(units: Self.units, categories: Self.categories, catalogue: try DispatchCatalogue.parse(csv: Self.catalogue), history: history)
        let now = Date(timeIntervalSince1970: 1_900_000_000)

        let given = city.decide(NewTicket(kind: .complaint, channel: .web, title: "停水", description: "三里屯停水", categoryCode: "02.01"), now: now)
        #expect(given.automatic && given.leadUnit == "water" && given.confidence == 1)
        #expect(given.triage.notes["basis"]?.hasPrefix("catalogue line 3") == true)
        #expect(given.triage.streetCode == "cy-sl", "located by the gazetteer")

        let learned = city.decide(NewTicket(kind: .complaint, channel: .phone, title: "我家停水了", description: "自来水停了没有水用"), now: now)
        #expect(learned.categorySuggestions.first?.label == "02.01")
        #expect(learned.triage.categoryCode == "02.01", "a confident category is recorded")

        let consultation = city.decide(NewTicket(kind: .consultation, channel: .phone, title: "停水", description: "停水", categoryCode: "02.01"), now: now)
        #expect(!consultation.automatic, "consultations stay with the call-taker")

        let unknown = city.decide(NewTicket(kind: .complaint, channel: .phone, title: "?", description: ""), now: now)
        #expect(!unknown.automatic)
        #expect(unknown.triage.notes["decision"] == "dispatcher queue")
    }
}

import Foundation
import ResponseCore
import ResponseDispatch
import ResponseStore

/// The demo city of `swift-response serve --demo`: a taxonomy, districts with their streets,
/// departments and public-service companies, five demo users and a few hundred tickets in every
/// state, built from real citizen messages (see Resources/demo/SOURCES.md). Clearly marked as demo data.
public struct DemoCity: Sendable {
    public static let tenant = Tenant(id: "demo", name: "示范市 Demo City (demo data)", timeZone: "Asia/Shanghai")

    /// What was loaded, for the start-up banner.
    public struct Summary: Sendable {
        public var users: [(username: String, role: Role, unit: String?)]
        public var password: String
        public var tickets: Int
        public var units: Int
        public var categories: Int
    }

    /// Districts named as the messages name them (`A3区`), each with three streets.
    static let districts: [(code: String, name: String, streets: [String])] = [
        ("a1", "A1区", ["东风街道", "文艺路街道", "韭菜园街道"]),
        ("a2", "A2区", ["桂花坪街道", "新开铺街道", "坡子街街道"]),
        ("a3", "A3区", ["洋湖街道", "望月湖街道", "岳麓街道"]),
        ("a4", "A4区", ["伍家岭街道", "四方坪街道", "洪山街道"]),
        ("a5", "A5区", ["雨花亭街道", "高桥街道", "井湾子街道"]),
        ("a6", "A6区", ["星沙街道", "泉塘街道", "湘龙街道"]),
        ("a7", "A7区", ["金星街道", "月亮岛街道", "白沙洲街道"]),
        ("k8", "K8县", ["城关镇", "丁字镇", "桥驿镇"]),
    ]

    /// Municipal departments by the first-level category they answer for.
    static let departments: [(code: String, name: String, category: String)] = [
        ("housing", "市住房和城乡建设局", "城乡建设"),
        ("hrss", "市人力资源和社会保障局", "劳动和社会保障"),
        ("education", "市教育局", "教育文体"),
        ("commerce", "市商务局", "商贸旅游"),
        ("health", "市卫生健康委员会", "卫生计生"),
        ("ecology", "市生态环境局", "环境保护"),
        ("transport", "市交通运输局", "交通运输"),
    ]

    static let companies: [(code: String, name: String)] = [
        ("water", "市自来水公司"), ("power", "国网市供电公司"), ("gas", "市燃气集团"), ("heating", "市热力公司"), ("telecom", "市电信公司"),
    ]

    /// Loads the demo city into `store` unless it is already there.
    /// - Parameters:
    ///   - password: Password of every demo user.
    ///   - clock: Demo tickets are spread over the 30 days before its `now`.
    ///   - city: The demo city with its rules (``tenant`` and the deadlines the demo tickets get).
    public static func load(into store: any TicketStore, password: String, clock: any WallClock, city: City, bcryptCost: UInt8 = 10) async throws -> Summary {
        let tenant = Self.tenant
        let users: [(String, Role, String?)] = [
            ("agent", .agent, nil), ("dispatcher", .dispatcher, nil), ("handler", .handler, "a3-01"),
            ("supervisor", .supervisor, nil), ("admin", .admin, nil),
        ]
        let now = clock.now()
        try await store.saveTenant(tenant)
        try await saveUsers(users, password: password, cost: bcryptCost, into: store, now: now)
        let summary = { (tickets: Int, units: Int, categories: Int) in
            Summary(users: users.map { ($0.0, $0.1, $0.2) }, password: password, tickets: tickets, units: units, categories: categories)
        }
        let existing = try await store.countTickets(tenantID: tenant.id)
        if existing > 0 {
            _ = try await loadArticles(into: store, now: now)
            return summary(existing, try await store.units(tenantID: tenant.id).count, try await store.categories(tenantID: tenant.id).count)
        }

        let (taxonomy, units) = try await saveReferenceData(into: store)
        let count = try await fileMessages(into: store, taxonomy: taxonomy, now: now, city: city)
        try await seedInsight(into: store, taxonomy: taxonomy, now: now)
        _ = try await loadArticles(into: store, now: now)
        return summary(count + 15, units.count, taxonomy.categories.count)
    }

    /// The demo users, created or given the demo password again.
    static func saveUsers(_ users: [(String, Role, String?)], password: String, cost: UInt8, into store: any TicketStore, now: Date) async throws {
        let hash = try await Secrets.hashPassword(password, cost: cost)
        for (name, role, unit) in users {
            if var existing = try await store.user(username: name) {
                existing.passwordHash = hash
                existing.active = true
                try await store.updateUser(existing)
            } else {
                try await store.createUser(User(username: name, tenantID: tenant.id, displayName: "Demo \(name)", role: role, unitCode: unit, passwordHash: hash, createdAt: now))
            }
        }
    }

    /// The taxonomy and the units: districts and their streets, departments, companies.
    static func saveReferenceData(into store: any TicketStore) async throws -> (CategoryTaxonomy, [OrgUnit]) {
        let taxonomy = try CategoryTaxonomy.parse(csv: try resource("taxonomy.csv"), tenantID: tenant.id)
        for category in taxonomy.categories { try await store.saveCategory(category) }
        var units: [OrgUnit] = []
        for (i, d) in districts.enumerated() {
            units.append(OrgUnit(code: d.code, tenantID: tenant.id, name: d.name, kind: .district, population: 600_000 + i * 75_000))
            for (j, street) in d.streets.enumerated() {
                units.append(OrgUnit(code: "\(d.code)-0\(j + 1)", tenantID: tenant.id, name: street, kind: .street, parentCode: d.code, population: 60_000 + (i * 7 + j * 13) % 9 * 10_000))
            }
        }
        for dep in departments { units.append(OrgUnit(code: dep.code, tenantID: tenant.id, name: dep.name, kind: .department)) }
        for co in companies { units.append(OrgUnit(code: co.code, tenantID: tenant.id, name: co.name, kind: .company)) }
        for unit in units { try await store.saveUnit(unit) }
        return (taxonomy, units)
    }

    /// The real messages as tickets over the 30 days before `now`, walked through the real state
    /// machine to every stage; every 25th a duplicate of an open one before it.
    /// - Returns: How many were filed.
    static func fileMessages(into store: any TicketStore, taxonomy: CategoryTaxonomy, now: Date, city: City) async throws -> Int {
        let tenant = Self.tenant
        let table = CSVTable(text: try resource("messages.csv"))
        let demoClock = ManualClock(now.addingTimeInterval(-30 * 86_400))
        let step = 30 * 86_400.0 / Double(max(1, table.rows.count))
        var count = 0
        var previous: Ticket? = nil
        for (i, row) in table.rows.enumerated() {
            guard let title = table.value(row, "title"), let detail = table.value(row, "detail"), let level1 = table.value(row, "category") else { continue }
            demoClock.set(now.addingTimeInterval(-30 * 86_400 + Double(i) * step))
            let district = districts.first { detail.contains($0.name) || title.contains($0.name) }
            let street = district.map { "\($0.code)-0\(i % 3 + 1)" }
            let category = pickCategory(level1: level1, text: title + detail, taxonomy: taxonomy)
            let kinds: [TicketKind] = [.complaint, .complaint, .help, .report, .suggestion, .consultation, .complaint, .praise]
            let new = NewTicket(
                kind: kinds[i % kinds.count], channel: [.phone, .phone, .phone, .web, .app, .wechat][i % 6],
                title: String(title.prefix(NewTicket.maxTitle)), description: detail, categoryCode: category,
                urgency: i % 17 == 0 ? .urgent : .normal,
                location: Location(latitude: street.flatMap { demoPoint(street: $0, i: i) }?.latitude, longitude: street.flatMap { demoPoint(street: $0, i: i) }?.longitude,
                                   address: district.map { "\($0.name)（演示地址）" }, districtCode: district?.code, streetCode: street),
                complainant: Complainant(name: "演示用户\(i + 1)", phone: String(format: "1380000%04d", i), email: nil, anonymous: i % 11 == 0)
            )
            let agent = Actor(name: "agent", role: .agent)
            let (ticket, _) = try await store.createTicket(new, tenant: tenant, actor: agent, now: demoClock.now())
            let lead = street ?? departments.first { $0.category == level1 }?.code ?? "housing"
            if i % 25 == 24, let parent = previous {
                // Every 25th message is filed as a duplicate of the one before it.
                _ = try await store.apply(.merge(into: parent.number), number: ticket.number, tenantID: tenant.id, expectedVersion: nil,
                                          context: city.context(now: demoClock.now(), actor: Actor(name: "dispatcher", role: .dispatcher))) { _ in }
            } else {
                let walked = try await walk(ticket, to: i % 10, lead: lead, store: store, clock: demoClock, city: city)
                // Duplicates join open tickets only (``TicketStateMachine/checkMergeTarget(_:number:)``).
                if !walked.status.isFinal { previous = walked }
            }
            count += 1
        }
        return count
    }

    /// Moves a demo ticket along the lifecycle: `stage` 0 leaves it received, 9 closes it.
    /// - Returns: The ticket after its last step.
    @discardableResult
    static func walk(_ ticket: Ticket, to stage: Int, lead: String, store: any TicketStore, clock: ManualClock, city: City) async throws -> Ticket {
        let dispatcher = Actor(name: "dispatcher", role: .dispatcher)
        let handler = Actor(name: "handler", role: .handler, unitCode: lead)
        let agent = Actor(name: "agent", role: .agent)
        var steps: [(TicketAction, Actor)] = []
        if ticket.kind == .consultation && stage >= 5 {
            steps = [(.answer(text: "已根据知识库当场答复（演示数据）。"), agent)]
        } else {
            let all: [(TicketAction, Actor)] = [
                (.dispatch(leadUnit: lead, coUnits: [], note: nil), dispatcher),
                (.accept, handler),
                (.contact(note: "已电话联系诉求人，约定现场查看（演示数据）。"), handler),
                (.reply(text: "经现场核实，已协调相关部门处理，问题已解决（演示数据）。", resolved: stage != 7), handler),
                (.evaluate(Evaluation(contacted: true, resolved: stage != 7, satisfaction: stage == 7 ? .dissatisfied : (stage == 8 ? .basicallySatisfied : .satisfied))), agent),
                (.close(note: nil), agent),
            ]
            let counts = [0, 1, 2, 3, 4, 4, 5, 5, 6, 6]
            steps = Array(all.prefix(counts[stage]))
            if stage == 6 { steps = Array(all.prefix(1)) + [(.giveBack(reason: .notOurMandate, note: "不属于本街道职责（演示数据）"), handler)] }
            if stage == 7 { steps.append((.reopen(reason: "诉求人不满意，退回重办（演示数据）"), agent)) }
        }
        var walked = ticket
        for (action, actor) in steps {
            clock.advance(by: 1800)
            walked = try await store.apply(action, number: ticket.number, tenantID: ticket.tenantID, expectedVersion: nil,
                                           context: city.context(now: clock.now(), actor: actor)) { _ in }.0
        }
        return walked
    }

    /// The demo city's dispatch catalogue: utility categories to the companies, anything with a
    /// known street straight to that street (direct dispatch), else each first-level category
    /// to its municipal department.
    public static func catalogue() throws -> DispatchCatalogue {
        let taxonomy = try CategoryTaxonomy.parse(csv: try resource("taxonomy.csv"), tenantID: tenant.id)
        var lines = ["category,jurisdiction,lead,co_units"]
        let utilities = [("供水", "water"), ("用水", "water"), ("自来水", "water"), ("供电", "power"), ("用电", "power"), ("电力", "power"), ("燃气", "gas"),
                         ("供暖", "heating"), ("供热", "heating"), ("采暖", "heating"), ("通信", "telecom")]
        for category in taxonomy.categories where category.level >= 2 {
            if let (_, company) = utilities.first(where: { category.name.contains($0.0) }) { lines.append("\(category.code),*,\(company),") }
        }
        lines.append("*,@street,@street,")
        for department in departments {
            if let root = taxonomy.categories.first(where: { $0.level == 1 && $0.name == department.category }) {
                lines.append("\(root.code),*,\(department.code),")
            }
        }
        return try DispatchCatalogue.parse(csv: lines.joined(separator: "\n"))
    }

    /// How the demo city publishes its categories over Open311: a few services ask questions
    /// (the attributes an app shows), and planning violations are a batch service whose
    /// clients get a token, so every GeoReport feature can be tried on the demo.
    public static func open311Services() throws -> [String: Open311Settings.Service] {
        let taxonomy = try CategoryTaxonomy.parse(csv: try resource("taxonomy.csv"), tenantID: tenant.id)
        func code(_ level2: String, _ level3: String) -> String? {
            taxonomy.categories.first { c in c.level == 3 && c.name == level3 && taxonomy.category(c.parentCode ?? "")?.name == level2 }?.code
        }
        var services: [String: Open311Settings.Service] = [:]
        if let c = code("城市建设和市政管理", "环境卫生") {
            services[c] = .init(keywords: ["垃圾", "garbage", "litter", "sanitation"], attributes: [
                Open311Attribute(code: "waste_type", datatype: .singlevaluelist, required: true, description: "What kind of waste? 什么垃圾？", order: 1,
                                 values: [.init(key: "household", name: "生活垃圾 Household"), .init(key: "construction", name: "建筑垃圾 Construction"),
                                          .init(key: "bulky", name: "大件垃圾 Bulky items")]),
                Open311Attribute(code: "days_uncollected", datatype: .number, description: "For how many days has it not been collected? 几天未清运？", order: 2),
            ])
        }
        if let c = code("城市建设和市政管理", "自来水供应") {
            services[c] = .init(keywords: ["停水", "water", "outage"], attributes: [
                Open311Attribute(code: "problem", datatype: .multivaluelist, required: true, description: "What is wrong? 什么问题？", order: 1,
                                 values: [.init(key: "no_water", name: "停水 No water"), .init(key: "low_pressure", name: "水压低 Low pressure"),
                                          .init(key: "discoloured", name: "水质浑浊 Discoloured"), .init(key: "leak", name: "漏水 Leak")]),
                Open311Attribute(code: "since", datatype: .datetime, description: "Since when? 从何时开始？", order: 2),
            ])
        }
        if let c = code("城乡规划", "违章建筑") {
            services[c] = .init(type: .batch, kind: .report)
        }
        return services
    }

    /// The real citizen messages the demo tickets are made of (title, detail), for benchmarks.
    public static func messages() throws -> [(title: String, detail: String)] {
        let table = CSVTable(text: try resource("messages.csv"))
        return table.rows.compactMap { row in
            guard let title = table.value(row, "title"), let detail = table.value(row, "detail") else { return nil }
            return (String(title.prefix(NewTicket.maxTitle)), detail)
        }
    }

    /// The level-3 category under `level1` whose name occurs in the text, else the first one.
    static func pickCategory(level1: String, text: String, taxonomy: CategoryTaxonomy) -> String? {
        guard let root = taxonomy.categories.first(where: { $0.level == 1 && $0.name == level1 }) else { return nil }
        let leaves = taxonomy.categories.filter { $0.level == 3 && $0.code.hasPrefix(root.code + ".") }
        let named = leaves.first { leaf in leaf.name.count >= 2 && text.contains(leaf.name) && leaf.name != "其他" }
        return (named ?? leaves.first)?.code
    }

    static func resource(_ name: String) throws -> String {
        guard let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Resources/demo")
            ?? Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "demo")
        else { throw StoreError.notFound("demo resource \(name) is missing from the build") }
        return try String(contentsOf: url, encoding: .utf8)
    }
}

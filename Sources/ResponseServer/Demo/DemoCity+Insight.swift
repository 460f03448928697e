import Foundation
import ResponseCore
import ResponseDispatch
import ResponseStore

extension DemoCity {
    /// The middle of a demo street's schematic boundary.
    static func streetCentre(_ code: String) -> GeoPoint? {
        guard let region = geoLayers().first(where: { $0.level == "street" })?.regions.first(where: { $0.key == code }),
              let ring = region.rings.first, ring.count > 1 else { return nil }
        let points = ring.dropLast()
        return GeoPoint(latitude: points.map(\.latitude).reduce(0, +) / Double(points.count), longitude: points.map(\.longitude).reduce(0, +) / Double(points.count))
    }

    /// A point in a demo street, spread by `i` (deterministic) over about ±400 m.
    static func demoPoint(street: String, i: Int) -> GeoPoint? {
        guard let c = streetCentre(street) else { return nil }
        let a = Double((i * 7919) % 101) / 100 - 0.5, b = Double((i * 104_729) % 97) / 96 - 0.5
        return GeoPoint(latitude: c.latitude + a * 0.008, longitude: c.longitude + b * 0.008)
    }

    /// Demand the insight screens can show on a fresh demo (demo data, marked as such): a noisy
    /// building site one resident keeps calling about (a hotspot and a repeat caller), a water
    /// outage that started forty minutes ago (a spike the early warning raises at start), and
    /// this month's topic.
    static func seedInsight(into store: any TicketStore, taxonomy: CategoryTaxonomy, now: Date) async throws {
        let tenant = Self.tenant
        let agent = Actor(name: "agent", role: .agent)
        let noise = taxonomy.categories.first { $0.level == 3 && $0.name == "噪音污染" }?.code
        let water = taxonomy.categories.first { $0.level == 3 && $0.name == "自来水供应" }?.code
        if let site = streetCentre("a2-02") {
            for k in 0..<7 {
                let new = NewTicket(
                    kind: .complaint, channel: .phone, title: "工地夜间施工噪音扰民（演示）",
                    description: "新开铺街道某工地每晚十一点后仍在施工，噪音很大，影响休息。（演示数据）", categoryCode: noise,
                    location: Location(latitude: site.latitude + Double(k % 3) * 0.0004, longitude: site.longitude + Double(k / 3) * 0.0004,
                                       address: "A2区新开铺街道某工地（演示地址）", districtCode: "a2", streetCode: "a2-02"),
                    complainant: Complainant(name: k < 4 ? "演示重复来电人" : "演示用户", phone: k < 4 ? "13912340000" : String(format: "1391234%04d", k))
                )
                _ = try await store.createTicket(new, tenant: tenant, actor: agent, now: now.addingTimeInterval(-Double(6 - k) * 86_400 - 3600))
            }
        }
        if let centre = streetCentre("a5-02") {
            for k in 0..<8 {
                let new = NewTicket(
                    kind: .help, channel: .phone, title: "小区突然停水（演示）", description: "高桥街道多个小区突然停水，已经一个小时了。（演示数据）",
                    categoryCode: water, urgency: .urgent,
                    location: Location(latitude: centre.latitude + Double(k) * 0.0007, longitude: centre.longitude, districtCode: "a5", streetCode: "a5-02"),
                    complainant: Complainant(name: "演示用户", phone: String(format: "1370000%04d", k))
                )
                _ = try await store.createTicket(new, tenant: tenant, actor: agent, now: now.addingTimeInterval(-Double(40 - k * 5) * 60))
            }
        }
        let month = String(DayKeys(identifier: tenant.timeZone).key(now).prefix(7))
        var problems: [Topic.Problem] = []
        if let noise { problems.append(.init(title: "建筑工地夜间施工噪音", categories: [noise], districts: ["a2"])) }
        problems.append(.init(title: "小区停水无人回应", words: ["停水"]))
        let topic = Topic(
            id: "tp-demo-" + month, tenantID: tenant.id, month: month, title: "夜间施工噪音与停水专项治理（演示）", leadUnit: "housing", status: .active,
            problems: problems,
            tasks: [.init(title: "排查夜间在施工地并告知施工时限", unit: "a2-02", done: true), .init(title: "供水抢修时限与停水告知机制", unit: "housing")],
            updatedAt: now, updatedBy: "supervisor"
        )
        _ = try await store.saveTopic(topic, expectedVersion: nil)
    }
}

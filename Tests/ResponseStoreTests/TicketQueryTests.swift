import Foundation
import ResponseCore
import Testing
@testable import ResponseStore

@Suite("Ticket listing, filters, pagination and search (SQLite and PostgreSQL)")
struct TicketQueryTests {
    static let t0 = TicketStoreTests.t0

    /// Six tickets across kinds, channels, districts, categories and states.
    func seed(_ h: StoreHarness) async throws -> [Ticket] {
        var out: [Ticket] = []
        out.append(try await h.file("小区夜间施工噪音扰民", description: "工地每晚十一点后仍在施工", kind: .complaint, channel: .phone, category: "01.02.03", district: "chaoyang", at: Self.t0))
        out.append(try await h.file("Pothole on Main Street", description: "Large POTHOLE near the school", kind: .report, channel: .web, category: "02.01.01", district: "haidian", at: Self.t0.addingTimeInterval(60)))
        out.append(try await h.file("停水三天无人处理", description: "自来水公司电话打不通", kind: .help, channel: .app, category: "03.01.01", district: "chaoyang", at: Self.t0.addingTimeInterval(120)))
        out.append(try await h.file("建议增设公交站", description: "suggest a bus stop 50% closer", kind: .suggestion, channel: .phone, category: "02.03.01", district: "haidian", at: Self.t0.addingTimeInterval(180)))
        out.append(try await h.file("噪音", description: "广场舞音响", kind: .complaint, channel: .wechat, category: "01.02", district: "dongcheng", at: Self.t0.addingTimeInterval(240)))
        out.append(try await h.file("垃圾清运不及时", description: "垃圾桶满溢_无人清理", kind: .complaint, channel: .phone, category: "01.03.01", district: "chaoyang", at: Self.t0.addingTimeInterval(300)))
        out[0] = try await h.apply(.dispatch(leadUnit: "cy-01", coUnits: [], note: nil), to: out[0], at: Self.t0.addingTimeInterval(400))
        out[2] = try await h.apply(.dispatch(leadUnit: "water", coUnits: [], note: nil), to: out[2], at: Self.t0.addingTimeInterval(400))
        out[2] = try await h.apply(.accept, to: out[2], at: Self.t0.addingTimeInterval(500))
        return out
    }

    func numbers(_ h: StoreHarness, _ configure: (inout TicketQuery) -> Void) async throws -> [String] {
        var q = TicketQuery()
        configure(&q)
        return try await h.store.listTickets(q, tenantID: h.tenant.id).tickets.map(\.title)
    }

    @Test(arguments: Engine.available)
    func filters(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            _ = try await seed(h)
            #expect(try await numbers(h) { $0.statuses = [.dispatched, .accepted] } == ["停水三天无人处理", "小区夜间施工噪音扰民"])
            #expect(try await numbers(h) { $0.unit = "water" } == ["停水三天无人处理"])
            #expect(try await numbers(h) { $0.district = "haidian" } == ["建议增设公交站", "Pothole on Main Street"])
            #expect(try await numbers(h) { $0.categoryPrefix = "01.02" } == ["噪音", "小区夜间施工噪音扰民"])
            #expect(try await numbers(h) { $0.categoryPrefix = "01" } == ["垃圾清运不及时", "噪音", "小区夜间施工噪音扰民"])
            #expect(try await numbers(h) { $0.categoryPrefix = "01.0" } == [])  // a prefix is a whole code, not a string prefix
            #expect(try await numbers(h) { $0.kinds = [.help, .report] } == ["停水三天无人处理", "Pothole on Main Street"])
            #expect(try await numbers(h) { $0.channels = [.wechat] } == ["噪音"])
            #expect(try await numbers(h) {
                $0.createdFrom = Self.t0.addingTimeInterval(60)
                $0.createdTo = Self.t0.addingTimeInterval(180)
            } == ["停水三天无人处理", "Pothole on Main Street"])
            #expect(try await numbers(h) { $0.district = "chaoyang"; $0.kinds = [.complaint] } == ["垃圾清运不及时", "小区夜间施工噪音扰民"])
        }
    }

    @Test(arguments: Engine.available)
    func overdue(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            _ = try await seed(h)
            // Complaint: 15 working days; help: 10. Five weeks later both are overdue, nothing else was dispatched.
            #expect(try await numbers(h) { $0.overdueAt = Self.t0.addingTimeInterval(86_400) } == [])
            #expect(try await numbers(h) { $0.overdueAt = Self.t0.addingTimeInterval(35 * 86_400) } == ["停水三天无人处理", "小区夜间施工噪音扰民"])
            #expect(try await numbers(h) { $0.overdueAt = Self.t0.addingTimeInterval(16 * 86_400) } == ["停水三天无人处理"])
        }
    }

    @Test(arguments: Engine.available)
    func keysetPaginationVisitsEveryTicketOnce(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            // Several tickets share a creation instant: the id breaks ties.
            for i in 0..<23 { _ = try await h.file("t\(i)", at: Self.t0.addingTimeInterval(Double(i / 4))) }
            for sort in TicketQuery.Sort.allCases {
                var q = TicketQuery()
                q.sort = sort
                q.limit = 5
                var seen: [String] = []
                var pages = 0
                while true {
                    let page = try await h.store.listTickets(q, tenantID: h.tenant.id)
                    seen += page.tickets.map(\.number)
                    pages += 1
                    guard let next = page.next else { break }
                    q.after = next
                }
                #expect(seen.count == 23, "\(sort)")
                #expect(Set(seen).count == 23, "\(sort)")
                #expect(pages == 5, "\(sort)")
                // Tickets 1–4 share the first instant and 21–23 the last; ties are broken by id.
                let first = Set((1...4).map { String(format: "20261118-%06d", $0) })
                let last = Set((21...23).map { String(format: "20261118-%06d", $0) })
                if sort == .createdAsc { #expect(first.contains(seen[0]) && last.contains(seen[22])) }
                if sort == .createdDesc { #expect(last.contains(seen[0]) && first.contains(seen[22])) }
            }
        }
    }

    @Test(arguments: Engine.available)
    func dueSortPutsSoonestFirst(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            _ = try await seed(h)
            var q = TicketQuery()
            q.sort = .dueAsc
            let titles = try await h.store.listTickets(q, tenantID: h.tenant.id).tickets.map(\.title)
            #expect(Array(titles.prefix(2)) == ["停水三天无人处理", "小区夜间施工噪音扰民"])
        }
    }

    @Test("full-text search in Chinese and English", arguments: Engine.available)
    func search(engine: Engine) async throws {
        try await StoreHarness.with(engine) { h in
            _ = try await seed(h)
            #expect(try await numbers(h) { $0.text = "噪音" } == ["噪音", "小区夜间施工噪音扰民"])  // two characters
            #expect(try await numbers(h) { $0.text = "夜间施工" } == ["小区夜间施工噪音扰民"])  // title and description
            #expect(try await numbers(h) { $0.text = "无人" } == ["垃圾清运不及时", "停水三天无人处理"])
            #expect(try await numbers(h) { $0.text = "pothole" } == ["Pothole on Main Street"])  // case-insensitive
            #expect(try await numbers(h) { $0.text = "main school" } == ["Pothole on Main Street"])  // every word must occur
            #expect(try await numbers(h) { $0.text = "main 噪音" } == [])
            #expect(try await numbers(h) { $0.text = "自来水公司" } == ["停水三天无人处理"])
            #expect(try await numbers(h) { $0.text = "50%" } == ["建议增设公交站"])  // wildcards are literal
            #expect(try await numbers(h) { $0.text = "%" } == ["建议增设公交站"])
            #expect(try await numbers(h) { $0.text = "_" } == ["垃圾清运不及时"])
            #expect(try await numbers(h) { $0.text = "' OR 1=1 --" } == [])
            #expect(try await numbers(h) { $0.text = "\"pothole\"" } == [])
            #expect(try await numbers(h) { $0.text = "噪音"; $0.district = "dongcheng" } == ["噪音"])
        }
    }
}

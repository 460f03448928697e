import Foundation
import ResponseCore
import ResponseDispatch
import Testing

@Suite("Knowledge-base search")
struct KnowledgeIndexTests {
    static let now = Date(timeIntervalSince1970: 1_790_000_000)

    static func article(_ id: String, _ title: String, _ body: String, categories: [String] = [], validUntil: Date? = nil) -> KnowledgeArticle {
        KnowledgeArticle(id: id, tenantID: "c", title: title, body: body, categories: categories, validUntil: validUntil, updatedAt: now, updatedBy: "t")
    }

    static let articles = [
        article("water", "计划停水查询", "计划停水会提前24小时公布。Planned water outages are announced a day ahead."),
        article("heat", "供暖费缴纳", "供暖期为11月15日至次年3月15日。Heating fees are paid at the heating company.", categories: ["01"]),
        article("pension", "养老保险参保", "居民在街道社保窗口办理参保。Residents enrol for the pension at their street office.", categories: ["02.01"]),
        article("old", "临时核酸检测点", "已过期的答复。", validUntil: now.addingTimeInterval(-1)),
    ]

    @Test func terms() {
        #expect(KnowledgeIndex.terms("停水了") == ["停", "水", "停水", "了", "水了"])
        #expect(KnowledgeIndex.terms("Water pipes, 24h!") == ["water", "pipe", "24h"])
        #expect(KnowledgeIndex.terms("a 1 x") == ["1"], "one-letter words are dropped, numbers kept")
    }

    @Test("Chinese by character pairs, English by words, best first")
    func ranking() {
        let index = KnowledgeIndex(articles: Self.articles)
        #expect(index.search("停水", now: Self.now).map(\.article.id) == ["water"])
        #expect(index.search("什么时候停水", now: Self.now).first?.article.id == "water")
        #expect(index.search("pension office", now: Self.now).map(\.article.id) == ["pension"])
        #expect(index.search("HEATING FEE", now: Self.now).map(\.article.id) == ["heat"])
        #expect(index.search("", now: Self.now).isEmpty)
    }

    @Test("characters shared by chance are not a match")
    func strongTerms() {
        let index = KnowledgeIndex(articles: Self.articles)
        // 时 and 间 occur in the articles, but no pair of this query does.
        #expect(index.search("时间表", now: Self.now).isEmpty)
        // A single-character query still finds what contains it.
        #expect(index.search("暖", now: Self.now).map(\.article.id) == ["heat"])
    }

    @Test("expired articles only on request; category filter with ancestors")
    func filters() {
        let index = KnowledgeIndex(articles: Self.articles)
        #expect(index.search("临时核酸", now: Self.now).isEmpty)
        #expect(index.search("临时核酸", now: Self.now, includeExpired: true).map(\.article.id) == ["old"])
        // An article for 02.01 answers a question classified 02.01.03; one for 01 does not.
        #expect(index.search("参保 供暖", category: "02.01.03", categoryAncestors: ["02.01", "02"], now: Self.now).map(\.article.id) == ["pension"])
        // Articles without categories answer every category.
        #expect(index.search("停水", category: "09", now: Self.now).map(\.article.id) == ["water"])
    }

    @Test("a long call text is pruned to its rarest terms and still finds the answer")
    func longQuery() {
        var many = Self.articles
        for i in 0..<300 { many.append(Self.article("filler-\(i)", "其他问题 \(i)", "关于小区物业和道路的一般性答复，编号\(i)。")) }
        let index = KnowledgeIndex(articles: many)
        let call = String(repeating: "我家小区的物业一直不管道路的问题，", count: 20) + "今天又停水了，计划停水在哪里查？"
        #expect(Set(KnowledgeIndex.terms(call)).count > KnowledgeIndex.maxQueryTerms)
        #expect(index.search(call, now: Self.now, limit: 3).first?.article.id == "water")
    }
}

import Foundation
import ResponseCore

/// Full-text search over knowledge-base articles that works for Chinese and English alike.
///
/// Chinese has no spaces, so CJK text is indexed as single characters and overlapping
/// character pairs (a two-character query such as 停水 matches exactly its pair); Latin text as
/// lower-cased words with a light plural fold. Ranking is BM25 with the title weighted double.
/// Knowledge bases are small (hundreds to a few thousand articles), so the index lives in memory
/// and is rebuilt when an article changes.
public struct KnowledgeIndex: Sendable {
    /// One search result.
    public struct Hit: Sendable, Equatable {
        public var article: KnowledgeArticle
        public var score: Double
    }

    private let articles: [KnowledgeArticle]
    /// term → (article index, weighted term frequency)
    private let postings: [String: [(Int, Double)]]
    private let lengths: [Double]
    private let averageLength: Double

    public init(articles: [KnowledgeArticle]) {
        self.articles = articles
        var postings: [String: [(Int, Double)]] = [:]
        var lengths: [Double] = []
        for (i, article) in articles.enumerated() {
            var tf: [String: Double] = [:]
            // The title counts twice: an article titled "停水" is about 停水.
            for term in Self.terms(article.title) { tf[term, default: 0] += 2 }
            for term in Self.terms(article.body) { tf[term, default: 0] += 1 }
            for (term, f) in tf { postings[term, default: []].append((i, f)) }
            lengths.append(tf.values.reduce(0, +))
        }
        self.postings = postings
        self.lengths = lengths
        self.averageLength = lengths.isEmpty ? 1 : max(1, lengths.reduce(0, +) / Double(lengths.count))
    }

    public var count: Int { articles.count }

    /// At most this many distinct terms of a query are scored (the rarest ones).
    public static let maxQueryTerms = 48

    /// The best `limit` articles for `query`, best first.
    /// - Parameters:
    ///   - category: Only articles listing this category code or one of `categoryAncestors`
    ///     (or listing none), when given.
    ///   - now: Articles whose `validUntil` has passed are left out unless `includeExpired`.
    public func search(_ query: String, category: String? = nil, categoryAncestors: [String] = [], now: Date,
                       includeExpired: Bool = false, limit: Int = 10) -> [Hit] {
        let n = Double(articles.count)
        let wanted = category.map { Set([$0] + categoryAncestors) }
        // Long queries (a whole call's text) are pruned to their rarest terms, and characters
        // found in most articles (的, 了, the) carry no information: both keep a search over
        // thousands of articles to a fraction of a millisecond.
        let raw = Set(Self.terms(query))
        // A query with words or character pairs must match one of them: single shared
        // characters (时, 的) alone are coincidence, not relevance.
        let queryHasStrong = raw.contains { $0.count >= 2 }
        var queryTerms = raw.compactMap { term -> (String, [(Int, Double)])? in
            guard let list = postings[term] else { return nil }
            if articles.count >= 20 && Double(list.count) > n / 2 { return nil }
            return (term, list)
        }
        if queryTerms.count > Self.maxQueryTerms {
            queryTerms.sort { $0.1.count != $1.1.count ? $0.1.count < $1.1.count : $0.0 < $1.0 }
            queryTerms.removeLast(queryTerms.count - Self.maxQueryTerms)
        }
        var scores = [Double](repeating: 0, count: articles.count)
        var strong = [Bool](repeating: false, count: articles.count)
        var touched: [Int] = []
        let k1 = 1.2, b = 0.75
        for (term, list) in queryTerms {
            let idf = log(1 + (n - Double(list.count) + 0.5) / (Double(list.count) + 0.5))
            // Pairs say more than single characters: weight them up.
            let isStrong = term.count >= 2
            let weight = isStrong ? 1.0 : 0.35
            for (i, f) in list {
                let norm = f * (k1 + 1) / (f + k1 * (1 - b + b * lengths[i] / averageLength))
                if scores[i] == 0 { touched.append(i) }
                scores[i] += weight * idf * norm
                if isStrong { strong[i] = true }
            }
        }
        var ranked = touched.filter { scores[$0] > 0 && (!queryHasStrong || strong[$0]) }
        ranked.sort { scores[$0] != scores[$1] ? scores[$0] > scores[$1] : articles[$0].id < articles[$1].id }
        var hits: [Hit] = []
        for i in ranked where hits.count < limit {
            let article = articles[i]
            if !includeExpired && !article.isValid(at: now) { continue }
            if let wanted, !article.categories.isEmpty, wanted.isDisjoint(with: article.categories) { continue }
            hits.append(Hit(article: article, score: scores[i]))
        }
        return hits
    }

    /// The index terms of a text: CJK characters and character pairs, Latin and digit words.
    public static func terms(_ text: String) -> [String] {
        var terms: [String] = []
        var word = ""
        var previousCJK: Character? = nil
        func flushWord() {
            if word.count >= 2 || word.first?.isNumber == true {
                // "pipes" and "pipe" are one term.
                if word.count > 3, word.hasSuffix("s"), !word.hasSuffix("ss") { word.removeLast() }
                terms.append(word)
            }
            word = ""
        }
        for ch in text.prefix(TextFeatures.maxCharacters).lowercased() {
            if let scalar = ch.unicodeScalars.first, isCJK(scalar.value) {
                flushWord()
                terms.append(String(ch))
                if let p = previousCJK { terms.append(String([p, ch])) }
                previousCJK = ch
            } else if ch.isLetter || ch.isNumber {
                previousCJK = nil
                word.append(ch)
            } else {
                previousCJK = nil
                flushWord()
            }
        }
        flushWord()
        return terms
    }

    static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x20000...0x2A6DF).contains(v) || (0xF900...0xFAFF).contains(v)
    }
}

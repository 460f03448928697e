import Foundation
import ResponseCore

/// Groups short texts by character-shingle similarity, so it works on Chinese (no word
/// segmentation) as well as on English.
///
/// Each text becomes a set of shingles: character pairs inside runs of CJK characters, and
/// character triples inside other words. Shingles found in most of the texts (a form's fixed
/// wording, the category's own name) are dropped. MinHash signatures with banded locality-
/// sensitive hashing propose candidate pairs, whose exact Jaccard similarity decides; linked
/// texts form a group (union–find). Cost grows with the texts, not with their pairs.
public struct TextClusterer: Sendable {
    /// Jaccard similarity at or above which two texts are linked.
    public var threshold: Double
    /// Groups smaller than this are not reported.
    public var minimumSize: Int
    /// Shingles in more than this share of the texts are ignored.
    public var commonShare: Double

    static let bands = 20
    static let rows = 3

    public init(threshold: Double = 0.35, minimumSize: Int = 2, commonShare: Double = 0.8) {
        self.threshold = threshold
        self.minimumSize = minimumSize
        self.commonShare = commonShare
    }

    /// One text to group.
    public struct Document: Sendable {
        public var id: String
        public var title: String
        public var text: String
        public init(id: String, title: String, text: String) {
            self.id = id
            self.title = title
            self.text = text
        }
    }

    /// The groups of `documents` (given newest first), largest first.
    public func cluster(_ documents: [Document]) -> [TextCluster] {
        guard !documents.isEmpty else { return [] }
        let sets = shingleSets(documents)
        let root = groups(of: sets)
        var wordFrequency: [String: Int] = [:]
        for doc in documents { for w in Set(Self.keywordTerms(doc.title + " " + doc.text)) { wordFrequency[w, default: 0] += 1 } }
        var groups: [Int: [Int]] = [:]
        for i in documents.indices { groups[root[i], default: []].append(i) }
        return groups.values.filter { $0.count >= minimumSize }
            .sorted { $0.count != $1.count ? $0.count > $1.count : $0[0] < $1[0] }
            .map { describe($0, documents: documents, sets: sets, wordFrequency: wordFrequency) }
    }

    /// Each document's shingles, hashed and sorted, without those too common to tell texts apart.
    func shingleSets(_ documents: [Document]) -> [[UInt64]] {
        var sets = documents.map { doc -> [UInt64] in
            var out = Set<UInt64>()
            for s in Self.shingles(doc.title + " " + doc.text) {
                // Stable, so the same texts always group the same way.
                out.insert(StableHash.fnv1a(s))
            }
            return out.sorted()
        }
        var frequency: [UInt64: Int] = [:]
        for set in sets { for s in set { frequency[s, default: 0] += 1 } }
        // With few texts every shingle is "common": only prune once there are enough to judge.
        if documents.count >= 10 {
            let cap = Int(Double(documents.count) * commonShare)
            sets = sets.map { $0.filter { frequency[$0, default: 0] <= cap } }
        }
        return sets
    }

    /// The group of each document (the index of its group's root): union–find over the candidate
    /// pairs of the LSH buckets whose Jaccard similarity reaches the threshold.
    func groups(of sets: [[UInt64]]) -> [Int] {
        var parent = Array(sets.indices)
        func find(_ i: Int) -> Int {
            var i = i
            while parent[i] != i { parent[i] = parent[parent[i]]; i = parent[i] }
            return i
        }
        let signatures = sets.map(Self.signature)
        for band in 0..<Self.bands {
            var buckets: [UInt64: [Int]] = [:]
            for (i, sig) in signatures.enumerated() where !sets[i].isEmpty {
                var h: UInt64 = 0xcbf2_9ce4_8422_2325
                for r in 0..<Self.rows { h = (h ^ sig[band * Self.rows + r]) &* 0x0000_0100_0000_01b3 }
                buckets[h, default: []].append(i)
            }
            for members in buckets.values where members.count > 1 {
                // Each member is compared with up to four earlier ones, not with every other:
                // a bucket of near-copies stays linear, and other bands catch what this misses.
                for (k, j) in members.enumerated().dropFirst() {
                    for i in members[max(0, k - 4)..<k] where find(i) != find(j) {
                        if Self.jaccard(sets[i], sets[j]) >= threshold { parent[find(j)] = find(i) }
                    }
                }
            }
        }
        return sets.indices.map(find)
    }

    /// A group as the analyst reads it: its most typical text, its keywords, its size and share.
    func describe(_ members: [Int], documents: [Document], sets: [[UInt64]], wordFrequency: [String: Int]) -> TextCluster {
        let total = documents.count
        var inGroup: [UInt64: Int] = [:]
        for i in members { for s in sets[i] { inGroup[s, default: 0] += 1 } }
        // Keywords are words (and CJK pairs), which read better than letter triples.
        var wordsIn: [String: Int] = [:]
        for i in members { for w in Set(Self.keywordTerms(documents[i].title + " " + documents[i].text)) { wordsIn[w, default: 0] += 1 } }
        // The most typical member shares the most of the group's shingles.
        let typical = members.max { a, b in
            Self.typicality(sets[a], inGroup) < Self.typicality(sets[b], inGroup)
        } ?? members[0]
        let keywords = wordsIn.filter { $0.value * 2 >= members.count }
            .sorted { a, b in
                let sa = Double(a.value) * log(Double(total + 1) / Double(wordFrequency[a.key] ?? 1))
                let sb = Double(b.value) * log(Double(total + 1) / Double(wordFrequency[b.key] ?? 1))
                return sa != sb ? sa > sb : a.key < b.key
            }
            .prefix(5).map(\.key)
        return TextCluster(
            label: documents[typical].title, keywords: Array(keywords), tickets: members.count,
            share: Double(members.count) / Double(total), numbers: members.prefix(10).map { documents[$0].id }
        )
    }

    static func typicality(_ set: [UInt64], _ inGroup: [UInt64: Int]) -> Double {
        guard !set.isEmpty else { return 0 }
        return Double(set.reduce(0) { $0 + (inGroup[$1] ?? 0) }) / Double(set.count).squareRoot()
    }

    /// Character pairs inside CJK runs, triples inside other words (a shorter word is itself a
    /// shingle); digits are folded to `0` so house numbers and dates do not split groups.
    public static func shingles(_ text: String) -> [String] {
        var out: [String] = []
        var run: [Character] = []
        var runIsCJK = false
        func flush() {
            defer { run.removeAll(keepingCapacity: true) }
            guard !run.isEmpty else { return }
            let n = runIsCJK ? 2 : 3
            if run.count <= n {
                if runIsCJK || run.count >= 2 { out.append(String(run)) }
                return
            }
            for i in 0...(run.count - n) { out.append(String(run[i..<(i + n)])) }
        }
        for ch in text.lowercased() {
            let cjk = ch.unicodeScalars.first.map(Self.isCJK) ?? false
            let letter = cjk || ch.isLetter || ch.isNumber
            if !letter { flush(); continue }
            if !run.isEmpty && cjk != runIsCJK { flush() }
            runIsCJK = cjk
            run.append(ch.isNumber && !cjk ? "0" : ch)
        }
        flush()
        return out
    }

    /// Words of three or more letters and CJK character pairs: the terms keywords are chosen from.
    static func keywordTerms(_ text: String) -> [String] {
        shingles(text).filter { s in
            guard let first = s.unicodeScalars.first else { return false }
            return isCJK(first)
        } + text.lowercased().split { !$0.isLetter }.map(String.init).filter { w in
            w.count >= 3 && !(w.unicodeScalars.first.map(isCJK) ?? false)
        }
    }

    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        (0x4E00...0x9FFF).contains(s.value) || (0x3400...0x4DBF).contains(s.value) || (0xF900...0xFAFF).contains(s.value)
    }


    /// The MinHash signature: for each of bands × rows mixers, the least mixed shingle.
    static func signature(_ set: [UInt64]) -> [UInt64] {
        (0..<(bands * rows)).map { k in
            let seed = UInt64(k + 1) &* 0x9E37_79B9_7F4A_7C15
            var least = UInt64.max
            for s in set {
                // splitmix64 of the shingle and the mixer's seed.
                var z = s ^ seed
                z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
                z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
                z ^= z >> 31
                if z < least { least = z }
            }
            return least
        }
    }

    /// |a ∩ b| ÷ |a ∪ b| of two sorted arrays.
    static func jaccard(_ a: [UInt64], _ b: [UInt64]) -> Double {
        guard !a.isEmpty || !b.isEmpty else { return 0 }
        var i = 0, j = 0, both = 0
        while i < a.count && j < b.count {
            if a[i] == b[j] { both += 1; i += 1; j += 1 } else if a[i] < b[j] { i += 1 } else { j += 1 }
        }
        return Double(both) / Double(a.count + b.count - both)
    }
}

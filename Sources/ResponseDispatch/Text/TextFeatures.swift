import Foundation

/// Turns free text into hashed, weighted features for ``TextClassifier``, in any script.
///
/// Chinese, Japanese and Korean runs give character 1-, 2- and 3-grams (no word segmenter:
/// the n-grams that matter, such as 噪音 or 物业费, emerge by themselves); runs of letters and
/// digits give the lower-cased word, the pair with the previous word, and character 3-grams of
/// the padded word (robust to typos and plurals). Everything else (punctuation, emoji, spaces)
/// separates. Full-width forms are folded to ASCII first (ＡＢＣ → abc).
///
/// A text of several lines also gives the features of its first line (a ticket's title, a
/// message's subject) a second time, in a group of their own: a title says what the ticket is
/// about more densely than the body, and separate weights for it lifted 5-fold accuracy on the
/// Chinese messages by about three points (docs/dispatch.md).
public enum TextFeatures {
    /// Texts longer than this many characters are cut: 10,000 characters already carry every
    /// signal a ticket has, and the cut bounds the cost of a hostile 100 k-character text.
    public static let maxCharacters = 10_000

    /// A feature: 64-bit hash and weight. The top two bits of the hash name its ``Group``.
    public typealias Feature = (key: UInt64, value: Float)

    /// What a feature comes from; kept in the top two bits of its hash so a model can treat
    /// the groups apart (``TextClassifier`` re-weights text features by rarity, not tokens).
    public enum Group: UInt64, Sendable {
        /// N-grams of the whole text, with weights of unit length.
        case body = 0
        /// N-grams of the first line, with weights of length ``leadWeight``.
        case lead = 1
        /// Categorical tokens, weight 1 each.
        case token = 2
        /// The always-on bias feature.
        case bias = 3

        /// The group of a feature hash.
        @inline(__always) public init(of key: UInt64) { self = Group(rawValue: key >> 62) ?? .body }

        /// `hash` moved into this group.
        @inline(__always) func tag(_ hash: UInt64) -> UInt64 { (hash & 0x3FFF_FFFF_FFFF_FFFF) | (rawValue << 62) }
    }

    /// Length of the first line's feature vector relative to the whole text's (chosen by 5-fold
    /// cross-validation: 0.3–0.7 all helped on the Chinese messages, 0.5 most).
    public static let leadWeight: Float = 0.5

    /// Hash of the always-on bias feature.
    public static let bias: UInt64 = Group.bias.tag(0x9E37_79B9_7F4A_7C15)

    /// The features of `text` plus any categorical `tokens` (e.g. `place=Mission`), which are
    /// taken whole, with weight 1, outside the text's normalisation (so the text features can
    /// be computed once and shared by several models).
    public static func extract(_ text: String, tokens: [String] = []) -> [Feature] {
        var features = extract(text)
        features += tokenFeatures(tokens)
        return features
    }

    /// Features of categorical tokens alone.
    public static func tokenFeatures(_ tokens: [String]) -> [Feature] {
        tokens.filter { !$0.isEmpty }.map { token in
            var h = hashStart(5)
            for s in token.unicodeScalars { h = mix(h, s.value) }
            return (Group.token.tag(h), 1)
        }
    }

    /// The features of `text` alone (whole text, then its first line if it has several), bias last.
    public static func extract(_ text: String) -> [Feature] {
        let cut = text.utf8.count > maxCharacters && text.count > maxCharacters ? String(text.prefix(maxCharacters)) : text
        var features: [Feature] = []
        append(counts(of: cut.unicodeScalars), group: .body, length: 1, to: &features)
        if let newline = cut.unicodeScalars.firstIndex(where: { $0 == "\n" || $0 == "\r" }) {
            let lead = cut.unicodeScalars[..<newline]
            if !lead.isEmpty { append(counts(of: lead), group: .lead, length: leadWeight, to: &features) }
        }
        features.append((bias, 1))
        return features
    }

    /// Appends `counts` as features of `group`, scaled to `length`. Raw counts, not `1 + ln(count)`:
    /// they classified the Chinese messages 1.4 points better with inverse document frequency and
    /// 2.8 without, and left the 311 data sets unchanged (docs/dispatch.md).
    private static func append(_ counts: FeatureCounts, group: Group, length: Float, to features: inout [Feature]) {
        features.reserveCapacity(features.count + counts.count + 1)
        let start = features.count
        var norm: Float = 0
        counts.forEach { key, count in
            norm += count * count
            features.append((group.tag(key), count))
        }
        let scale = norm > 0 ? length / norm.squareRoot() : 0
        for i in start..<features.count { features[i].value *= scale }
    }

    /// Occurrences of every n-gram and word feature of `scalars`.
    private static func counts(of scalars: some Collection<Unicode.Scalar>) -> FeatureCounts {
        var counts = FeatureCounts(expected: min(scalars.count * 3, maxCharacters * 3) + 8)
        var cjk: [UInt32] = []
        var word: [UInt32] = []
        var previousWord: UInt64 = 0

        func flushCJK() {
            guard !cjk.isEmpty else { return }
            for i in 0..<cjk.count {
                var h = hashStart(1)
                for n in 0..<3 where i + n < cjk.count {
                    h = mix(h, cjk[i + n])
                    counts.add(n == 0 ? h : mix(h, UInt32(n)), 1)
                }
            }
            cjk.removeAll(keepingCapacity: true)
        }
        func flushWord() {
            guard !word.isEmpty else { return }
            var w = hashStart(2)
            for s in word { w = mix(w, s) }
            counts.add(w, 1)
            if previousWord != 0 { counts.add(mix(mix(hashStart(3), UInt32(truncatingIfNeeded: previousWord)), UInt32(truncatingIfNeeded: w)), 1) }
            previousWord = w
            if word.count >= 3 {
                let padded = [0x5F] + word + [0x5F]
                for i in 0...(padded.count - 3) {
                    counts.add(mix(mix(mix(hashStart(4), padded[i]), padded[i + 1]), padded[i + 2]), 0.5)
                }
            }
            word.removeAll(keepingCapacity: true)
        }

        for scalar in scalars {
            let v = fold(lowercased(scalar))
            if isCJK(v) {
                flushWord()
                cjk.append(v)
            } else if v < 0x80 ? ((0x61...0x7A).contains(v) || (0x30...0x39).contains(v))
                        : Unicode.Scalar(v).map({ $0.properties.isAlphabetic || $0.properties.numericType != nil }) ?? false {
                flushCJK()
                word.append(v)
            } else {
                flushCJK()
                flushWord()
                if !(v == 0x20 || v == 0x09) { previousWord = 0 }
            }
        }
        flushCJK()
        flushWord()
        return counts
    }

    /// The scalar's simple lower-case mapping (one scalar; ASCII without a table look-up).
    @inline(__always) static func lowercased(_ scalar: Unicode.Scalar) -> UInt32 {
        let v = scalar.value
        if v < 0x80 { return (0x41...0x5A).contains(v) ? v + 0x20 : v }
        if v >= 0xFF21 && v <= 0xFF3A { return v + 0x20 } // full-width capitals, folded to ASCII next
        if isCJK(v) || !scalar.properties.changesWhenLowercased { return v }
        let lower = scalar.properties.lowercaseMapping.unicodeScalars
        return lower.count == 1 ? lower.first?.value ?? v : v
    }

    /// Full-width ASCII (U+FF01…U+FF5E) to ASCII, ideographic space to space.
    @inline(__always) static func fold(_ v: UInt32) -> UInt32 {
        if v >= 0xFF01 && v <= 0xFF5E { return v - 0xFEE0 }
        if v == 0x3000 { return 0x20 }
        return v
    }

    @inline(__always) static func isCJK(_ v: UInt32) -> Bool {
        (0x4E00...0x9FFF).contains(v) || (0x3400...0x4DBF).contains(v) || (0x3040...0x30FF).contains(v)
            || (0xAC00...0xD7AF).contains(v) || (0x20000...0x2A6DF).contains(v) || (0xF900...0xFAFF).contains(v)
    }

    @inline(__always) static func hashStart(_ kind: UInt32) -> UInt64 {
        mix(0xCBF2_9CE4_8422_2325, kind &* 0x9E37)
    }

    /// FNV-1a over 32-bit code units, then a multiply-xorshift finaliser per step so short
    /// n-grams spread over all 64 bits.
    @inline(__always) static func mix(_ h: UInt64, _ v: UInt32) -> UInt64 {
        var x = (h ^ UInt64(v)) &* 0x0000_0100_0000_01B3
        x ^= x >> 29
        return x
    }
}

/// Counts per feature hash in one open-addressing table sized from the text, so counting
/// never rehashes and never runs SipHash over keys that are hashes already.
struct FeatureCounts {
    private var keys: [UInt64]
    private var values: [Float]
    private let mask: Int
    private let shift: UInt64
    private(set) var count = 0

    init(expected: Int) {
        var bits = 5
        while (1 << bits) < expected * 2 { bits += 1 }
        keys = [UInt64](repeating: 0, count: 1 << bits)
        values = [Float](repeating: 0, count: 1 << bits)
        mask = (1 << bits) - 1
        shift = UInt64(64 - bits)
    }

    @inline(__always) mutating func add(_ key: UInt64, _ amount: Float) {
        let k = key == 0 ? 1 : key
        var i = Int(truncatingIfNeeded: (k &* 0x9E37_79B9_7F4A_7C15) >> shift)
        while true {
            if keys[i] == k { values[i] += amount; return }
            if keys[i] == 0 {
                // Never fuller than half: `expected` bounds the number of distinct keys.
                guard count * 2 < keys.count else { return }
                keys[i] = k
                values[i] = amount
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    func forEach(_ body: (UInt64, Float) -> Void) {
        for i in keys.indices where keys[i] != 0 { body(keys[i], values[i]) }
    }
}

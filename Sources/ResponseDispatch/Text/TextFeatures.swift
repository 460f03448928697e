import Foundation

/// Turns free text into hashed, weighted features for ``TextClassifier``, in any script.
///
/// Chinese, Japanese and Korean runs give character 1-, 2- and 3-grams (no word segmenter:
/// the n-grams that matter, such as 噪音 or 物业费, emerge by themselves); runs of letters and
/// digits give the lower-cased word, the pair with the previous word, and character 3-grams of
/// the padded word (robust to typos and plurals). Everything else (punctuation, emoji, spaces)
/// separates. Full-width forms are folded to ASCII first (ＡＢＣ → abc).
public enum TextFeatures {
    /// Texts longer than this many characters are cut: 10,000 characters already carry every
    /// signal a ticket has, and the cut bounds the cost of a hostile 100 k-character text.
    public static let maxCharacters = 10_000

    /// A feature: 64-bit hash and weight. Weights are `1 + ln(count)`, scaled to unit length.
    public typealias Feature = (key: UInt64, value: Float)

    /// Hash of the always-on bias feature.
    public static let bias: UInt64 = 0x9E37_79B9_7F4A_7C15

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
            return (h, 1)
        }
    }

    /// The features of `text` alone, bias included.
    public static func extract(_ text: String) -> [Feature] {
        let folded = text.utf8.count > maxCharacters && text.count > maxCharacters ? String(text.prefix(maxCharacters)) : text
        var counts = FeatureCounts(expected: min(folded.utf8.count, maxCharacters * 3) + 8)
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

        for scalar in folded.lowercased().unicodeScalars {
            let v = fold(scalar.value)
            if isCJK(v) {
                flushWord()
                cjk.append(v)
            } else if v < 0x80 ? ((0x61...0x7A).contains(v) || (0x30...0x39).contains(v) || (0x41...0x5A).contains(v))
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

        var features: [Feature] = []
        features.reserveCapacity(counts.count + 2)
        var norm: Float = 0
        counts.forEach { key, count in
            let value = 1 + log(count)
            norm += value * value
            features.append((key, value))
        }
        let scale = norm > 0 ? 1 / norm.squareRoot() : 0
        for i in features.indices { features[i].value *= scale }
        features.append((bias, 1))
        return features
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

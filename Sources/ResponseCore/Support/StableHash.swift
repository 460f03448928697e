/// A hash that is the same in every process and on every platform (Swift's `Hasher` is seeded
/// per process), for keys that are stored or must group the same way on every run.
public enum StableHash {
    /// FNV-1a, 64 bits, over the text's UTF-8 bytes.
    public static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}

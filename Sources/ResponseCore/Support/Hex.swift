/// Lower-case hex of bytes, two characters each (hashes, ids, signatures): one pass into a byte
/// buffer instead of a formatted string per byte.
extension Sequence where Element == UInt8 {
    public var hexString: String {
        let digits: StaticString = "0123456789abcdef"
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        digits.withUTF8Buffer { table in
            for byte in self {
                out.append(table[Int(byte >> 4)])
                out.append(table[Int(byte & 0x0F)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

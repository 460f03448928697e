import Foundation

/// Internal ticket ids: UUID version 7 (RFC 9562), a millisecond timestamp followed by random
/// bits. Ids created one after another sort one after another, so every index keyed by id
/// (the primary key, the event log) grows at its end instead of touching random pages.
public enum TicketID {
    /// A new id for a ticket created at `date`.
    public static func make(at date: Date) -> String {
        var rng = SystemRandomNumberGenerator()
        let ms = UInt64(max(0, date.millisecondsSince1970))
        var bytes = [UInt8](repeating: 0, count: 16)
        for i in 0..<6 { bytes[i] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - i))) }
        for i in 6..<16 { bytes[i] = UInt8.random(in: 0...255, using: &rng) }
        bytes[6] = (bytes[6] & 0x0F) | 0x70  // version 7
        bytes[8] = (bytes[8] & 0x3F) | 0x80  // RFC 9562 variant
        return [0..<4, 4..<6, 6..<8, 8..<10, 10..<16].map { bytes[$0].hexString }.joined(separator: "-")
    }
}

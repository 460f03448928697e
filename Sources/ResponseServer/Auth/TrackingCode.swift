import Crypto
import Foundation

/// The code a complainant tracks a request with, beside its number: ticket numbers are
/// sequential (most guesses resolve), so the number alone shows nothing. Eight characters of
/// Crockford's base 32 (40 bits) from an HMAC of the city and number under the server's link
/// secret: nothing to store, the same on every instance that shares the secret, and impossible
/// to guess within the public read limits.
public enum TrackingCode {
    static let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")

    /// The code of ticket `number` of city `tenantID`.
    public static func make(number: String, tenantID: String, secret: [UInt8]) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data("track:\(tenantID):\(number)".utf8), using: SymmetricKey(data: secret))
        var bits = mac.prefix(5).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        var out: [Character] = []
        for _ in 0..<8 {
            out.append(alphabet[Int(bits & 31)])
            bits >>= 5
        }
        return String(out.reversed())
    }

    /// Whether `given` is the code of `number`, read as people type it: any case, spaces and
    /// dashes ignored, O read as 0 and I or L as 1. Compared in constant time.
    public static func matches(_ given: String, number: String, tenantID: String, secret: [UInt8]) -> Bool {
        let normalised = String(given.uppercased().compactMap { c -> Character? in
            switch c {
            case " ", "-": return nil
            case "O": return "0"
            case "I", "L": return "1"
            default: return c
            }
        })
        let typed = Array(normalised.utf8)
        let expected = Array(make(number: number, tenantID: tenantID, secret: secret).utf8)
        guard typed.count == expected.count else { return false }
        return zip(typed, expected).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

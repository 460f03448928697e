/// A client's `Idempotency-Key` on a filing: the same key and body file one ticket however often
/// the client retries; the same key with another body is refused. Stored with the ticket, in its
/// intake transaction, so a ticket filed under a key and the key's record never part.
public struct IdempotencyClaim: Sendable, Equatable {
    /// Whose key: `api:NAME`, `open311:NAME`, `portal`, so two clients' keys never meet.
    public var scope: String
    public var key: String
    /// SHA-256 (hex) of what was filed: the request body, or the form's fields in order.
    public var bodyHash: String

    public init(scope: String, key: String, bodyHash: String) {
        self.scope = scope
        self.key = key
        self.bodyHash = bodyHash
    }

    /// Longest key accepted.
    public static let maxKeyLength = 255

    /// Whether `key` is acceptable: 1 to 255 visible ASCII characters (a UUID is typical).
    public static func isValid(key: String) -> Bool {
        !key.isEmpty && key.utf8.count <= maxKeyLength && key.utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// How long a key is remembered: at least a day, as clients' retry windows assume.
    public static let keptFor: Double = 48 * 3600
}

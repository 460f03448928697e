import Foundation

/// The reverse proxies whose `X-Forwarded-For` is believed, as addresses or CIDR ranges
/// (`10.0.0.0/8`, `::1`). A client can write any `X-Forwarded-For` it likes, so the header is read
/// only when the peer is one of these, and from its right end: the client is the last address
/// that is not itself a trusted proxy.
public struct TrustedProxies: Sendable, Equatable {
    struct Range: Sendable, Equatable {
        var bytes: [UInt8]
        var prefix: Int

        func contains(_ address: [UInt8]) -> Bool {
            guard address.count == bytes.count else { return false }
            var left = prefix
            for (a, b) in zip(address, bytes) where left > 0 {
                let bits = min(8, left)
                let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - bits))
                if a & mask != b & mask { return false }
                left -= bits
            }
            return true
        }
    }

    var ranges: [Range] = []

    public init() {}

    /// - Throws: ``Invalid`` naming the first entry that is neither an address nor a range.
    public init(_ entries: [String]) throws {
        for entry in entries {
            let parts = entry.split(separator: "/", maxSplits: 1).map(String.init)
            guard let bytes = parts.first.flatMap(Self.parse) else { throw Invalid(entry: entry) }
            let prefix = parts.count == 2 ? Int(parts[1]) : bytes.count * 8
            guard let prefix, (0...(bytes.count * 8)).contains(prefix) else { throw Invalid(entry: entry) }
            ranges.append(Range(bytes: bytes, prefix: prefix))
        }
    }

    public struct Invalid: Error, CustomStringConvertible {
        public var entry: String
        public var description: String { "not an IP address or CIDR range: '\(entry)'" }
    }

    public var isEmpty: Bool { ranges.isEmpty }

    /// Whether `address` is one of the proxies.
    public func trusts(_ address: String) -> Bool {
        guard let bytes = Self.parse(address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The client of a request that came from `peer` with these `X-Forwarded-For` values.
    public func client(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer, trusts(peer), !forwardedFor.isEmpty else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        for hop in hops.reversed() {
            guard Self.parse(hop) != nil else { return peer }  // a malformed chain: believe only the peer
            if !trusts(hop) { return hop }
        }
        return hops.first ?? peer
    }

    /// The address's bytes (4 for IPv4, 16 for IPv6), or `nil` when it is not one.
    static func parse(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

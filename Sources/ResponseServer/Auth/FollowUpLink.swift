import Crypto
import Foundation
import ResponseCore

/// A signed, expiring token that lets a complainant rate a ticket without logging in:
/// `base64url(city|number|expiry).base64url(HMAC-SHA256)`.
public struct FollowUpLink: Sendable, Equatable {
    public var tenantID: String
    public var number: String
    public var expires: Date

    public init(tenantID: String, number: String, expires: Date) {
        self.tenantID = tenantID
        self.number = number
        self.expires = expires
    }

    /// A link to a ticket of `city`, valid for the city's link lifetime on its calendar.
    public init(city: City, number: String, now: Date) {
        self.init(tenantID: city.id, number: number, expires: city.accountability.followUpLinkLifetime.end(from: now, calendar: city.calendar))
    }

    /// Why a token was refused.
    public enum Refusal: Error, Equatable {
        case malformed, badSignature, expired
    }

    /// The token for this link, signed with `key`.
    public func token(key: [UInt8]) -> String {
        let payload = Data("\(tenantID)|\(number)|\(expires.millisecondsSince1970)".utf8)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: key))
        return Self.base64url(payload) + "." + Self.base64url(Data(mac))
    }

    /// Reads and checks a token.
    /// - Throws: ``Refusal`` when it is not one of ours, was altered, or has expired.
    public init(token: String, key: [UInt8], now: Date) throws(Refusal) {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, token.count < 512, let payload = Self.data(base64url: String(parts[0])), let mac = Self.data(base64url: String(parts[1])) else {
            throw .malformed
        }
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: payload, using: SymmetricKey(data: key)) else { throw .badSignature }
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 3, let ms = Int64(fields[2]) else { throw .malformed }
        let expires = Date(millisecondsSince1970: ms)
        guard now < expires else { throw .expired }
        self.init(tenantID: String(fields[0]), number: String(fields[1]), expires: expires)
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func data(base64url text: String) -> Data? {
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.count % 4 != 0 { b64.append("=") }
        return Data(base64Encoded: b64)
    }
}

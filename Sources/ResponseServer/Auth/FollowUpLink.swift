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
        let payload = FollowUpToken.payload(tenantID: tenantID, number: number, expiresMilliseconds: expires.millisecondsSince1970)
        let mac = HMAC<SHA256>.authenticationCode(for: payload, using: SymmetricKey(data: key))
        return FollowUpToken(payload: payload, mac: Data(mac)).text
    }

    /// Reads and checks a token.
    /// - Throws: ``Refusal`` when it is not one of ours, was altered, or has expired.
    public init(token: String, key: [UInt8], now: Date) throws(Refusal) {
        guard let parsed = FollowUpToken(token) else { throw .malformed }
        guard HMAC<SHA256>.isValidAuthenticationCode(parsed.mac, authenticating: parsed.payload, using: SymmetricKey(data: key)) else { throw .badSignature }
        guard let fields = parsed.fields else { throw .malformed }
        let expires = Date(millisecondsSince1970: fields.expiresMilliseconds)
        guard now < expires else { throw .expired }
        self.init(tenantID: fields.tenantID, number: fields.number, expires: expires)
    }
}

import Foundation

/// A follow-up token read as text, before its signature is checked:
/// `base64url(payload).base64url(mac)`, the payload `city|number|expiry in ms`. Foundation only
/// (the fuzz target `follow-up-token` builds it alone); ``FollowUpLink`` signs and checks.
struct FollowUpToken: Equatable {
    /// The longest token accepted: a real one is about 90 characters.
    static let maxLength = 512

    var payload: Data
    var mac: Data

    init(payload: Data, mac: Data) {
        self.payload = payload
        self.mac = mac
    }

    /// The halves of `text`, or `nil` when it is not two base64url parts of a sane length.
    init?(_ text: String) {
        guard text.utf8.count < Self.maxLength else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, let payload = Self.data(base64url: parts[0]), let mac = Self.data(base64url: parts[1]) else { return nil }
        self.init(payload: payload, mac: mac)
    }

    /// The token as sent.
    var text: String { Self.base64url(payload) + "." + Self.base64url(mac) }

    /// The payload's city, number and expiry (ms since 1970), or `nil` when it is not three fields
    /// with a whole-number expiry.
    var fields: (tenantID: String, number: String, expiresMilliseconds: Int64)? {
        let fields = String(decoding: payload, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard fields.count == 3, let ms = Int64(fields[2]) else { return nil }
        return (String(fields[0]), String(fields[1]), ms)
    }

    /// The payload of a link to `number` of `tenantID` that expires at `expiresMilliseconds`.
    static func payload(tenantID: String, number: String, expiresMilliseconds: Int64) -> Data {
        Data("\(tenantID)|\(number)|\(expiresMilliseconds)".utf8)
    }

    static func base64url(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Only the base64url alphabet, unpadded, is accepted.
    static func data(base64url text: Substring) -> Data? {
        guard text.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || (0x30...0x39).contains($0) || (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) })
        else { return nil }
        var b64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while b64.utf8.count % 4 != 0 { b64.append("=") }
        return Data(base64Encoded: b64)
    }
}

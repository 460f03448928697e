import Crypto
import Foundation
import ResponseCore

/// Signs every webhook POST (complainants' messages and spike alerts), so a receiver can tell the
/// city's server from anyone who learnt its URL, and refuses addresses a message must not travel
/// to in clear.
///
/// The header `X-SwiftResponse-Signature: t=<unix seconds>,v1=<hex HMAC-SHA-256>` signs
/// `"<t>." + body` with the shared secret (`SWIFT_RESPONSE_WEBHOOK_SECRET`); a receiver recomputes
/// it and refuses a stale `t` (docs/privacy.md#webhooks).
public struct WebhookSigner: Sendable, Equatable {
    public static let header = "X-SwiftResponse-Signature"
    private let key: [UInt8]

    /// - Parameter secret: The shared secret (at least 16 characters).
    public init(secret: String) {
        key = Array(secret.utf8)
    }

    /// A secret nobody else knows, for a server started without one: messages are still signed,
    /// but no receiver can check them.
    public static func random() -> WebhookSigner {
        WebhookSigner(secret: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() })
    }

    /// The header value for `body` sent at `date`.
    public func signature(body: Data, at date: Date) -> String {
        let t = Int(date.timeIntervalSince1970)
        var message = Data("\(t).".utf8)
        message.append(body)
        let mac = HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: key))
        return "t=\(t),v1=" + mac.hexString
    }

    /// Why a webhook may not go to `url`, or `nil` when it may: https anywhere, plain http only
    /// to this machine (a receiver beside the server).
    public static func problem(with url: URL) -> String? {
        switch url.scheme?.lowercased() {
        case "https": return url.host == nil ? "has no host" : nil
        case "http":
            let host = (url.host ?? "").lowercased().trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
            let loopback = host == "localhost" || host == "::1" || host.hasPrefix("127.")
            return loopback ? nil : "must be https (plain http only to this machine: 127.0.0.1, localhost, ::1)"
        default: return "must be an https URL"
        }
    }
}

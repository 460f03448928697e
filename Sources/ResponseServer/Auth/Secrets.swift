import Crypto
import Foundation
import ResponseCore
import HummingbirdBcrypt
import NIOPosix

/// Tokens, key hashes and password hashes in one place.
public enum Secrets {
    /// A new random secret: 32 bytes, URL-safe base64, with a readable prefix (`sr_…`).
    public static func newToken(prefix: String) -> String {
        var rng = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: 0...255, using: &rng) }
        let b64 = Data(bytes).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        return prefix + b64
    }

    /// `count` random bytes (keys that sign links).
    public static func randomBytes(_ count: Int) -> [UInt8] {
        var rng = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: 0...255, using: &rng) }
    }

    /// A 32-byte signing key derived from a configured secret of any length.
    public static func key(from secret: String) -> [UInt8] {
        Array(SHA256.hash(data: Data(secret.utf8)))
    }

    /// SHA-256 of a token, hex; what the store keeps instead of the token.
    ///
    /// A fast hash is right for random 256-bit tokens (nothing to brute-force); passwords use bcrypt.
    public static func hashToken(_ token: String) -> String {
        SHA256.hash(data: Data(token.utf8)).hexString
    }

    /// A bcrypt hash of `password`, computed off the event loops (it takes tens of milliseconds on purpose).
    public static func hashPassword(_ password: String, cost: UInt8) async throws -> String {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`, computed off the event loops.
    public static func verifyPassword(_ password: String, hash: String) async throws -> Bool {
        try await NIOThreadPool.singleton.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// A random password for demo users when none is given.
    public static func randomPassword() -> String {
        let alphabet = Array("abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789")
        var rng = SystemRandomNumberGenerator()
        return String((0..<14).map { _ in alphabet.randomElement(using: &rng) ?? "x" })
    }
}

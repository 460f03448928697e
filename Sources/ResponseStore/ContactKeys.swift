import Crypto
import Foundation
import ResponseCore

/// The keys that keep complainants' contact data (name, phone, e-mail, a message's recipient)
/// sealed at rest, and the key of the blind index that lets repeat callers be counted without
/// their numbers.
///
/// A sealed value is `sr1:<key id>:<base64 of nonce, ciphertext and tag>` (AES-256-GCM): it names
/// the key that sealed it, so several keys can be in use while `keys rotate` re-seals rows under
/// the newest. A value without that prefix was written before sealing and is read as it is.
///
/// The key text, from a file or an environment variable (docs/privacy.md):
/// ```
/// # SwiftResponse contact keys. The first seal key seals; every seal key opens.
/// seal k20261202 3q2+7w…=          (32 bytes, base64)
/// seal k20250601 …
/// index 9fT…=                       (32 bytes, base64; never changes: repeat counts use it)
/// ```
public struct ContactKeys: Sendable {
    /// The id of the key that seals; `nil` for ``unsealed`` (benchmarks only).
    public let current: String?
    // Raw key bytes: `SymmetricKey` is not `Sendable`; one is made for each use (a copy of 32 bytes).
    private let seal: [String: Data]
    private let index: Data

    static let prefix = "sr1:"

    /// Reads key text; a clear message names what is wrong.
    public init(text: String) throws {
        var seal: [(String, Data)] = [], index: Data?
        // Lines; an environment variable may separate them with ';' instead.
        let lines = text.contains("\n") ? text.split(separator: "\n", omittingEmptySubsequences: false) : text.split(separator: ";")
        for (n, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            guard !line.isEmpty, !line.hasPrefix("#") else { continue }
            let parts = line.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
            func key(_ text: String) throws -> Data {
                guard let data = Data(base64Encoded: text), data.count == 32 else {
                    throw ContactKeyError("contact keys, line \(n + 1): the key must be 32 bytes in base64")
                }
                return data
            }
            switch (parts.first, parts.count) {
            case ("seal", 3):
                guard parts[1].allSatisfy({ $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" }), parts[1].count <= 32 else {
                    throw ContactKeyError("contact keys, line \(n + 1): a key id is letters, digits, - or _ (at most 32)")
                }
                seal.append((parts[1], try key(parts[2])))
            case ("index", 2): index = try key(parts[1])
            default: throw ContactKeyError("contact keys, line \(n + 1): expected 'seal ID KEY' or 'index KEY'")
            }
        }
        guard let first = seal.first else { throw ContactKeyError("contact keys: no 'seal ID KEY' line") }
        guard let index else { throw ContactKeyError("contact keys: no 'index KEY' line") }
        guard Set(seal.map(\.0)).count == seal.count else { throw ContactKeyError("contact keys: a key id appears twice") }
        self.current = first.0
        self.seal = Dictionary(uniqueKeysWithValues: seal)
        self.index = index
    }

    private init(unsealedIndex: Data) {
        current = nil
        seal = [:]
        index = unsealedIndex
    }

    /// A new key ring held only in memory: for tests and benchmarks whose database dies with them.
    public static func ephemeral() -> ContactKeys {
        // The generated text always parses; a failure here would be a bug in `generate`.
        (try? ContactKeys(text: generate(id: "ephemeral"))) ?? unsealed()
    }

    /// Keys that seal nothing: contact data is written as given. For benchmarks that measure the
    /// cost of sealing; the server and the operator commands never use it.
    public static func unsealed() -> ContactKeys { ContactKeys(unsealedIndex: SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }) }

    /// The text of a new key file: one seal key and the index key.
    public static func generate(id: String = ContactKeys.newID()) -> String {
        """
        # SwiftResponse contact keys (docs/privacy.md). Keep this file secret and backed up: without it
        # the complainants' contact data cannot be read. The first seal key seals, every seal key opens.
        seal \(id) \(random())
        index \(random())

        """
    }

    /// `text` with a new seal key first: it seals from now on; `keys rotate` re-seals older rows.
    public static func adding(to text: String, id: String = ContactKeys.newID()) throws -> String {
        _ = try ContactKeys(text: text)
        var lines = text.components(separatedBy: "\n")
        let at = lines.firstIndex { $0.trimmingCharacters(in: .whitespaces).hasPrefix("seal ") } ?? lines.count
        lines.insert("seal \(id) \(random())", at: at)
        let added = lines.joined(separator: "\n")
        guard try ContactKeys(text: added).current == id else { throw ContactKeyError("contact keys: the key id \(id) is taken") }
        return added
    }

    /// A key id from the date and a few random characters: `k20261202-3fa9`.
    public static func newID(now: Date = Date()) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = .gmt
        let d = calendar.dateComponents([.year, .month, .day], from: now)
        let suffix = String(UInt16.random(in: .min ... .max), radix: 16)
        return String(format: "k%04d%02d%02d-", d.year ?? 0, d.month ?? 0, d.day ?? 0) + suffix
    }

    private static func random() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// `value` sealed under the current key; `nil` stays `nil`.
    /// - Throws: if AES-GCM fails: the row is not written rather than written without its contact.
    public func seal(_ value: String?) throws -> String? {
        guard let value, let current, let key = seal[current] else { return value }
        guard let combined = try AES.GCM.seal(Data(value.utf8), using: SymmetricKey(data: key)).combined else {
            throw ContactKeyError("AES-GCM gave no sealed box")
        }
        return Self.prefix + current + ":" + combined.base64EncodedString()
    }

    /// The clear text of a stored value: opened when sealed, as it is when written before sealing.
    /// - Throws: ``ContactKeyError`` when the value was sealed under a key this ring lacks, or
    ///   does not open (tampered, or another key under the same id).
    public func open(_ value: String?) throws -> String? {
        guard let value, value.hasPrefix(Self.prefix) else { return value }
        let rest = value.dropFirst(Self.prefix.count)
        guard let colon = rest.firstIndex(of: ":") else { throw ContactKeyError("a sealed contact value is malformed") }
        let id = String(rest[..<colon])
        guard let key = seal[id] else { throw ContactKeyError("contact data sealed under key '\(id)', which the configured keys lack") }
        guard let data = Data(base64Encoded: String(rest[rest.index(after: colon)...])),
              let box = try? AES.GCM.SealedBox(combined: data), let clear = try? AES.GCM.open(box, using: SymmetricKey(data: key)) else {
            throw ContactKeyError("contact data sealed under key '\(id)' does not open with it")
        }
        return String(decoding: clear, as: UTF8.self)
    }

    /// The key id a row's contact data is sealed under: the current key when it has any, `nil`
    /// when it has none.
    func rowKey(_ values: String?...) -> String? {
        values.contains { $0 != nil } ? (current ?? "") : nil
    }

    /// A caller's key for repeat counts and "same caller" lookups: an HMAC of the phone's digits
    /// under the index key (32 hex characters), never the number or a plain hash of it, which
    /// could be reversed by trying every number.
    public func callerHash(_ digits: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(("caller:" + digits).utf8), using: SymmetricKey(data: index))
        return mac.prefix(16).hexString
    }
}

/// A problem with the contact keys or with sealed data.
public struct ContactKeyError: Error, CustomStringConvertible, Sendable {
    public var description: String
    init(_ description: String) { self.description = description }
}

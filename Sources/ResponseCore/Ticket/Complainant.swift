import Foundation

/// The person or business who filed the request. Personal data: see ``masked()``.
public struct Complainant: Codable, Sendable, Equatable {
    public var name: String?
    public var phone: String?
    public var email: String?
    /// The complainant asked that units not learn who they are.
    public var anonymous: Bool

    public init(name: String? = nil, phone: String? = nil, email: String? = nil, anonymous: Bool = false) {
        self.name = name
        self.phone = phone
        self.email = email
        self.anonymous = anonymous
    }

    enum CodingKeys: String, CodingKey { case name, phone, email, anonymous }

    // `anonymous` may be omitted by clients; it then means "not anonymous".
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        phone = try c.decodeIfPresent(String.self, forKey: .phone)
        email = try c.decodeIfPresent(String.self, forKey: .email)
        anonymous = try c.decodeIfPresent(Bool.self, forKey: .anonymous) ?? false
    }

    /// The same complainant with phone and email masked, for roles that must not see them.
    ///
    /// Keeps enough to recognise a repeat caller on screen (`138****5678`, `z***@example.com`);
    /// an anonymous complainant's name is withheld as well.
    public func masked() -> Complainant {
        Complainant(
            name: anonymous ? nil : name.map(Self.maskName),
            phone: phone.map(Self.maskPhone),
            email: email.map(Self.maskEmail),
            anonymous: anonymous
        )
    }

    /// `13912345678` → `139****5678`: enough to tell numbers apart, not to call.
    public static func maskPhone(_ phone: String) -> String {
        let chars = Array(phone)
        guard chars.count > 4 else { return String(repeating: "*", count: chars.count) }
        let head = chars.count >= 11 ? 3 : 0
        let tail = 4
        let stars = chars.count - head - tail
        return String(chars[0..<head]) + String(repeating: "*", count: stars) + String(chars[(chars.count - tail)...])
    }

    /// `li@example.com` → `l***@example.com`.
    public static func maskEmail(_ email: String) -> String {
        guard let at = email.firstIndex(of: "@"), at != email.startIndex else { return "***" }
        return String(email[email.startIndex]) + "***" + String(email[at...])
    }

    static func maskName(_ name: String) -> String {
        guard let first = name.first else { return name }
        return String(first) + String(repeating: "*", count: max(1, name.count - 1))
    }
}

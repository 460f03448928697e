import Foundation
import ResponseCore

extension APIKey {
    /// A new integration key and its secret, which is shown once and stored only as a hash.
    /// - Throws: ``ValidationError`` when the name is empty or longer than 100 characters.
    public static func issue(name: String, tenantID: String, now: Date) throws -> (key: APIKey, secret: String) {
        let name = name.trimmingCharacters(in: .whitespaces)
        guard (1...100).contains(name.count) else { throw ValidationError([FieldError(field: "name", message: "1–100 characters")]) }
        let secret = Secrets.newToken(prefix: "srk_")
        let key = APIKey(id: UUID().uuidString.lowercased(), tenantID: tenantID, name: name, role: .integration,
                         keyHash: Secrets.hashToken(secret), createdAt: now)
        return (key, secret)
    }
}

import Foundation

/// A city served by the deployment. Every row in the store carries its tenant id.
public struct Tenant: Codable, Sendable, Equatable, Identifiable {
    public var id: String
    public var name: String
    /// IANA time zone; ticket numbers and working days are counted in it.
    public var timeZone: String

    public init(id: String, name: String, timeZone: String) {
        self.id = id
        self.name = name
        self.timeZone = timeZone
    }
}

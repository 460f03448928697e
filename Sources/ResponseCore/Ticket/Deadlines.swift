import Foundation

/// The instants by which the lead unit must act. `nil` means "no deadline yet".
public struct Deadlines: Codable, Sendable, Equatable {
    /// Sign for (accept) or return the ticket by then.
    public var accept: Date?
    /// Contact the complainant by then.
    public var firstContact: Date?
    /// Reply with a resolution by then.
    public var resolution: Date?
    /// Returning as mis-routed is allowed until then.
    public var returnWindow: Date?

    public init(accept: Date? = nil, firstContact: Date? = nil, resolution: Date? = nil, returnWindow: Date? = nil) {
        self.accept = accept
        self.firstContact = firstContact
        self.resolution = resolution
        self.returnWindow = returnWindow
    }
}

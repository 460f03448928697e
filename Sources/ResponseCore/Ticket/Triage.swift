import Foundation

/// How a ticket was classified and located, and why it went where it went: written by the
/// dispatcher engine at intake, or by a person correcting it. Empty fields change nothing.
public struct Triage: Sendable, Equatable, Codable {
    /// The category to set (the model's confident guess, or a correction).
    public var categoryCode: String?
    public var districtCode: String?
    public var streetCode: String?
    /// Why: `basis` (rule / model / location / none), `confidence`, `suggestions`,
    /// `duplicateOf`, `repeatCaller` … kept as strings in the event.
    public var notes: [String: String]

    public init(categoryCode: String? = nil, districtCode: String? = nil, streetCode: String? = nil, notes: [String: String] = [:]) {
        self.categoryCode = categoryCode
        self.districtCode = districtCode
        self.streetCode = streetCode
        self.notes = notes
    }
}

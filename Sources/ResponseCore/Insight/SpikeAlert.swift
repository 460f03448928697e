import Foundation

/// A volume spike the early-warning detector raised for a category in a district (or, with an
/// empty district, in the whole city), as stored and shown.
public struct SpikeAlert: Codable, Sendable, Equatable, Identifiable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case open
        /// Someone took it in hand.
        case acknowledged
    }

    /// Derived from the stream and the instant, so every server that sees the same spike stores
    /// one alert.
    public var id: String
    public var tenantID: String
    public var category: String
    public var categoryName: String?
    public var district: String
    public var districtName: String?
    public var windowMinutes: Int
    /// When the tickets of the spike began to arrive.
    public var onset: Date
    /// Filing time of the ticket that tipped it.
    public var detectedAt: Date
    public var observed: Int
    public var expected: Double
    public var probability: Double
    public var status: Status
    public var acknowledgedBy: String?
    public var updatedAt: Date

    public init(
        tenantID: String, category: String, district: String, windowMinutes: Int, onset: Date, detectedAt: Date,
        observed: Int, expected: Double, probability: Double, now: Date
    ) {
        self.id = Self.id(tenantID: tenantID, category: category, district: district, detectedAt: detectedAt)
        self.tenantID = tenantID
        self.category = category
        self.district = district
        self.windowMinutes = windowMinutes
        self.onset = onset
        self.detectedAt = detectedAt
        self.observed = observed
        self.expected = expected
        self.probability = probability
        self.status = .open
        self.acknowledgedBy = nil
        self.updatedAt = now
    }

    static func id(tenantID: String, category: String, district: String, detectedAt: Date) -> String {
        "al-" + DemandFacts.stableHash([tenantID, category, district, String(detectedAt.millisecondsSince1970)].joined(separator: "\u{1F}"))
    }
}

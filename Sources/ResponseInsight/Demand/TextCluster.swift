import Foundation

/// A group of tickets that say nearly the same thing: what exactly people complain about
/// inside a category.
public struct TextCluster: Codable, Sendable, Equatable {
    /// The title of the ticket most typical of the group.
    public var label: String
    /// The shingles most particular to the group, most telling first.
    public var keywords: [String]
    /// Tickets of the sample in the group.
    public var tickets: Int
    /// Share of the sample.
    public var share: Double
    /// Numbers of some of its tickets, newest first.
    public var numbers: [String]
}

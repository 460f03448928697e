import Foundation

/// A string enum whose decoding error names the accepted values, so a client that sends
/// `"kind": "complain"` is told `one of consultation, help, complaint, …`.
public protocol StrictEnum: RawRepresentable, CaseIterable, Codable, Sendable where RawValue == String {}

extension StrictEnum {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard let value = Self(rawValue: raw) else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "'\(raw)' is not one of \(Self.allCases.map(\.rawValue).joined(separator: ", "))"
            )
        }
        self = value
    }
}

extension TicketKind: StrictEnum {}
extension Channel: StrictEnum {}
extension Urgency: StrictEnum {}
extension TicketStatus: StrictEnum {}
extension Role: StrictEnum {}
extension OrgUnit.Kind: StrictEnum {}
extension Evaluation.Satisfaction: StrictEnum {}
extension ReturnReason: StrictEnum {}
extension EventType: StrictEnum {}

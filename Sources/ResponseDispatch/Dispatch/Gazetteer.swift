import Foundation
import ResponseCore

/// Address text → jurisdiction: district and street/township names and their aliases found in
/// free text (朝阳区, 朝阳, A3区, Brooklyn), and exact addresses learned from past tickets.
public struct Gazetteer: Sendable {
    /// What the text names.
    public struct Match: Sendable, Equatable {
        public var districtCode: String?
        public var streetCode: String?
        public var point: GeoPoint?
        /// The words that matched, for the timeline.
        public var evidence: String
    }

    private struct Name: Sendable {
        var text: String
        var unit: String
        var isStreet: Bool
    }

    /// Names longest first, so 朝阳门街道 wins over 朝阳.
    private var names: [Name] = []
    /// Names by their first character, as scalar arrays: one pass over the text finds every
    /// name (Foundation's `contains` per name was the slowest step of a dispatch decision).
    private var byFirst: [UInt32: [(scalars: [UInt32], name: Int)]] = [:]
    private var parentOf: [String: String] = [:]
    /// Normalised address → where a past ticket with that address was.
    private var addresses: [String: (district: String?, street: String?, point: GeoPoint?)] = [:]
    public static let maxLearnedAddresses = 200_000

    /// Builds the name list from the city's districts and streets.
    public init(units: [OrgUnit]) {
        for unit in units where unit.active && (unit.kind == .district || unit.kind == .street) {
            let isStreet = unit.kind == .street
            if let parent = unit.parentCode { parentOf[unit.code] = parent }
            for alias in Self.aliases(of: unit.name) { names.append(Name(text: alias, unit: unit.code, isStreet: isStreet)) }
        }
        names.sort { $0.text.count > $1.text.count }
        for (i, name) in names.enumerated() {
            let scalars = name.text.unicodeScalars.map(\.value)
            if let first = scalars.first { byFirst[first, default: []].append((scalars, i)) }
        }
    }

    /// The official name and its short forms: 朝阳区 → 朝阳; 洋湖街道 → 洋湖; 城关镇 → 城关.
    /// Short forms of one character are dropped: they match too much.
    static func aliases(of name: String) -> [String] {
        var result = [name.lowercased()]
        for suffix in ["街道办事处", "街道", "地区", "乡", "镇", "区", "县", "市", " district", " neighborhood", " borough"] {
            if name.lowercased().hasSuffix(suffix) {
                let short = String(name.lowercased().dropLast(suffix.count)).trimmingCharacters(in: .whitespaces)
                if short.count >= 2 { result.append(short) }
            }
        }
        return result
    }

    /// Remembers where a ticket with this address was, so the next one needs no map click.
    public mutating func learn(address: String, districtCode: String?, streetCode: String?, point: GeoPoint?) {
        let key = Self.normalize(address)
        guard key.count >= 4, districtCode != nil || streetCode != nil || point != nil else { return }
        if addresses.count >= Self.maxLearnedAddresses, addresses[key] == nil { return }
        addresses[key] = (districtCode, streetCode, point)
    }

    /// What `address` and then `text` name: a learned address first, else the longest
    /// street name, else the longest district name.
    public func resolve(address: String?, text: String) -> Match? {
        if let address, let known = addresses[Self.normalize(address)] {
            return Match(districtCode: known.district, streetCode: known.street, point: known.point, evidence: "address")
        }
        let haystack = ((address ?? "") + "\n" + text.prefix(2_000)).lowercased().unicodeScalars.map(\.value)
        // Lower index = longer name (the list is sorted by length).
        var street: Int? = nil, district: Int? = nil
        for i in haystack.indices {
            guard let candidates = byFirst[haystack[i]] else { continue }
            for (scalars, index) in candidates where i + scalars.count <= haystack.count {
                guard haystack[i..<(i + scalars.count)].elementsEqual(scalars) else { continue }
                if names[index].isStreet { street = min(street ?? index, index) } else { district = min(district ?? index, index) }
            }
        }
        if let street {
            let name = names[street]
            return Match(districtCode: parentOf[name.unit], streetCode: name.unit, point: nil, evidence: name.text)
        }
        return district.map { Match(districtCode: names[$0].unit, streetCode: nil, point: nil, evidence: names[$0].text) }
    }

    /// Lower case, no spaces or punctuation, full-width folded: `No. 5, Main St.` = `no5mainst`.
    static func normalize(_ address: String) -> String {
        String(String.UnicodeScalarView(address.lowercased().unicodeScalars.compactMap { s -> Unicode.Scalar? in
            let v = TextFeatures.fold(s.value)
            guard let f = Unicode.Scalar(v), f.properties.isAlphabetic || f.properties.numericType != nil else { return nil }
            return f
        }))
    }
}

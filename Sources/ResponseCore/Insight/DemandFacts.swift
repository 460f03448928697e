import Foundation

/// What one ticket adds to the demand aggregates that frequent-problem, hotspot and repeat
/// queries read instead of scanning tickets: a pure function of the ticket, so the live path,
/// the importer and a rebuild agree.
public struct DemandFacts: Sendable, Hashable {
    /// City day of filing, `yyyy-MM-dd`.
    public var day: String
    /// City month of filing, `yyyy-MM`.
    public var month: String
    /// Category, district and street codes; empty text when unknown (SQL keys cannot be NULL).
    public var category: String
    public var district: String
    public var street: String
    /// The ~200 m grid cell of the location, when it has coordinates.
    public var cell: GridCell?
    /// The caller, as a keyed hash of the phone number's digits (no phone number is copied into
    /// the aggregates); `nil` for anonymous or phoneless tickets.
    public var caller: String?
    /// The caller's phone with all but the last four digits hidden, for repeat-caller lists.
    public var callerLabel: String?
    /// The place, normalised so spellings of one address meet; `nil` without address or point.
    public var address: String?
    /// The address as first written, for lists.
    public var addressLabel: String?
    public var number: String

    /// A keyed hash of a phone number's digits: the store's blind index (an HMAC), so that the
    /// number cannot be found again by hashing every possible number.
    public typealias CallerHash = @Sendable (String) -> String

    /// A phone number's caller key (`hash` of its digits) and masked label; `nil` for fewer than
    /// five digits.
    public static func callerKey(phone: String?, hash: CallerHash) -> (key: String, label: String)? {
        guard let digits = phoneDigits(phone) else { return nil }
        return (hash(String(digits)), String(repeating: "*", count: min(digits.count - 4, 7)) + digits.suffix(4))
    }

    /// The digits of a phone number, by which two writings of one number are the same caller;
    /// China's country code before a mobile (`+86`, `0086`) is dropped. `nil` when fewer than five.
    public static func phoneDigits(_ phone: String?) -> String? {
        guard var digits = phone?.filter(\.isASCIIDigit), digits.count >= 5 else { return nil }
        for prefix in ["0086", "86"] where digits.count == prefix.count + 11 && digits.hasPrefix(prefix + "1") {
            digits.removeFirst(prefix.count)
            break
        }
        return String(digits)
    }

    /// The facts of `ticket` as it stands; `callers` keys its complainant's phone.
    public static func of(_ ticket: Ticket, days: DayKeys, callers: CallerHash) -> DemandFacts {
        let day = days.key(ticket.createdAt)
        let location = ticket.location
        var facts = DemandFacts(
            day: day, month: String(day.prefix(7)),
            category: ticket.categoryCode ?? "", district: location.districtCode ?? "", street: location.streetCode ?? "",
            cell: nil, caller: nil, callerLabel: nil, address: nil, addressLabel: nil, number: ticket.number
        )
        if let lat = location.latitude, let lon = location.longitude { facts.cell = GridCell(latitude: lat, longitude: lon) }
        let complainant = ticket.complainant
        if !complainant.anonymous, let caller = callerKey(phone: complainant.phone, hash: callers) {
            (facts.caller, facts.callerLabel) = caller
        }
        if let text = location.address, let key = normalisedAddress(text) {
            facts.address = key
            facts.addressLabel = String(text.prefix(200))
        } else if let lat = location.latitude, let lon = location.longitude {
            // About 10 m: the same spot picked on a map again and again.
            let key = String(format: "@%.4f,%.4f", lat, lon)
            facts.address = key
            facts.addressLabel = key
        }
        return facts
    }

    /// Whether a change to a ticket moves it between aggregate keys (re-classified or re-located).
    public func sameKeys(as other: DemandFacts) -> Bool {
        day == other.day && category == other.category && district == other.district && street == other.street && cell == other.cell
    }

    /// Lower-case letters, digits and CJK characters only: `12 Main St.` and `12 main st` meet.
    static func normalisedAddress(_ text: String) -> String? {
        var out = ""
        var space = false
        for scalar in text.lowercased().unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) {
                if space && !out.isEmpty { out.append(" ") }
                out.unicodeScalars.append(scalar)
                space = false
            } else {
                space = true
            }
        }
        return out.count >= 3 ? String(out.prefix(200)) : nil
    }

    /// ``StableHash/fnv1a(_:)`` as hex: the same key on every run.
    static func stableHash(_ text: String) -> String {
        String(StableHash.fnv1a(text), radix: 16)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

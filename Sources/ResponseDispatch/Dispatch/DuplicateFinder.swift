import Foundation
import ResponseCore

/// Finds earlier open tickets about the same problem (same category, near in space and time,
/// similar text by SimHash over character shingles), and repeat callers.
///
/// Keeps a bounded window of recent tickets in memory; the store remains the record.
public struct DuplicateFinder: Sendable {
    public struct Settings: Sendable {
        /// How far apart two reports of one problem may be, in metres.
        public var radius: Double = 300
        /// How long a problem stays "the same".
        public var window: TimeInterval = 7 * 86_400
        /// Similarity (1 − Hamming distance / 64) from which a merge is proposed …
        public var proposeAt = 0.80
        /// … and from which it is done automatically.
        public var mergeAt = 0.92
        /// Tickets kept per category.
        public var perCategory = 5_000
        public init() {}
    }

    /// A candidate earlier ticket.
    public struct Candidate: Sendable, Equatable {
        public var number: String
        public var similarity: Double
        public var distance: Double?
    }

    struct Entry: Sendable {
        var number: String
        var fingerprint: UInt64
        var point: GeoPoint?
        var place: String?
        var at: Date
    }

    public var settings: Settings
    private var byCategory: [String: [Entry]] = [:]
    private var byPhone: [String: [(number: String, category: String?, at: Date)]] = [:]

    public init(settings: Settings = Settings()) { self.settings = settings }

    /// The most similar earlier ticket above the proposal threshold, if any.
    public func candidate(text: String, category: String?, point: GeoPoint?, place: String?, at: Date) -> Candidate? {
        candidate(fingerprint: Self.simHash(text), category: category, point: point, place: place, at: at)
    }

    /// As ``candidate(text:category:point:place:at:)`` for a fingerprint already computed.
    public func candidate(fingerprint: UInt64, category: String?, point: GeoPoint?, place: String?, at: Date, excluding: String? = nil) -> Candidate? {
        guard let category, let entries = byCategory[category] else { return nil }
        var best: Candidate? = nil
        for e in entries.reversed() {
            if at.timeIntervalSince(e.at) > settings.window { break }
            if e.number == excluding || e.at > at { continue }
            var distance: Double? = nil
            if let p = point, let q = e.point {
                let d = p.distance(to: q)
                if d > settings.radius { continue }
                distance = d
            } else if place == nil || e.place != place {
                continue
            }
            let similarity = 1 - Double((fingerprint ^ e.fingerprint).nonzeroBitCount) / 64
            if similarity >= settings.proposeAt, similarity > (best?.similarity ?? 0) {
                best = Candidate(number: e.number, similarity: similarity, distance: distance)
            }
        }
        return best
    }

    /// An earlier ticket by the same phone number in the window (same category when known).
    public func repeatCall(phone: String?, category: String?, at: Date) -> String? {
        guard let phone, !phone.isEmpty, let earlier = byPhone[phone] else { return nil }
        return earlier.last { at.timeIntervalSince($0.at) <= settings.window * 4 && (category == nil || $0.category == category) }?.number
    }

    /// Adds a filed ticket to the window.
    public mutating func remember(_ ticket: Ticket, fingerprint: UInt64? = nil) {
        let point = ticket.location.latitude.flatMap { lat in ticket.location.longitude.map { GeoPoint(latitude: lat, longitude: $0) } }
        if let category = ticket.categoryCode {
            var list = byCategory[category, default: []]
            list.append(Entry(number: ticket.number, fingerprint: fingerprint ?? Self.simHash(ticket.title + "\n" + ticket.description), point: point,
                              place: ticket.location.streetCode ?? ticket.location.districtCode, at: ticket.createdAt))
            if list.count > settings.perCategory { list.removeFirst(list.count - settings.perCategory) }
            byCategory[category] = list
        }
        if let phone = ticket.complainant.phone, !phone.isEmpty {
            var calls = byPhone[phone, default: []]
            calls.append((ticket.number, ticket.categoryCode, ticket.createdAt))
            if calls.count > 20 { calls.removeFirst() }
            byPhone[phone] = calls
        }
    }

    /// 64-bit SimHash over the text's features (character n-grams for Chinese, words and
    /// character trigrams for Latin scripts), so near-identical texts differ in few bits.
    public static func simHash(_ text: String) -> UInt64 { simHash(TextFeatures.extract(text)) }

    /// SimHash of features already extracted (the whole text's; the title's repeat and tokens
    /// are left out).
    public static func simHash(_ features: [TextFeatures.Feature]) -> UInt64 {
        var votes = [Float](repeating: 0, count: 64)
        for f in features where TextFeatures.Group(of: f.key) == .body {
            // The top two bits of a key name its group; a multiply spreads the rest over all 64.
            let key = f.key &* 0x9E37_79B9_7F4A_7C15
            for bit in 0..<64 { votes[bit] += (key >> UInt64(bit)) & 1 == 1 ? f.value : -f.value }
        }
        var hash: UInt64 = 0
        for bit in 0..<64 where votes[bit] > 0 { hash |= 1 << UInt64(bit) }
        return hash
    }
}

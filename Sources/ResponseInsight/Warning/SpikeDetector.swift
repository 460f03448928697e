import Foundation
import ResponseCore

/// An online detector of sudden volume spikes in ticket streams (category × district, and
/// category across the city): the early warning of an emergency.
///
/// For each stream it keeps the ticket counts of the last hours in 5-minute bins and a daily
/// level learnt with an exponentially weighted moving average (days with a spike are capped, so
/// a burst does not teach the baseline to expect bursts). The level is spread over the week by
/// the hour-of-week profile of the stream's category, smoothed towards the city's. When a
/// ticket arrives, each window's count is compared with its expectation under a Poisson law
/// (inflated for over-dispersion, with a floor for quiet streams); a tail probability below
/// `significance`, with at least `minimumTickets`, raises an alert. A stream that alerted stays
/// quiet for `cooldownHours`.
///
/// A value type with no clock of its own: time is the tickets' filing time, so a replay of a
/// year runs in seconds and gives the same alerts as live intake did.
public struct SpikeDetector: Sendable {
    /// The detector's tuning; see docs/insight.md for how the defaults were chosen.
    public struct Settings: Codable, Sendable, Equatable {
        /// Sliding windows, in minutes (multiples of 5, at most 1,440).
        public var windows: [Int] = [60, 240]
        /// Tail probability below which a count is a spike.
        public var significance: Double = 1e-6
        /// Fewer tickets than this in a window never alert.
        public var minimumTickets: Int = 5
        /// Half-life of the daily level, in days.
        public var halfLifeDays: Double = 14
        /// No alerts before this many days of data have been seen.
        public var warmUpDays: Int = 14
        /// After an alert the stream stays quiet this long.
        public var cooldownHours: Double = 12
        /// Expected counts are multiplied by this (real counts vary more than Poisson's).
        public var overdispersion: Double = 3
        /// Expected count per hour below which a stream counts as this quiet.
        public var floorPerHour: Double = 0.05
        /// A caller's further reports of the same category within this many minutes of the one
        /// counted are not counted: one resident calling five times is not five residents.
        /// 0 counts every report.
        public var repeatCallerMinutes: Int = 240

        public init() {}

        enum CodingKeys: String, CodingKey {
            case windows, significance, minimumTickets, halfLifeDays, warmUpDays, cooldownHours, overdispersion, floorPerHour, repeatCallerMinutes
        }

        // Every key may be omitted: the default stands.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            let d = Settings()
            windows = try c.decodeIfPresent([Int].self, forKey: .windows) ?? d.windows
            significance = try c.decodeIfPresent(Double.self, forKey: .significance) ?? d.significance
            minimumTickets = try c.decodeIfPresent(Int.self, forKey: .minimumTickets) ?? d.minimumTickets
            halfLifeDays = try c.decodeIfPresent(Double.self, forKey: .halfLifeDays) ?? d.halfLifeDays
            warmUpDays = try c.decodeIfPresent(Int.self, forKey: .warmUpDays) ?? d.warmUpDays
            cooldownHours = try c.decodeIfPresent(Double.self, forKey: .cooldownHours) ?? d.cooldownHours
            overdispersion = try c.decodeIfPresent(Double.self, forKey: .overdispersion) ?? d.overdispersion
            floorPerHour = try c.decodeIfPresent(Double.self, forKey: .floorPerHour) ?? d.floorPerHour
            repeatCallerMinutes = try c.decodeIfPresent(Int.self, forKey: .repeatCallerMinutes) ?? d.repeatCallerMinutes
        }

        /// Problems with the values, for configuration errors.
        public var problems: [String] {
            var out: [String] = []
            if windows.isEmpty || windows.contains(where: { $0 < 5 || $0 > 1440 || $0 % 5 != 0 }) {
                out.append("windows must be 5 to 1440 minutes, in steps of 5")
            }
            if !(significance > 0 && significance < 1) { out.append("significance must be between 0 and 1") }
            if minimumTickets < 1 { out.append("minimumTickets must be at least 1") }
            if !(halfLifeDays > 0) { out.append("halfLifeDays must be positive") }
            if warmUpDays < 0 { out.append("warmUpDays must not be negative") }
            if !(cooldownHours >= 0) { out.append("cooldownHours must not be negative") }
            if !(overdispersion >= 1) { out.append("overdispersion must be at least 1") }
            if !(floorPerHour > 0) { out.append("floorPerHour must be positive") }
            if !(0...10_080).contains(repeatCallerMinutes) { out.append("repeatCallerMinutes must be 0 to 10080") }
            return out
        }
    }

    /// One stream: a category in a district, or (`district` empty) in the whole city.
    public struct Stream: Hashable, Sendable, Codable {
        public var category: String
        public var district: String
        public init(category: String, district: String) {
            self.category = category
            self.district = district
        }
    }

    /// A spike.
    public struct Alert: Sendable, Equatable, Codable {
        public var stream: Stream
        /// The first 5-minute bin of the window that held tickets.
        public var onset: Date
        /// The filing time of the ticket that tipped it.
        public var detectedAt: Date
        public var windowMinutes: Int
        public var observed: Int
        public var expected: Double
        /// The Poisson tail probability of `observed` or more.
        public var probability: Double
    }

    /// A stream's scalars; its bins live in ``bins`` (one flat array for every stream, so a
    /// ticket changes two numbers in place instead of copying a stream's array).
    struct StreamState {
        var lastBin: Int
        var day: Int
        var dayCount: Int
        var level: Double = 0
        var quietUntil: Int = .min
    }

    /// The channels residents use: tickets filed by city staff (`other`: inspections, worker
    /// apps) say nothing about residents' demand and come in batches that look like spikes.
    public static let watchedChannels: Set<Channel> = Set(Channel.allCases).subtracting([.other])

    static let binSeconds = 300
    public let settings: Settings
    let timeZone: TimeZone
    let ringSize: Int
    let alpha: Double
    var index: [Stream: Int] = [:]
    var states: [StreamState] = []
    /// `ringSize` 5-minute counts per stream, stream `i` at `i * ringSize`.
    var bins: [Int32] = []
    /// Hour-of-week counts per category, and for the city ("" key).
    var profiles: [String: [Double]] = [:]
    var firstDay: Int?
    /// Per category, until when one of its districts is alerting (the city's stream keeps quiet).
    var districtAlertUntil: [String: Int] = [:]
    var profileDay: Int?
    /// Today's hour-of-week counts, folded into `profiles` when the day is over.
    var pending: [String: [Double]] = [:]
    /// Per profile, each hour of the week's share of the week (see ``shares(of:)``), and its total.
    var shares: [String: [Double]] = [:]
    var totals: [String: Double] = [:]
    static let emptyWeek = [Double](repeating: 0, count: 168)
    var offsetCache: (hour: Int, offset: Int) = (.min, 0)

    /// Events seen (for throughput figures).
    public private(set) var observed = 0
    /// Reports not counted because their caller had just reported the same category.
    public private(set) var repeats = 0
    /// Per category and caller, when their counted report was filed.
    var counted: [String: Int] = [:]
    var countedPrunedAt = 0

    public init(settings: Settings = Settings(), timeZone: TimeZone) {
        self.settings = settings
        self.timeZone = timeZone
        self.ringSize = max(1, (settings.windows.max() ?? 60) / 5)
        self.alpha = 1 - pow(0.5, 1 / settings.halfLifeDays)
    }

    /// Counts one ticket of `category` in `district` (empty when not located) filed at `date`.
    /// - Parameter caller: Who reported it (a stable key, not the number), when known: a caller's
    ///   repeats within ``Settings/repeatCallerMinutes`` are not counted.
    /// - Returns: The alert it raised for the district's stream, or for the city's, if any.
    public mutating func observe(category: String, district: String, at date: Date, caller: String? = nil) -> [Alert] {
        observed += 1
        let t = Int(date.timeIntervalSince1970.rounded(.down))
        if let caller, settings.repeatCallerMinutes > 0, isRepeat(category: category, caller: caller, t: t) {
            repeats += 1
            return []
        }
        let local = t + offset(at: t)
        let day = Int((Double(local) / 86_400).rounded(.down))
        if firstDay == nil { firstDay = day }
        learnProfile(category: category, local: local, day: day)
        var alerts: [Alert] = []
        if !district.isEmpty, let a = count(Stream(category: category, district: district), t: t, local: local, day: day, evaluate: true) {
            alerts.append(a)
            districtAlertUntil[category] = t + Int(settings.cooldownHours * 3600)
        }
        // A spike in one district is one incident: the city's stream of the category speaks only
        // when none of its districts is alerting (a spike spread over the city, or unlocated).
        let districtAlerting = (districtAlertUntil[category] ?? .min) > t
        if let a = count(Stream(category: category, district: ""), t: t, local: local, day: day, evaluate: !districtAlerting) { alerts.append(a) }
        return alerts
    }

    /// The stream's learnt tickets per day, for tests and status pages.
    public func dailyLevel(_ stream: Stream) -> Double? {
        guard let i = index[stream] else { return nil }
        return states[i].level / normaliser(day: states[i].day)
    }

    public var streamCount: Int { states.count }

    // MARK: - Internals

    /// Whether `caller` had a report of `category` counted within the repeat window; if not,
    /// this one is the counted one.
    mutating func isRepeat(category: String, caller: String, t: Int) -> Bool {
        let span = settings.repeatCallerMinutes * 60
        let key = category + "\u{1F}" + caller
        if let first = counted[key], t - first < span, t >= first { return true }
        counted[key] = t
        // Forget callers whose window has passed, now and then, so memory follows the window.
        if t - countedPrunedAt >= span {
            counted = counted.filter { t - $0.value < span }
            countedPrunedAt = t
        }
        return false
    }

    mutating func count(_ stream: Stream, t: Int, local: Int, day: Int, evaluate: Bool) -> Alert? {
        let bin = Int((Double(t) / Double(Self.binSeconds)).rounded(.down))
        let i: Int
        if let known = index[stream] {
            i = known
        } else {
            i = states.count
            index[stream] = i
            states.append(StreamState(lastBin: bin, day: day, dayCount: 0))
            bins.append(contentsOf: repeatElement(0, count: ringSize))
        }
        let base = i * ringSize
        var s = states[i]
        defer { states[i] = s }
        roll(&s, to: day)
        if bin > s.lastBin {
            // Clear the bins skipped since the last ticket.
            let steps = min(bin - s.lastBin, ringSize)
            for k in 1...steps { bins[base + Self.slot(s.lastBin + k, ringSize)] = 0 }
            s.lastBin = bin
        }
        // A ticket committed a little late lands in its own bin if that is still kept.
        guard s.lastBin - bin < ringSize else { return nil }
        bins[base + Self.slot(bin, ringSize)] += 1
        s.dayCount += 1
        guard evaluate, let first = firstDay, day - first >= settings.warmUpDays, t >= s.quietUntil else { return nil }
        var best: Alert? = nil
        for window in settings.windows {
            let width = window / 5
            var n = 0
            var onsetBin = s.lastBin
            for k in 0..<width {
                let c = Int(bins[base + Self.slot(s.lastBin - k, ringSize)])
                n += c
                if c > 0 { onsetBin = s.lastBin - k }
            }
            guard n >= settings.minimumTickets else { continue }
            let expected = expectedCount(stream, level: s.level / normaliser(day: day), lastBin: s.lastBin, bins: width, utcOffset: local - t)
            let lambda = max(expected * settings.overdispersion, settings.floorPerHour * Double(window) / 60)
            let p = Self.poissonTail(atLeast: n, mean: lambda)
            guard p < settings.significance else { continue }
            if best.map({ p < $0.probability }) ?? true {
                best = Alert(
                    stream: stream, onset: Date(timeIntervalSince1970: TimeInterval(onsetBin * Self.binSeconds)),
                    detectedAt: Date(timeIntervalSince1970: TimeInterval(t)), windowMinutes: window, observed: n, expected: expected, probability: p
                )
            }
        }
        if best != nil { s.quietUntil = t + Int(settings.cooldownHours * 3600) }
        return best
    }

    /// Folds finished days into the level: the last day's count (capped if it was a spike),
    /// then zeros for the days without tickets.
    func roll(_ s: inout StreamState, to day: Int) {
        guard day > s.day else { return }
        let mean = s.level / normaliser(day: s.day)
        let warm = firstDay.map { s.day - $0 >= settings.warmUpDays } ?? false
        let cap = warm ? mean + 4 * mean.squareRoot() + 3 : .infinity
        s.level += alpha * (min(Double(s.dayCount), cap) - s.level)
        let gap = day - s.day - 1
        if gap > 0 { s.level *= pow(1 - alpha, Double(gap)) }
        s.day = day
        s.dayCount = 0
    }

    /// The EWMA's bias correction: a level started at zero on the first day weighs
    /// `1 − (1 − α)^days` of real observations.
    func normaliser(day: Int) -> Double {
        let days = Double(day - (firstDay ?? day))
        return max(1 - pow(1 - alpha, max(days, 1)), 1e-9)
    }

    /// Tickets expected in the `bins` bins ending at `lastBin`: the daily level spread over the
    /// week by the category's hour-of-week profile (with 50 tickets' worth of the city's).
    func expectedCount(_ stream: Stream, level: Double, lastBin: Int, bins: Int, utcOffset: Int) -> Double {
        let city = shares[""], own = shares[stream.category], ownTotal = totals[stream.category] ?? 0
        let prior = 50.0
        var share = 0.0
        for k in 0..<bins {
            let local = (lastBin - k) * Self.binSeconds + utcOffset
            let slot = Self.hourOfWeek(local)
            let cityShare = city?[slot] ?? 1.0 / 168
            let ownShare = own.map { (ownTotal * $0[slot] + prior * cityShare) / (ownTotal + prior) } ?? cityShare
            share += ownShare / 12
        }
        return level * 7 * share
    }

    /// The share of a week's tickets each hour of the week gets, from a profile's counts.
    ///
    /// Hour-of-week counts need several weeks; until every weekday has been seen, the hour-of-day
    /// pattern of the days seen stands in for the others (weighted by the weekdays seen), so a
    /// city learnt from one Wednesday still expects a Thursday's morning rush.
    static func shares(of profile: [Double]) -> [Double] {
        let total = profile.reduce(0, +)
        guard total > 0 else { return Array(repeating: 1.0 / 168, count: 168) }
        var byHour = [Double](repeating: 0, count: 24)
        var weekdaysSeen = 0
        for day in 0..<7 {
            var any = false
            for hour in 0..<24 {
                byHour[hour] += profile[day * 24 + hour]
                if profile[day * 24 + hour] > 0 { any = true }
            }
            if any { weekdaysSeen += 1 }
        }
        let weight = Double(weekdaysSeen) / 7
        return (0..<168).map { slot in weight * profile[slot] / total + (1 - weight) * byHour[slot % 24] / total / 7 }
    }

    /// Counts the ticket towards tomorrow's profiles: today's tickets wait in `pending` until the
    /// day is over, so a spike never raises the expectation it is measured against.
    mutating func learnProfile(category: String, local: Int, day: Int) {
        if let last = profileDay, day > last {
            let week = Int((Double(day) / 7).rounded(.down)), lastWeek = Int((Double(last) / 7).rounded(.down))
            if week > lastWeek {
                // Older weeks fade, so a change of habits (summer, a holiday) is learnt within weeks.
                let factor = pow(0.85, Double(week - lastWeek))
                for key in Array(profiles.keys) { profiles[key] = profiles[key]?.map { $0 * factor } }
            }
            for (key, slots) in pending {
                var p = profiles[key] ?? Array(repeating: 0, count: 168)
                for slot in 0..<168 { p[slot] += slots[slot] }
                profiles[key] = p
            }
            pending.removeAll(keepingCapacity: true)
            // Shares are derived once a day, not for every ticket that is tested.
            for (key, p) in profiles {
                shares[key] = Self.shares(of: p)
                totals[key] = p.reduce(0, +)
            }
        }
        if profileDay.map({ day > $0 }) ?? true { profileDay = day }
        let slot = Self.hourOfWeek(local)
        // In place (the dictionary's default subscript modifies its array without a copy).
        pending[category, default: Self.emptyWeek][slot] += 1
        pending["", default: Self.emptyWeek][slot] += 1
    }

    /// Monday 00:00 is slot 0 (1970-01-01 was a Thursday).
    static func hourOfWeek(_ local: Int) -> Int {
        let day = Int((Double(local) / 86_400).rounded(.down))
        let weekday = ((day + 3) % 7 + 7) % 7
        let hour = ((local % 86_400) + 86_400) % 86_400 / 3600
        return weekday * 24 + hour
    }

    static func slot(_ bin: Int, _ size: Int) -> Int { ((bin % size) + size) % size }

    /// The city's offset from UTC, looked up once per hour of time.
    mutating func offset(at t: Int) -> Int {
        let hour = Int((Double(t) / 3600).rounded(.down))
        if hour != offsetCache.hour {
            offsetCache = (hour, timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
        }
        return offsetCache.offset
    }

    /// P(X ≥ n) for X ~ Poisson(mean), summed from the tail itself so tiny values stay exact.
    public static func poissonTail(atLeast n: Int, mean: Double) -> Double {
        guard n > 0 else { return 1 }
        guard mean > 0 else { return 0 }
        // At or below the mean the tail is large: one minus the few terms below `n` is exact enough.
        if Double(n) <= mean {
            var term = exp(-mean), below = 0.0
            for i in 0..<n {
                below += term
                term *= mean / Double(i + 1)
            }
            return max(0, min(1, 1 - below))
        }
        var term = exp(-mean + Double(n) * log(mean) - lgamma(Double(n) + 1))
        var sum = 0.0
        var i = n
        while term > sum * 1e-12 && i < n + 10_000 {
            sum += term
            i += 1
            term *= mean / Double(i)
            if term == 0 { break }
        }
        return min(1, sum)
    }
}

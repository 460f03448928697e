import Foundation
import ResponseCore

/// Measures a ``SpikeDetector`` on a real ticket stream: alerts per day as it is, and how soon
/// it catches bursts injected at random places and times.
public enum SpikeEvaluation {
    /// One ticket of the stream.
    public struct Event: Sendable {
        public var category: String
        public var district: String
        public var at: Date
        public init(category: String, district: String, at: Date) {
            self.category = category
            self.district = district
            self.at = at
        }
    }

    /// A burst added to the stream: `size` tickets of one category in one district, evenly
    /// over `minutes` from `start`.
    public struct Burst: Sendable, Equatable {
        public var stream: SpikeDetector.Stream
        public var start: Date
        public var size: Int
        public var minutes: Int

        public init(stream: SpikeDetector.Stream, start: Date, size: Int, minutes: Int) {
            self.stream = stream
            self.start = start
            self.size = size
            self.minutes = minutes
        }

        /// Whether an alert of `stream` raised at `detectedAt` caught this burst: same category,
        /// its district or the whole city, between the burst's start and an hour after its end.
        public func isCaught(by stream: SpikeDetector.Stream, at detectedAt: Date) -> Bool {
            stream.category == self.stream.category && (stream.district == self.stream.district || stream.district.isEmpty)
                && detectedAt >= start && detectedAt <= start.addingTimeInterval(Double(minutes * 60 + 3600))
        }
    }

    /// What a run saw.
    public struct Outcome: Sendable {
        public var events: Int
        public var alerts: [SpikeDetector.Alert]
        /// Days after the warm-up, over which alarms are counted.
        public var days: Double
        /// Alerts that matched no injected burst.
        public var unmatched: Int
        /// Per burst, the time from its start to the first alert that matched it (`nil`: missed).
        public var delays: [TimeInterval?]
        public var seconds: Double
        public var streams: Int
    }

    /// A copy of `events` with `count` bursts of `size` tickets over `minutes`, each in the stream
    /// of a ticket picked at random after the warm-up (so busy streams get more, as in life),
    /// starting at a random time of that day. Sorted by time.
    public static func inject(
        into events: [Event], count: Int, size: Int, minutes: Int, after start: Date, seed: UInt64
    ) -> ([Event], [Burst]) {
        var rng = SplitMix64(seed: seed)
        let candidates = events.filter { $0.at >= start && !$0.district.isEmpty }
        guard !candidates.isEmpty, let end = events.last?.at else { return (events, []) }
        var out = events
        var bursts: [Burst] = []
        for _ in 0..<count {
            let pick = candidates[Int(rng.next() % UInt64(candidates.count))]
            let span = max(end.timeIntervalSince(start) - Double(minutes * 60), 1)
            let at = start.addingTimeInterval(Double(rng.next() % UInt64(span)))
            let burst = Burst(stream: .init(category: pick.category, district: pick.district), start: at, size: size, minutes: minutes)
            bursts.append(burst)
            for k in 0..<size {
                out.append(Event(category: pick.category, district: pick.district, at: at.addingTimeInterval(Double(minutes * 60) * Double(k) / Double(size))))
            }
        }
        out.sort { $0.at < $1.at }
        return (out, bursts.sorted { $0.start < $1.start })
    }

    /// Runs the detector over `events` (sorted by time) and matches its alerts to `bursts`
    /// (``Burst/isCaught(by:at:)``).
    public static func run(_ events: [Event], settings: SpikeDetector.Settings, timeZone: TimeZone, bursts: [Burst] = []) -> Outcome {
        var detector = SpikeDetector(settings: settings, timeZone: timeZone)
        var alerts: [SpikeDetector.Alert] = []
        let clock = ContinuousClock()
        let started = clock.now
        for e in events { alerts += detector.observe(category: e.category, district: e.district, at: e.at) }
        let elapsed = clock.now - started
        let seconds = elapsed.seconds
        var delays: [TimeInterval?] = Array(repeating: nil, count: bursts.count)
        var matched = Array(repeating: false, count: alerts.count)
        for (b, burst) in bursts.enumerated() {
            for (i, a) in alerts.enumerated() where burst.isCaught(by: a.stream, at: a.detectedAt) {
                matched[i] = true
                let delay = a.detectedAt.timeIntervalSince(burst.start)
                delays[b] = min(delays[b] ?? .infinity, delay)
            }
        }
        let first = events.first?.at ?? Date(timeIntervalSince1970: 0)
        let warm = first.addingTimeInterval(Double(settings.warmUpDays) * 86_400)
        let days = max((events.last?.at ?? first).timeIntervalSince(warm) / 86_400, 0)
        return Outcome(
            events: events.count, alerts: alerts, days: days, unmatched: matched.filter { !$0 }.count, delays: delays,
            seconds: seconds, streams: detector.streamCount
        )
    }
}

/// A small seeded generator (SplitMix64), so evaluations repeat exactly.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

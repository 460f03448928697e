import Foundation
import Synchronization

/// The source of "now" for everything that stamps or compares times.
///
/// Time is injected, never read ad hoc, so deadline logic and the event log are testable
/// with a ``ManualClock``.
public protocol WallClock: Sendable {
    /// The current instant.
    func now() -> Date
}

/// The real clock, rounded to whole milliseconds because the store keeps milliseconds.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date {
        Date(millisecondsSince1970: Date().millisecondsSince1970)
    }
}

/// A clock that only moves when told to; for tests and replays.
public final class ManualClock: WallClock {
    private let current: Mutex<Date>

    /// - Parameter start: The instant the clock shows until it is advanced.
    public init(_ start: Date) {
        self.current = Mutex(Date(millisecondsSince1970: start.millisecondsSince1970))
    }

    public func now() -> Date { current.withLock { $0 } }

    /// Moves the clock forward by `seconds`.
    public func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }
}

extension Date {
    /// Whole milliseconds since 1970, the unit every timestamp is stored in.
    public var millisecondsSince1970: Int64 {
        Int64((timeIntervalSince1970 * 1000).rounded(.down))
    }

    /// A date from whole milliseconds since 1970.
    public init(millisecondsSince1970 ms: Int64) {
        self.init(timeIntervalSince1970: TimeInterval(ms) / 1000)
    }
}

/// A clock that runs `speed` times faster than real time from `origin`: replays of past days
/// (`swift-response replay --speed 100x`) run the whole server — intake, detector, deadlines —
/// in the data's own time.
public final class ScaledClock: WallClock {
    let origin: Date
    let speed: Double
    let started = ContinuousClock.now

    public init(origin: Date, speed: Double) {
        self.origin = origin
        self.speed = speed
    }

    public func now() -> Date {
        let elapsed = ContinuousClock.now - started
        return Date(millisecondsSince1970: origin.addingTimeInterval(elapsed.seconds * speed).millisecondsSince1970)
    }

    /// The real time left until the clock shows `date` (zero when it already has).
    public func wait(until date: Date) -> Duration {
        let ahead = date.timeIntervalSince(now()) / speed
        return ahead > 0 ? .milliseconds(Int64(ahead * 1000)) : .zero
    }
}

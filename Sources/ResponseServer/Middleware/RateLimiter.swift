import Foundation
import Synchronization

/// A token bucket per caller: `burst` requests at once, then `perMinute` a minute. Held in
/// memory, so each server instance limits on its own (a deployment of N instances lets a
/// client make up to N times the rate).
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Date
    }

    private let buckets = Mutex<[String: Bucket]>([:])
    let perMinute: Int
    let burst: Int

    init(perMinute: Int, burst: Int) {
        self.perMinute = max(1, perMinute)
        self.burst = max(1, burst)
    }

    /// Takes one request from `caller`'s bucket.
    /// - Returns: `nil` when allowed, else how many seconds until the next request would be.
    func take(_ caller: String, now: Date) -> Int? {
        let rate = Double(perMinute) / 60
        return buckets.withLock { buckets in
            if buckets.count > 100_000 { buckets.removeAll() }  // bound memory under a flood of callers
            var bucket = buckets[caller] ?? Bucket(tokens: Double(burst), updated: now)
            bucket.tokens = min(Double(burst), bucket.tokens + max(0, now.timeIntervalSince(bucket.updated)) * rate)
            bucket.updated = now
            defer { buckets[caller] = bucket }
            guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))) }
            bucket.tokens -= 1
            return nil
        }
    }
}

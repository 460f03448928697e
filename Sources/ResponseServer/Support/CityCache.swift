import Foundation
import Synchronization

/// A value per city, rebuilt at most every `lifetime` seconds: for data that many requests read
/// and that may be a few seconds stale (the Open311 catalogue, the public dashboard).
final class CityCache<Value: Sendable>: Sendable {
    private let entries = Mutex<[String: (value: Value, built: Date)]>([:])
    let lifetime: TimeInterval

    init(lifetime: TimeInterval) { self.lifetime = lifetime }

    func get(_ city: String, now: Date) -> Value? {
        entries.withLock { e in
            guard let entry = e[city], now.timeIntervalSince(entry.built) < lifetime, now >= entry.built else { return nil }
            return entry.value
        }
    }

    func put(_ city: String, _ value: Value, now: Date) {
        entries.withLock { $0[city] = (value, now) }
    }

    /// The cached value, or `build()`'s, which is then kept.
    func value(_ city: String, now: Date, build: () async throws -> Value) async rethrows -> Value {
        if let cached = get(city, now: now) { return cached }
        let fresh = try await build()
        put(city, fresh, now: now)
        return fresh
    }
}

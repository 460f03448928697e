import Synchronization

/// A thread-safe running count.
final class Counter: Sendable {
    private let storage = Mutex(0)
    func add(_ n: Int) { storage.withLock { $0 += n } }
    var value: Int { storage.withLock { $0 } }
    /// The current value, then adds one.
    func next() -> Int { storage.withLock { v in defer { v += 1 }; return v } }
}

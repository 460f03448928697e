import Synchronization

/// A first-come, first-served lock for async code: SQLite allows one writer, and a writer
/// transaction spans several awaits, which an actor (re-entrant at every await) cannot guard.
final class AsyncLock: Sendable {
    private struct State {
        var locked = false
        var waiters: [CheckedContinuation<Void, Never>] = []  // a handful at most: one per in-flight write
    }
    private let state = Mutex(State())

    init() {}

    func lock() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let acquired = state.withLock { s -> Bool in
                if s.locked {
                    s.waiters.append(continuation)
                    return false
                }
                s.locked = true
                return true
            }
            if acquired { continuation.resume() }
        }
    }

    func unlock() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if !s.waiters.isEmpty { return s.waiters.removeFirst() }  // ownership passes straight on
            s.locked = false
            return nil
        }
        next?.resume()
    }

    /// Runs `body` holding the lock.
    func withLock<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        await lock()
        defer { unlock() }
        return try await body()
    }
}

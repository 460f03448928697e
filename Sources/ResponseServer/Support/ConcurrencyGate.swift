import Synchronization

/// At most `limit` bodies at once, first come first served; up to `queueLimit` callers wait for
/// a turn, and beyond them ``run(_:)`` refuses at once. Keeps a flood of password checks from
/// taking every core, so a real login still gets its turn.
final class ConcurrencyGate: Sendable {
    private struct State {
        var running = 0
        var waiting: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    let limit: Int
    let queueLimit: Int

    init(limit: Int, queueLimit: Int) {
        self.limit = max(1, limit)
        self.queueLimit = max(0, queueLimit)
    }

    struct Full: Error {}

    /// Runs `body` in turn; throws ``Full`` when the queue is full.
    func run<R: Sendable>(_ body: () async throws -> R) async throws -> R {
        try await enter()
        defer { leave() }
        return try await body()
    }

    private func enter() async throws {
        enum Entry { case now, wait, full }
        let entry: Entry = state.withLock { s in
            if s.running < limit { s.running += 1; return .now }
            return s.waiting.count < queueLimit ? .wait : .full
        }
        switch entry {
        case .now: return
        case .full: throw Full()
        case .wait:
            await withCheckedContinuation { continuation in
                let admitted = state.withLock { s -> Bool in
                    if s.running < limit { s.running += 1; return true }
                    s.waiting.append(continuation)
                    return false
                }
                if admitted { continuation.resume() }
            }
        }
    }

    /// Hands the turn to the first waiter (who then counts as running), or frees it.
    private func leave() {
        let next = state.withLock { s -> CheckedContinuation<Void, Never>? in
            if s.waiting.isEmpty { s.running -= 1; return nil }
            return s.waiting.removeFirst()
        }
        next?.resume()
    }

    /// Bodies running now and callers waiting.
    var load: (running: Int, waiting: Int) { state.withLock { ($0.running, $0.waiting.count) } }
}

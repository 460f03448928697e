import Synchronization

/// A queue drained in batches by one loop: items that arrive while a batch is being processed
/// form the next batch. The basis of group commit (``GroupCommitWriter``) and of batched intake
/// (``SQLTicketStore/createTicket(_:tenant:actor:now:)``).
final class BatchQueue<Item: Sendable>: Sendable {
    private struct State {
        var items: [Item] = []
        var waiting: CheckedContinuation<Void, Never>? = nil
        var closed = false
    }

    private let state = Mutex(State())
    /// Most items handed to one call of the handler.
    let maxBatch: Int

    init(maxBatch: Int) {
        self.maxBatch = maxBatch
    }

    /// Items waiting for the next batch.
    var count: Int { state.withLock { $0.items.count } }

    /// Adds an item; `false` once the queue is closed.
    func submit(_ item: Item) -> Bool {
        let (accepted, wake) = state.withLock { s -> (Bool, CheckedContinuation<Void, Never>?) in
            if s.closed { return (false, nil) }
            s.items.append(item)
            let w = s.waiting
            s.waiting = nil
            return (true, w)
        }
        wake?.resume()
        return accepted
    }

    /// Stops accepting items; ``run(_:)`` processes what is queued and returns.
    func close() {
        let wake = state.withLock { s -> CheckedContinuation<Void, Never>? in
            s.closed = true
            let w = s.waiting
            s.waiting = nil
            return w
        }
        wake?.resume()
    }

    /// Calls `handler` with each batch, in order, until the queue is closed and empty.
    func run(_ handler: ([Item]) async -> Void) async {
        while true {
            let batch = await next()
            if batch.isEmpty { return }
            await handler(batch)
        }
    }

    private func next() async -> [Item] {
        while true {
            let batch = state.withLock { s -> [Item]? in
                if !s.items.isEmpty {
                    let n = min(maxBatch, s.items.count)
                    let batch = Array(s.items.prefix(n))
                    s.items.removeFirst(n)
                    return batch
                }
                return s.closed ? [] : nil
            }
            if let batch { return batch }
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let resumeNow = state.withLock { s -> Bool in
                    if !s.items.isEmpty || s.closed { return true }
                    s.waiting = c
                    return false
                }
                if resumeNow { c.resume() }
            }
        }
    }
}

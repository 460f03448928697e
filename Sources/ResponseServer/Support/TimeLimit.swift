/// Thrown by ``withTimeLimit(_:_:)`` when the work did not finish in time.
struct TimeLimitExceeded: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "no answer within \(limit)" }
}

/// Runs `body`, or throws ``TimeLimitExceeded`` once `limit` has passed; the body is then
/// cancelled (a lease waiting on a connection pool gives up when cancelled). For probes
/// (readiness) whose answer is worthless late, never for writes.
func withTimeLimit<R: Sendable>(_ limit: Duration, _ body: @escaping @Sendable () async throws -> R) async throws -> R {
    try await withThrowingTaskGroup(of: R?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next(), let result = first else { throw TimeLimitExceeded(limit: limit) }
        return result
    }
}

/// One build per key at a time: a caller that asks for a key while its build runs waits for that
/// build's answer instead of starting another. A stored view or brief that has to be built reads
/// a month of cells: once, not once per console opened in the same minute.
actor SingleFlight<Value: Sendable> {
    private var running: [String: (build: Task<Value, any Error>, callers: Int)] = [:]

    /// The answer of the build running under `key`, or of `build`, started now.
    func run(_ key: String, _ build: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let entry = running[key] {
            running[key]?.callers += 1
            return try await entry.build.value
        }
        // Unstructured on purpose: the build belongs to every caller waiting for it, so the
        // first caller going away must not cancel it for the others.
        let task = Task { try await build() }
        running[key] = (task, 1)
        defer { running[key] = nil }
        return try await task.value
    }

    /// How many callers wait for the build running under `key` (0 when none runs).
    func callers(of key: String) -> Int { running[key]?.callers ?? 0 }
}

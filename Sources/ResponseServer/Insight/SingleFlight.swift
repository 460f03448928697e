/// One build per key at a time: a caller that asks for a key while its build runs waits for that
/// build's answer instead of starting another. A stored view or brief that has to be built reads
/// a month of cells: once, not once per console opened in the same minute.
actor SingleFlight<Value: Sendable> {
    private var running: [String: Task<Value, any Error>] = [:]

    /// The answer of the build running under `key`, or of `build`, started now.
    func run(_ key: String, _ build: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let task = running[key] { return try await task.value }
        // Unstructured on purpose: the build belongs to every caller waiting for it, so the
        // first caller going away must not cancel it for the others.
        let task = Task { try await build() }
        running[key] = task
        defer { running[key] = nil }
        return try await task.value
    }
}

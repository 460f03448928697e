import Testing
@testable import ResponseServer

@Suite("One build per key at a time")
struct SingleFlightTests {
    actor Counter {
        var builds = 0
        func next() -> Int {
            builds += 1
            return builds
        }
    }

    @Test("callers asking while a build runs share its answer; a later caller and another key build again; a failure reaches every waiter")
    func sharing() async throws {
        let flight = SingleFlight<Int>(), counter = Counter()
        // Long enough that every caller started together asks while the build runs, even on a
        // busy machine.
        let slow: @Sendable () async throws -> Int = {
            let n = await counter.next()
            try await Task.sleep(for: .seconds(1))
            return n
        }
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<5 { group.addTask { try await flight.run("city view", slow) } }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers == [1, 1, 1, 1, 1])
        #expect(await counter.builds == 1)
        #expect(try await flight.run("city view", slow) == 2, "the key is free once its build has ended")
        async let other = flight.run("other view", slow)
        async let again = flight.run("city view", slow)
        #expect(Set([try await other, try await again]) == [3, 4], "different keys build side by side")

        struct Broken: Error {}
        let failing: @Sendable () async throws -> Int = {
            try await Task.sleep(for: .seconds(1))
            throw Broken()
        }
        async let first = Result { try await flight.run("broken", failing) }
        async let second = Result { try await flight.run("broken", failing) }
        for result in [await first, await second] {
            #expect(throws: Broken.self) { try result.get() }
        }
        #expect(try await flight.run("broken", slow) == 5, "a failed build frees its key")
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

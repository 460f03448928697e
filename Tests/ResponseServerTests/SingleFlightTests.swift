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

    /// Holds builds until the test opens it: no timing, so no sleeping.
    actor Gate {
        private var isOpen = false
        private var waiting: [CheckedContinuation<Void, Never>] = []

        func pass() async {
            if isOpen { return }
            await withCheckedContinuation { waiting.append($0) }
        }

        func open() {
            isOpen = true
            for continuation in waiting { continuation.resume() }
            waiting = []
        }
    }

    /// Yields until `condition` holds (the callers have reached the flight).
    func until(_ condition: () async -> Bool) async {
        while !(await condition()) { await Task.yield() }
    }

    @Test("callers asking while a build runs share its answer; a later caller and another key build again; a failure reaches every waiter",
          .timeLimit(.minutes(1)))
    func sharing() async throws {
        let flight = SingleFlight<Int>(), counter = Counter()
        let first = Gate()
        let held: @Sendable () async throws -> Int = {
            let n = await counter.next()
            await first.pass()
            return n
        }
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<5 { group.addTask { try await flight.run("city view", held) } }
            await until { await flight.callers(of: "city view") == 5 }
            await first.open()
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers == [1, 1, 1, 1, 1])
        #expect(await counter.builds == 1)
        #expect(await flight.callers(of: "city view") == 0)
        #expect(try await flight.run("city view", { await counter.next() }) == 2, "the key is free once its build has ended")

        let second = Gate()
        let heldAgain: @Sendable () async throws -> Int = {
            let n = await counter.next()
            await second.pass()
            return n
        }
        async let other = flight.run("other view", heldAgain)
        async let again = flight.run("city view", heldAgain)
        await until { await flight.callers(of: "other view") == 1 }
        await until { await flight.callers(of: "city view") == 1 }
        // Both builds get going while neither may finish: the keys build side by side.
        await until { await counter.builds == 4 }
        await second.open()
        #expect(Set([try await other, try await again]) == [3, 4])

        struct Broken: Error {}
        let third = Gate()
        let failing: @Sendable () async throws -> Int = {
            await third.pass()
            throw Broken()
        }
        async let one = Result { try await flight.run("broken", failing) }
        async let two = Result { try await flight.run("broken", failing) }
        await until { await flight.callers(of: "broken") == 2 }
        await third.open()
        for result in [await one, await two] {
            #expect(throws: Broken.self) { try result.get() }
        }
        #expect(try await flight.run("broken", { await counter.next() }) == 5, "a failed build frees its key")
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

import Foundation
import Logging
import ResponseCore
import ResponseStore
import ServiceLifecycle
import Synchronization

/// Fans the event log out to the console's live streams: one reader per server polls each city
/// that has listeners, however many consoles are open, and hands every listener the changes it
/// may see. Runs as a service of the application and ends its listeners' streams at shutdown.
public final class LiveFeed: Service, Sendable {
    /// What one listener receives at each tick: the changes it may see, each already written
    /// as a server-sent event (encoded once, however many listeners), possibly none — the tick
    /// itself lets the stream check its lifetime and send keep-alives.
    public typealias Batch = [String]

    private struct Listener {
        var identity: Identity
        var continuation: AsyncStream<Batch>.Continuation
    }

    private struct State {
        var listeners: [UUID: Listener] = [:]
        var running = false
        var stopped = false
        /// Per city: how far the log was read, and the events already sent inside the overlap.
        var cursors: [String: Date] = [:]
        var sent: [String: [String: Date]] = [:]
    }

    private let state = Mutex(State())
    let store: any TicketStore
    let clock: any WallClock
    let interval: TimeInterval
    let logger: Logger

    /// Commits can land slightly after the instant stamped on their events: each look reaches
    /// this far back and drops events already sent.
    static let overlap: TimeInterval = 2
    /// Events read per query; a full batch is followed at once by the next.
    static let batchSize = 2_000
    /// More changes than this in one tick reach a listener as one `reload` event.
    public static let burst = 50

    /// - Parameter interval: Seconds between two looks at the event log.
    public init(store: any TicketStore, clock: any WallClock, interval: TimeInterval, logger: Logger) {
        self.store = store
        self.clock = clock
        self.interval = interval
        self.logger = logger
    }

    /// Screens listening now.
    public var listenerCount: Int { state.withLock { $0.listeners.count } }

    public var isRunning: Bool { state.withLock { $0.running && !$0.stopped } }

    /// Starts listening for `identity`'s city. The stream ends when the feed stops.
    public func subscribe(_ identity: Identity) -> (UUID, AsyncStream<Batch>) {
        let id = UUID()
        // A slow browser gets the newest batches; what it missed it reloads anyway.
        let (stream, continuation) = AsyncStream.makeStream(of: Batch.self, bufferingPolicy: .bufferingNewest(64))
        let now = clock.now()
        let stopped = state.withLock { s -> Bool in
            guard !s.stopped else { return true }
            s.listeners[id] = Listener(identity: identity, continuation: continuation)
            if s.cursors[identity.tenantID] == nil { s.cursors[identity.tenantID] = now }
            return false
        }
        if stopped { continuation.finish() }
        return (id, stream)
    }

    public func unsubscribe(_ id: UUID) {
        state.withLock { s in
            guard let listener = s.listeners.removeValue(forKey: id) else { return }
            listener.continuation.finish()
            // A city nobody listens to is no longer read; a new listener starts from its own now.
            if !s.listeners.values.contains(where: { $0.identity.tenantID == listener.identity.tenantID }) {
                s.cursors[listener.identity.tenantID] = nil
                s.sent[listener.identity.tenantID] = nil
            }
        }
    }

    public func run() async throws {
        state.withLock { $0.running = true }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do { try await self.tick() } catch is CancellationError { break } catch {
                    self.logger.error("live feed: \(error)")
                }
                try? await Task.sleep(for: .milliseconds(Int(self.interval * 1000)))
            }
        }
        let listeners = state.withLock { s -> [Listener] in
            s.stopped = true
            defer { s.listeners.removeAll() }
            return Array(s.listeners.values)
        }
        for listener in listeners { listener.continuation.finish() }
    }

    /// One look at the log of every city with listeners (the service does this every interval).
    public func tick() async throws {
        let cities = state.withLock { s in Array(Set(s.listeners.values.map(\.identity.tenantID))) }
        for city in cities {
            var changes: [(TicketEvent, String)] = []
            let encoder = JSONEncoder.api
            while true {
                let (cursor, sent) = state.withLock { ($0.cursors[city] ?? clock.now(), $0.sent[city] ?? [:]) }
                let now = clock.now()
                let events = try await store.events(tenantID: city, types: [], from: cursor.addingTimeInterval(-Self.overlap),
                                                    to: now.addingTimeInterval(0.001), limit: Self.batchSize)
                var seen = sent
                for e in events {
                    let key = e.event.ticketID + ":" + String(e.event.sequence)
                    if seen[key] != nil { continue }
                    seen[key] = e.event.at
                    let change = LiveController.Change(number: e.number, type: e.event.type, status: e.event.toStatus, at: e.event.at)
                    changes.append((e.event, "event: ticket\ndata: " + String(decoding: try encoder.encode(change), as: UTF8.self) + "\n\n"))
                }
                let last = events.last?.event.at ?? cursor
                let next = max(cursor, last)
                // What is older than the overlap window cannot come back.
                seen = seen.filter { $0.value >= next.addingTimeInterval(-Self.overlap - 1) }
                state.withLock { s in
                    guard s.cursors[city] != nil else { return }
                    s.cursors[city] = next
                    s.sent[city] = seen
                }
                if events.count < Self.batchSize || last <= cursor { break }
            }
            let listeners = state.withLock { s in s.listeners.values.filter { $0.identity.tenantID == city } }
            for listener in listeners {
                let visible = changes.filter { LiveController.visible($0.0, to: listener.identity) }
                // A screen only needs to know that it must reload: past a burst's worth of
                // changes in one tick, one `reload` event says so for all of them.
                if visible.count > Self.burst {
                    listener.continuation.yield(["event: reload\ndata: {\"changes\":\(visible.count)}\n\n"])
                } else {
                    listener.continuation.yield(visible.map(\.1))
                }
            }
        }
    }
}

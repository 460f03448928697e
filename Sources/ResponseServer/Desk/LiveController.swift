import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ResponseCore
import ResponseStore
import ServiceLifecycle

/// `GET /api/v1/stream`: server-sent events for the console's queues and inboxes. Each change
/// to a ticket the caller may see arrives as `event: ticket` with its number, event type and new
/// status; the page then reloads the list it shows. The stream follows the event log, so it
/// sees changes made by every server instance, the sweeper and the command line alike.
struct LiveController {
    let store: any TicketStore
    let clock: any WallClock
    let configuration: ServerConfiguration

    /// What one message carries; no personal data, only what tells a screen to refresh.
    struct Change: Encodable, Sendable {
        var number: String
        var type: EventType
        var status: TicketStatus
        var at: Date
    }

    /// Commits can land slightly after the instant stamped on their events: each look reaches
    /// this far back and drops events already sent.
    static let overlap: TimeInterval = 5

    func register(on router: Router<AppRequestContext>) {
        router.get("/api/v1/stream") { _, context -> Response in
            guard let identity = context.identity else { throw Problem(.unauthorized, type: "unauthorized", detail: "sign in first") }
            guard identity.role != .integration else { throw Problem.forbidden("live streams are for the console") }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            let store = self.store, clock = self.clock, interval = configuration.liveInterval, lifetime = configuration.liveStreamLifetime
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                try await Self.stream(to: &writer, identity: identity, store: store, clock: clock, interval: interval, lifetime: lifetime)
            })
        }
    }

    static func stream(to writer: inout any ResponseBodyWriter, identity: Identity, store: any TicketStore, clock: any WallClock,
                       interval: TimeInterval, lifetime: TimeInterval) async throws {
        let encoder = JSONEncoder.api
        // A comment first, so the client knows the stream is open; `retry` sets its reconnect delay.
        try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
        let started = ContinuousClock.now
        var cursor = clock.now()
        var sent: [String: Date] = [:]
        var idle = 0.0
        while !Task.isCancelled && !Task.isShuttingDownGracefully && ContinuousClock.now - started < .seconds(lifetime) {
            try await Task.sleep(for: .seconds(interval))
            let now = clock.now()
            let events = try await store.events(tenantID: identity.tenantID, types: [], from: cursor.addingTimeInterval(-overlap),
                                                to: now.addingTimeInterval(0.001), limit: 1_000)
            var out = ""
            for e in events {
                let key = e.event.ticketID + ":" + String(e.event.sequence)
                if sent[key] != nil { continue }
                sent[key] = e.event.at
                guard visible(e.event, to: identity) else { continue }
                let change = Change(number: e.number, type: e.event.type, status: e.event.toStatus, at: e.event.at)
                out += "event: ticket\ndata: " + String(decoding: try encoder.encode(change), as: UTF8.self) + "\n\n"
            }
            if let last = events.last?.event.at, last > cursor { cursor = last }
            // Forget what is older than the overlap window: it cannot come back.
            sent = sent.filter { $0.value >= cursor.addingTimeInterval(-overlap - 1) }
            idle += interval
            if out.isEmpty && idle >= 15 {
                out = ": keep-alive\n\n"  // proxies close silent connections
            }
            if !out.isEmpty {
                idle = 0
                try await writer.write(ByteBuffer(string: out))
            }
        }
        try await writer.finish(nil)
    }

    /// Handlers hear of tickets that concern their unit: events name the units they concern
    /// (dispatch, summons, ratings) or were written by them.
    static func visible(_ event: TicketEvent, to identity: Identity) -> Bool {
        guard identity.role == .handler else { return true }
        guard let unit = identity.unitCode else { return false }
        return event.actor.unitCode == unit || event.payload.values.contains { $0 == unit || $0.split(separator: ",").contains(Substring(unit)) }
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ResponseCore
import ResponseStore
import ServiceLifecycle

/// `GET /api/v1/stream`: server-sent events for the console's queues and inboxes. Each change
/// to a ticket the caller may see arrives as `event: ticket` with its number, event type and new
/// status; the page then reloads the list it shows. The stream follows the event log through
/// ``LiveFeed``, so it sees changes made by every server instance, the sweeper and the command
/// line alike.
struct LiveController {
    let feed: LiveFeed
    let configuration: ServerConfiguration

    /// What one message carries; no personal data, only what tells a screen to refresh.
    struct Change: Encodable, Sendable {
        var number: String
        var type: EventType
        var status: TicketStatus
        var at: Date
    }

    func register(on api: RouterGroup<AppRequestContext>) {
        api.get("stream") { _, context -> Response in
            guard let identity = context.identity else { throw Problem(.unauthorized, type: "unauthorized", detail: "sign in first") }
            guard identity.role != .integration else { throw Problem.forbidden("live streams are for the console") }
            guard feed.isRunning else { throw Problem(.serviceUnavailable, type: "unavailable", detail: "live updates are not running on this server") }
            var headers = HTTPFields()
            headers[.contentType] = "text/event-stream; charset=utf-8"
            headers[.cacheControl] = "no-cache"
            let feed = self.feed, lifetime = configuration.liveStreamLifetime
            return Response(status: .ok, headers: headers, body: ResponseBody { writer in
                let (id, batches) = feed.subscribe(identity)
                do {
                    try await Self.stream(batches, to: &writer, lifetime: lifetime)
                } catch {
                    feed.unsubscribe(id)
                    throw error
                }
                feed.unsubscribe(id)
            })
        }
    }

    static func stream(_ batches: AsyncStream<LiveFeed.Batch>, to writer: inout any ResponseBodyWriter, lifetime: TimeInterval) async throws {
        // A comment first, so the client knows the stream is open; `retry` sets its reconnect delay.
        try await writer.write(ByteBuffer(string: "retry: 2000\n: connected\n\n"))
        let started = ContinuousClock.now
        var quiet = ContinuousClock.now
        for await batch in batches {
            var out = batch.joined()
            if out.isEmpty && ContinuousClock.now - quiet > .seconds(15) { out = ": keep-alive\n\n" }  // proxies close silent connections
            if !out.isEmpty {
                quiet = ContinuousClock.now
                try await writer.write(ByteBuffer(string: out))
            }
            if Task.isCancelled || Task.isShuttingDownGracefully || ContinuousClock.now - started > .seconds(lifetime) { break }
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

import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import Prometheus
import ResponseCore

/// `GET /metrics`: the Prometheus text format, for a scraper holding an API key (or an admin).
/// The figures read from the store (queues, overdue work, the outbox, the database) are at most
/// ``ServerMetrics/storeInterval`` old; a database that does not answer still gets an answer,
/// with `swiftresponse_database_up 0`.
struct MetricsController: ServerFace {
    let server: ServerServices
    let logger: Logger

    func register(on api: RouteRegistry) {
        api.add(.get, "/metrics", summary: "Operational metrics in the Prometheus text format (requests, filings, queues, overdue work, outbox, database)",
                tag: "system", access: .permission(.readMetrics), handler: scrape)
    }

    @Sendable func scrape(_ request: Request, context: AppRequestContext) async throws -> Response {
        _ = try context.require(.readMetrics)
        await metrics.refresh(from: store, now: clock.now(), logger: logger)
        var headers = HTTPFields()
        headers[.contentType] = "text/plain; version=0.0.4; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
    }
}

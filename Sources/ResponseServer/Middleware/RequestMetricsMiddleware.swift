import Hummingbird

/// Counts and times every request by the pattern of the route it matched (``ServerMetrics``).
/// The outermost middleware, so that problems and refusals (401, 429) are counted with their
/// status. The time runs until the response is ready to be written (for a live stream: until it
/// starts), so a stream held open for minutes does not swamp the latency figures.
struct RequestMetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: ServerMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(request, context, status: response.status.code, started: started)
            return response
        } catch {
            record(request, context, status: (error as? any HTTPResponseError)?.status.code ?? 500, started: started)
            throw error
        }
    }

    private func record(_ request: Request, _ context: Context, status: Int, started: ContinuousClock.Instant) {
        metrics.request(route: context.endpointPath ?? "unmatched", method: request.method.rawValue, status: status, duration: ContinuousClock.now - started)
    }
}

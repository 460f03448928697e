import HTTPTypes
import Hummingbird
import Tracing

/// A span per request for the tracer the process bootstrapped (`serve --traces-endpoint`),
/// recording only what carries no personal data: the method, the pattern of the route matched
/// and the status. Never the path as sent (ticket numbers, tokens), the query (tracking codes,
/// API keys, search words), a header or the peer's address, which Hummingbird's own
/// `TracingMiddleware` records. A trace a proxy started (W3C `traceparent`) is continued.
struct RequestTracingMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = ServiceContext.current ?? .topLevel
        InstrumentationSystem.instrument.extract(request.headers, into: &parent, using: FieldsExtractor())
        let method = request.method.rawValue
        let span = startSpan("HTTP \(method)", context: parent, ofKind: .server)
        defer { span.end() }
        do {
            let response = try await ServiceContext.$current.withValue(span.context) { try await next(request, context) }
            Self.finish(span, method: method, route: context.endpointPath, status: Int(response.status.code))
            return response
        } catch {
            // The error's text may quote what was sent: only its status goes into the span.
            let status = Int((error as? any HTTPResponseError)?.status.code ?? 500)
            Self.finish(span, method: method, route: context.endpointPath, status: status)
            throw error
        }
    }

    private static func finish(_ span: any Span, method: String, route: String?, status: Int) {
        let route = route ?? "unmatched"
        span.operationName = "\(method) \(route)"
        span.updateAttributes { attributes in
            attributes["http.request.method"] = method
            attributes["http.route"] = route
            attributes["http.response.status_code"] = status
        }
        if status >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}

/// Reads a trace context (`traceparent`, `tracestate`) from request headers.
private struct FieldsExtractor: Extractor {
    func extract(key name: String, from headers: HTTPFields) -> String? {
        HTTPField.Name(name).flatMap { headers[$0] }
    }
}

import HTTPTypes
import Hummingbird

/// Headers every response carries, errors and the Open311 face included: no MIME sniffing and no
/// referrer beyond this site; and every HTML page (the console, the portal, the follow-up form)
/// refuses to be framed by another site (clickjacking).
struct SecurityHeadersMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        response.headers[.contentTypeOptions] = "nosniff"
        if response.headers[.referrerPolicy] == nil { response.headers[.referrerPolicy] = "same-origin" }
        if response.headers[.contentType]?.lowercased().hasPrefix("text/html") == true {
            response.headers[.xFrameOptions] = "DENY"
            if response.headers[.contentSecurityPolicy] == nil { response.headers[.contentSecurityPolicy] = "frame-ancestors 'none'" }
        }
        return response
    }
}

import HTTPTypes
import Hummingbird

/// Sets ``AppRequestContext/clientAddress``: the peer, or behind a trusted reverse proxy the
/// client it names in `X-Forwarded-For` (``TrustedProxies``). Every per-address limit keys on it.
struct ClientAddressMiddleware: RouterMiddleware {
    let proxies: TrustedProxies

    func handle(_ request: Request, context: AppRequestContext, next: (Request, AppRequestContext) async throws -> Response) async throws -> Response {
        var context = context
        if !proxies.isEmpty {
            context.clientAddress = proxies.client(peer: context.clientAddress, forwardedFor: request.headers[values: .xForwardedFor])
        }
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}

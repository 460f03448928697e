import HTTPTypes
import Hummingbird

/// One documented route: what the router serves and what the OpenAPI document says about it.
public struct APIRoute: Sendable, Equatable {
    public var method: HTTPRequest.Method
    /// OpenAPI-style path, `/api/v1/tickets/{number}`.
    public var path: String
    public var summary: String
    public var tag: String
    /// Who may call it, for the document (`public`, or the roles).
    public var access: String
    /// Component schema of the JSON body, if any.
    public var requestSchema: String?
    /// Component schema of the success body.
    public var responseSchema: String?
    public var successStatus: Int
    /// Query parameters as (name, description).
    public var query: [QueryParameter]

    public struct QueryParameter: Sendable, Equatable {
        public var name: String
        public var description: String
        public var schemaType: String
    }

    /// The Hummingbird path: `{number}` becomes `:number`.
    var routerPath: RouterPath {
        RouterPath(path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : String($0) }.joined(separator: "/"))
    }
}

/// Registers routes on a router and remembers them, so the OpenAPI document describes exactly
/// what is served.
final class RouteRegistry: @unchecked Sendable {
    // Written only while the router is built, before the server starts; read-only afterwards.
    private(set) var routes: [APIRoute] = []
    let router: Router<AppRequestContext>

    init(router: Router<AppRequestContext>) { self.router = router }

    func add<Output: ResponseGenerator>(
        _ method: HTTPRequest.Method,
        _ path: String,
        summary: String,
        tag: String,
        access: RouteAccess,
        request: String? = nil,
        response: String? = nil,
        status: Int = 200,
        query: [APIRoute.QueryParameter] = [],
        handler: @escaping @Sendable (Request, AppRequestContext) async throws -> Output
    ) {
        let route = APIRoute(
            method: method, path: path, summary: summary, tag: tag, access: access.description,
            requestSchema: request, responseSchema: response, successStatus: status, query: query
        )
        routes.append(route)
        router.on(route.routerPath, method: method, use: handler)
    }
}

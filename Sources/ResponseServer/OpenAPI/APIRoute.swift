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

    /// Where the API's routes live.
    static let apiPrefix = "/api/v1"

    /// The Hummingbird path: `{number}` becomes `:number`.
    var routerPath: RouterPath {
        RouterPath(path.split(separator: "/").map { $0.hasPrefix("{") ? ":" + $0.dropFirst().dropLast() : String($0) }.joined(separator: "/"))
    }
}

/// Registers routes and remembers them, so the OpenAPI document describes exactly what is
/// served: a path under ``APIRoute/apiPrefix`` on the API's route group (with its middleware),
/// any other on the router itself.
final class RouteRegistry: @unchecked Sendable {
    // Written only while the router is built, before the server starts; read-only afterwards.
    private(set) var routes: [APIRoute] = []
    let router: Router<AppRequestContext>
    /// The `/api/v1` group: credentials, and the console header on cookie changes.
    let api: RouterGroup<AppRequestContext>
    /// Routes outside `/api/v1` that need a caller (`/metrics`): the API's credentials.
    let signedIn: RouterGroup<AppRequestContext>

    init(router: Router<AppRequestContext>, api: RouterGroup<AppRequestContext>, signedIn: RouterGroup<AppRequestContext>) {
        self.router = router
        self.api = api
        self.signedIn = signedIn
    }

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
        if path.hasPrefix(APIRoute.apiPrefix + "/") {
            api.on(RouterPath(String(route.routerPath.description.dropFirst(APIRoute.apiPrefix.count))), method: method, use: handler)
        } else if case .public = access {
            router.on(route.routerPath, method: method, use: handler)
        } else {
            signedIn.on(route.routerPath, method: method, use: handler)
        }
    }
}

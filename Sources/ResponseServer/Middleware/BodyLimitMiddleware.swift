import Hummingbird

/// The most bytes a request body may have, for every face (`maxBodySize` in the configuration);
/// bodies are collected up to it and refused with 413 past it.
struct BodyLimitMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext
    let maxBodySize: Int

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.maxBodySize = maxBodySize
        return try await next(request, context)
    }
}

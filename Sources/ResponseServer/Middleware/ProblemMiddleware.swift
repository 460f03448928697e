import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ResponseCore
import ResponseStore

/// Turns every error a route throws into a problem+json response, so no input produces a bare
/// 500 or an HTML page. Unknown errors are logged and reported as 500 without internals.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error)
            if problem.statusCode >= 500 {
                context.logger.error("request failed: \(String(reflecting: error))")
            }
            return try problem.response(from: request, context: context)
        }
    }

    static func problem(for error: any Error) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as ValidationError:
            return .validation(error.errors)
        case let error as FieldError:
            return .validation([error])
        case let error as TransitionError:
            switch error {
            case .invalid(let field): return .validation([field])
            case .staleVersion: return Problem(.conflict, type: "stale-version", detail: error.description)
            case .returnWindowClosed: return Problem(.conflict, type: "return-window-closed", detail: error.description)
            case .illegalTransition: return Problem(.conflict, type: "illegal-transition", detail: error.description)
            }
        case let error as StoreError:
            switch error {
            case .notFound(let m): return .notFound(m)
            case .conflict(let m): return Problem(.conflict, type: "conflict", detail: m)
            case .forbidden(let m): return .forbidden(m)
            }
        case let error as DecodingError:
            return Self.problem(for: error)
        case is NIOTooManyBytesError:
            return Problem(.contentTooLarge, type: "too-large", detail: "the request body is too large")
        case let error as any HTTPResponseError:
            let status = error.status
            if status == .notFound { return .notFound("no such resource") }
            if status == .contentTooLarge { return Problem(.contentTooLarge, type: "too-large", detail: "the request body is too large") }
            return Problem(status, type: "http", detail: status.reasonPhrase)
        default:
            return Problem(.internalServerError, type: "internal", detail: "an unexpected error occurred; it has been logged")
        }
    }

    static func problem(for error: DecodingError) -> Problem {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".").replacingOccurrences(of: ".[", with: "[")
        }
        switch error {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return .validation([FieldError(field: field, message: "is required")])
        case .typeMismatch(let type, let context):
            return .validation([FieldError(field: path(context.codingPath), message: "expected \(Self.typeName(type))")])
        case .valueNotFound(let type, let context):
            return .validation([FieldError(field: path(context.codingPath), message: "expected \(Self.typeName(type)), got null")])
        case .dataCorrupted(let context):
            if context.codingPath.isEmpty {
                return .badRequest("the body is not valid JSON (UTF-8)")
            }
            return .validation([FieldError(field: path(context.codingPath), message: context.debugDescription)])
        @unknown default:
            return .badRequest("the body could not be read")
        }
    }

    static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "true or false"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        default: "a value of type \(type)"
        }
    }
}

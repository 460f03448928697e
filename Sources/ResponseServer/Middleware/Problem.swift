import Foundation
import HTTPTypes
import Hummingbird
import ResponseCore

/// An RFC 9457 problem document, the body of every error response of `/api/v1`.
public struct Problem: Error, HTTPResponseError, Codable, Sendable {
    public var type: String
    public var title: String
    /// The HTTP status code, repeated in the body as RFC 9457 asks.
    public var statusCode: Int
    public var detail: String?
    /// Field-level messages for validation failures.
    public var errors: [FieldError]?
    /// Seconds the client should wait (a 429's `Retry-After`); not part of the body.
    public var retryAfter: Int?

    public init(_ status: HTTPResponse.Status, type: String, detail: String? = nil, errors: [FieldError]? = nil) {
        self.type = "https://swift-response.dev/problems/" + type
        self.title = status.reasonPhrase
        self.statusCode = status.code
        self.detail = detail
        self.errors = errors
    }

    enum CodingKeys: String, CodingKey {
        case type, title, detail, errors
        case statusCode = "status"
    }

    public var status: HTTPResponse.Status { .init(code: statusCode) }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = (try? JSONEncoder.api.encode(self)) ?? Data("{}".utf8)
        var headers = HTTPFields()
        headers[.contentType] = "application/problem+json"
        if let retryAfter { headers[.retryAfter] = String(retryAfter) }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func validation(_ errors: [FieldError]) -> Problem {
        Problem(.unprocessableContent, type: "validation", detail: "the request has invalid fields", errors: errors)
    }

    static func notFound(_ detail: String) -> Problem { Problem(.notFound, type: "not-found", detail: detail) }
    static func forbidden(_ detail: String) -> Problem { Problem(.forbidden, type: "forbidden", detail: detail) }
    static func badRequest(_ detail: String, errors: [FieldError]? = nil) -> Problem {
        Problem(.badRequest, type: "bad-request", detail: detail, errors: errors)
    }
    static func tooManyRequests(_ detail: String, retryAfter seconds: Int) -> Problem {
        var problem = Problem(.tooManyRequests, type: "rate-limited", detail: detail)
        problem.retryAfter = seconds
        return problem
    }
    /// The type of the 422 for an `Idempotency-Key` sent again with another body.
    static let idempotencyKeyReused = "idempotency-key-reused"
    static let unauthorized = Problem(.unauthorized, type: "unauthorized", detail: "log in first: send 'Authorization: Bearer <token>' or an API key")
}

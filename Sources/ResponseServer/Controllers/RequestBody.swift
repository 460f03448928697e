import HTTPTypes
import Crypto
import Foundation
import Hummingbird
import NIOCore
import ResponseCore

extension Request {
    /// Decodes the JSON body as `T`, with the context's size limit. An empty body decodes as `{}`
    /// so actions without arguments may be posted bare.
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T {
        try JSONDecoder.api.decode(T.self, from: try await jsonBody(context: context))
    }

    /// The body, with the context's size limit; `{}` when empty.
    private func jsonBody(context: AppRequestContext) async throws -> Data {
        let buffer = try await body.collect(upTo: context.maxBodySize)
        return buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
    }

    /// Decodes the JSON body as ``decodeJSON(as:context:)`` does, and reads the client's
    /// `Idempotency-Key` into a claim on this body (SHA-256 of its bytes) under `scope`.
    /// - Throws: A 400 problem for a key that is empty, too long or not visible ASCII.
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext, idempotencyScope scope: String) async throws -> (T, IdempotencyClaim?) {
        let data = try await jsonBody(context: context)
        let value = try JSONDecoder.api.decode(T.self, from: data)
        // The same JSON is the same request whatever the order of its keys or its spacing (a
        // client's retry may serialise it anew).
        let canonical = try JSONSerialization.data(withJSONObject: try JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed),
                                                   options: [.sortedKeys, .fragmentsAllowed])
        return (value, try idempotencyClaim(scope: scope, body: canonical))
    }

    /// The claim of the `Idempotency-Key` header on `body`, `nil` without the header.
    func idempotencyClaim<Body: Sequence>(scope: String, body: Body) throws -> IdempotencyClaim? where Body.Element == UInt8 {
        guard let key = headers[.idempotencyKey] else { return nil }
        guard IdempotencyClaim.isValid(key: key) else {
            throw Problem(.badRequest, type: "invalid-idempotency-key",
                          detail: "Idempotency-Key must be 1 to \(IdempotencyClaim.maxKeyLength) visible ASCII characters, such as a UUID")
        }
        return IdempotencyClaim(scope: scope, key: key, bodyHash: SHA256.hash(data: Array(body)).hexString)
    }
}

extension HTTPField.Name {
    /// The client's key that makes a retried filing file once (IETF draft-ietf-httpapi-idempotency-key-header).
    public static let idempotencyKey = Self("Idempotency-Key")!
    /// Set on the answer to a filing its key had made before.
    public static let idempotentReplayed = Self("Idempotent-Replayed")!
}

/// A JSON response with a chosen status code.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var value: Value
    /// An answer from a filing made before under the client's `Idempotency-Key`.
    var replayed = false

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        if replayed { headers[.idempotentReplayed] = "true" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

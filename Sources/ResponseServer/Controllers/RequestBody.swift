import HTTPTypes
import Foundation
import Hummingbird
import NIOCore

extension Request {
    /// Decodes the JSON body as `T`, with the context's size limit. An empty body decodes as `{}`
    /// so actions without arguments may be posted bare.
    func decodeJSON<T: Decodable>(as type: T.Type, context: AppRequestContext) async throws -> T {
        let buffer = try await body.collect(upTo: context.maxBodySize)
        let data = buffer.readableBytes == 0 ? Data("{}".utf8) : Data(buffer.readableBytesView)
        return try JSONDecoder.api.decode(T.self, from: data)
    }
}

/// A JSON response with a chosen status code.
struct JSONResponse<Value: Encodable & Sendable>: ResponseGenerator {
    var status: HTTPResponse.Status = .ok
    var value: Value

    func response(from request: Request, context: some RequestContext) throws -> Response {
        let data = try JSONEncoder.api.encode(value)
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}

import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing

/// A real HTTP endpoint on a loopback port that records what is POSTed to it, for the tests of
/// what the server sends out (complainant messages, spike alerts).
final class WebhookReceiver: Sendable {
    private let bodies = Mutex<[Data]>([])
    private let signed = Mutex<[String?]>([])
    /// Every body POSTed so far, in arrival order.
    var received: [Data] { bodies.withLock { $0 } }
    /// The `X-SwiftResponse-Signature` of each, in the same order.
    var signatures: [String?] { signed.withLock { $0 } }

    /// Starts a receiver, runs `body` with it and its address (`http://127.0.0.1:PORT`), and
    /// stops it.
    /// - Parameter answer: The status for a POST to a path, given how many POSTs (this one
    ///   included) have arrived; 204 by default.
    static func run(
        answer: @escaping @Sendable (_ path: String, _ count: Int) -> HTTPResponse.Status = { _, _ in .noContent },
        _ body: @Sendable (WebhookReceiver, String) async throws -> Void
    ) async throws {
        let receiver = WebhookReceiver()
        let router = Router()
        router.post("**") { request, _ -> Response in
            let data = Data(try await request.body.collect(upTo: 65_536).readableBytesView)
            let signature = HTTPField.Name("X-SwiftResponse-Signature").flatMap { request.headers[$0] }
            let count = receiver.bodies.withLock { bodies in
                receiver.signed.withLock { $0.append(signature) }
                bodies.append(data)
                return bodies.count
            }
            return Response(status: answer(request.uri.path, count))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body(receiver, "http://127.0.0.1:\(try #require(client.port))")
        }
    }
}

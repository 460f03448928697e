import Foundation
import ResponseCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// POSTs every message as JSON to a URL: the city's own messaging platform sends it on.
/// A 2xx answer is a delivery; anything else is retried by the relay.
public struct WebhookNotifier: Notifier {
    let url: URL
    let signer: WebhookSigner
    let timeout: TimeInterval

    public init(url: URL, signer: WebhookSigner, timeout: TimeInterval = 10) {
        self.url = url
        self.signer = signer
        self.timeout = timeout
    }

    /// The JSON body of one call.
    struct Payload: Encodable {
        var id: String
        var city: String
        var ticket: String
        var kind: String
        var channel: String
        var recipient: String?
        var text: String
        var followUpURL: String?
        var createdAt: Date
    }

    public func deliver(_ message: OutgoingMessage) async throws {
        let r = message.record
        let payload = Payload(
            id: r.id, city: r.tenantID, ticket: r.number, kind: r.kind.rawValue, channel: r.channel.rawValue, recipient: r.recipient,
            text: message.body, followUpURL: message.followUpURL, createdAt: r.createdAt
        )
        try await Self.post(payload, to: url, signer: signer, idempotencyKey: r.id, timeout: timeout)
    }

    /// POSTs `body` as JSON (ISO 8601 dates, sorted keys) with an `Idempotency-Key`, so a
    /// receiver can drop a repeat, signed by `signer` (``WebhookSigner``).
    /// - Throws: ``WebhookError`` unless the answer is 2xx or the URL is not allowed, or the
    ///   transport's error.
    static func post(_ body: some Encodable, to url: URL, signer: WebhookSigner, idempotencyKey: String, timeout: TimeInterval) async throws {
        if let problem = WebhookSigner.problem(with: url) { throw WebhookError(status: nil, refused: "the webhook URL \(problem)") }
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var request = URLRequest(url: url, timeoutInterval: timeout)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(idempotencyKey, forHTTPHeaderField: "Idempotency-Key")
        let data = try encoder.encode(body)
        request.httpBody = data
        request.setValue(signer.signature(body: data, at: Date()), forHTTPHeaderField: WebhookSigner.header)
        let (_, response) = try await URLSession.shared.data(for: request)
        guard let status = (response as? HTTPURLResponse)?.statusCode, (200..<300).contains(status) else {
            throw WebhookError(status: (response as? HTTPURLResponse)?.statusCode)
        }
    }
}

/// The webhook answered with something other than 2xx.
struct WebhookError: Error, CustomStringConvertible {
    var status: Int?
    /// Not sent at all, and why.
    var refused: String? = nil
    var description: String { refused ?? "webhook answered \(status.map(String.init) ?? "without a status")" }
}

import HTTPTypes
import Foundation
import Hummingbird
import NIOCore
import ResponseCore

/// The per-request context: Hummingbird's core storage plus who is calling.
public struct AppRequestContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by ``AuthMiddleware`` when the request carries a valid token or API key.
    public var identity: Identity?
    /// Largest accepted body; set from configuration by the middleware.
    public var maxBodySize: Int = 1_048_576
    /// The peer's address.
    public let remoteAddress: SocketAddress?
    /// The client's address, for per-address limits: the peer's, or the one a trusted proxy
    /// names (``ClientAddressMiddleware``).
    public var clientAddress: String?

    public init(source: Source) {
        self.coreContext = .init(source: source)
        self.remoteAddress = source.channel.remoteAddress
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }

    /// The key of the client's address in the limiters.
    var addressKey: String { "address:" + (clientAddress ?? "unknown") }

    public var maxUploadSize: Int { maxBodySize }

    public var responseEncoder: JSONEncoder { .api }
    public var requestDecoder: JSONDecoder { .api }
}

/// The caller of a request, after authentication.
public struct Identity: Sendable, Equatable {
    public var name: String
    public var tenantID: String
    public var role: Role
    /// The unit a handler works for.
    public var unitCode: String?

    public init(name: String, tenantID: String, role: Role, unitCode: String?) {
        self.name = name
        self.tenantID = tenantID
        self.role = role
        self.unitCode = unitCode
    }

    public var actor: Actor { Actor(name: name, role: role, unitCode: unitCode) }

    /// Names of API keys' identities begin with this; user names may not.
    static let keyPrefix = "key:"
    /// Whether this identity is an API key's.
    var isAPIKey: Bool { name.hasPrefix(Self.keyPrefix) }
}

extension JSONEncoder {
    /// The API's JSON: ISO 8601 times with offset, stable key order.
    public static var api: JSONEncoder {
        let e = JSONEncoder()
        e.dateEncodingStrategy = .iso8601
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }
}

extension JSONDecoder {
    /// Accepts ISO 8601 times with or without fractional seconds.
    public static var api: JSONDecoder {
        let d = JSONDecoder()
        d.dateDecodingStrategy = .custom { decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            if let date = try? Date(text, strategy: .iso8601) { return date }
            if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected an ISO 8601 time such as 2026-11-25T09:30:00+08:00"))
        }
        return d
    }
}

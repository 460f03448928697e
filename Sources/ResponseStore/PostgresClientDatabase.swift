import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PostgresKit
import PostgresNIO
import SQLKit
import Synchronization

/// SQLKit's view of a `PostgresClient`: each query on a connection leased for it, a session
/// (a transaction) on one connection leased for all of it.
struct PostgresClientDatabase: SQLDatabase {
    let client: PostgresClient
    let logger: Logger
    /// Connections leased now, for `/metrics`.
    let leases = LeaseCount()

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { PostgresDialect() }
    var queryLogLevel: Logger.Level? { .trace }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await client.withConnection { connection in
            try await leases.counting { try await connection.sql(queryLogLevel: .trace).execute(sql: query, onRow) }
        }
    }

    func withSession<R>(_ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await client.withConnection { connection in
            try await leases.counting { try await closure(connection.sql(queryLogLevel: .trace)) }
        }
    }
}

/// How many connections are doing work.
final class LeaseCount: Sendable {
    private let value = Atomic<Int>(0)

    var count: Int { value.load(ordering: .relaxed) }

    func counting<R>(_ body: () async throws -> R) async throws -> R {
        value.add(1, ordering: .relaxed)
        defer { value.subtract(1, ordering: .relaxed) }
        return try await body()
    }
}

extension PostgresClient.Configuration {
    /// The client's configuration from a connection's (as parsed from a URL by PostgresKit):
    /// same endpoint, credentials and TLS mode.
    init(_ connection: PostgresConnection.Configuration) throws {
        let tls: TLS
        switch (connection.tls.isEnforced, connection.tls.sslContext) {
        case (true, let context?): tls = .require(context.configuration)
        case (false, let context?): tls = .prefer(context.configuration)
        default: tls = .disable
        }
        if let socket = connection.unixSocketPath {
            self.init(unixSocketPath: socket, username: connection.username, password: connection.password, database: connection.database)
        } else if let host = connection.host {
            self.init(host: host, port: connection.port ?? 5432, username: connection.username, password: connection.password,
                      database: connection.database, tls: tls)
        } else {
            throw StoreError.notFound("the PostgreSQL URL names no host or socket")
        }
    }
}

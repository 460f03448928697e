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
        try await withSession(deadline: nil, closure)
    }

    /// A session on one connection; with a `deadline`, the connection is closed under a session
    /// that outlives it, so that its queries fail instead of waiting for ever on a server that
    /// vanished, and the pool replaces it. A session still running `stuckAfter` the close is
    /// counted as stuck (``LeaseCount/stuck``) until it ends: the server reports itself not
    /// live, and `serve` exits to be restarted (docs/operations.md#failover).
    func withSession<R>(deadline: Duration?, _ closure: @escaping @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await client.withConnection { connection in
            try await leases.counting {
                guard let deadline else { return try await closure(connection.sql(queryLogLevel: .trace)) }
                let marked = StuckMark()
                defer { if marked.isSet { leases.unstuck() } }
                return try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { [leases, logger] in
                        try await Task.sleep(for: deadline)
                        logger.warning("a database session outlived its \(deadline) deadline: its connection is closed")
                        try? await connection.close()
                        try await Task.sleep(for: Self.stuckAfter)
                        marked.set()
                        leases.stuckOne()
                        logger.critical("a database session still runs \(Self.stuckAfter) after its connection was closed: the store is stuck")
                    }
                    defer { group.cancelAll() }
                    return try await closure(connection.sql(queryLogLevel: .trace))
                }
            }
        }
    }

    /// How long a session may go on after its connection was closed under it before it counts as stuck.
    static let stuckAfter: Duration = .seconds(10)
}

/// How many connections are doing work, and how many of those are stuck.
final class LeaseCount: Sendable {
    private let value = Atomic<Int>(0)
    private let stuckSessions = Atomic<Int>(0)

    var count: Int { value.load(ordering: .relaxed) }
    var stuck: Int { stuckSessions.load(ordering: .relaxed) }
    func stuckOne() { stuckSessions.add(1, ordering: .relaxed) }
    func unstuck() { stuckSessions.subtract(1, ordering: .relaxed) }

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

/// Whether one session was counted as stuck.
final class StuckMark: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { value.load(ordering: .relaxed) }
    func set() { value.store(true, ordering: .relaxed) }
}

import Foundation
import Hummingbird
import NIOPosix
import ResponseServer
import ResponseStore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A raw TCP client, blocking, run on NIO's thread pool: what a slow or greedy client does byte
/// by byte, which an HTTP client library would not.
struct RawConnection: ~Copyable {
    let fd: Int32

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { close(fd); throw RawError() }
        var wait = timeval(tv_sec: 30, tv_usec: 0)  // a read that outlives this has not been closed by the server (a loaded CI machine is slow)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    }

    struct RawError: Error {}

    func send(_ text: String) {
        _ = Array(text.utf8).withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
    }

    /// What the server sends until it closes (or resets) the connection, answers, or goes quiet
    /// for 30 s, and whether it closed.
    func readToEnd() -> (text: String, closed: Bool) {
        var out: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let (n, failure) = buffer.withUnsafeMutableBytes { bytes in
                let n = recv(fd, bytes.baseAddress, bytes.count, 0)
                return (n, n < 0 ? errno : 0)
            }
            if n == 0 { return (String(decoding: out, as: UTF8.self), true) }
            // A reset is a close too (the server closed with our request unread).
            if n < 0 { return (String(decoding: out, as: UTF8.self), failure == ECONNRESET) }
            out += buffer[0..<n]
            if String(decoding: out, as: UTF8.self).contains("\r\n\r\n") && out.count > 12 && !out.starts(with: Array("HTTP/1.1 1".utf8)) {
                return (String(decoding: out, as: UTF8.self), false)
            }
        }
    }

    deinit { close(fd) }
}

@Suite("Connection limits: slow request heads and bodies are cut off, connections are capped")
struct ConnectionLimitsTests {
    static func withServer(_ limits: ConnectionLimits, _ body: @Sendable (Int) async throws -> Void) async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("sr-conn-\(UUID().uuidString).sqlite").path
        defer { for s in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + s) } }
        try await SQLTicketStore.withStore(url: path, contacts: .ephemeral()) { store in
            try await store.migrate()
            var c = ServerConfiguration(host: "127.0.0.1", port: 0)
            c.connections = limits
            c.sweepInterval = nil
            c.notifications.relayInterval = nil
            c.insight.interval = nil
            c.insight.storedRefresh = nil
            c.retentionInterval = nil
            let (ports, portInput) = AsyncStream<Int>.makeStream()
            let app = buildApplication(configuration: c, store: store) { portInput.yield($0) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await app.runService() }
                var it = ports.makeAsyncIterator()
                let port = try #require(await it.next())
                try await body(port)
                group.cancelAll()
            }
        }
    }

    static func blocking<R: Sendable>(_ work: @escaping @Sendable () throws -> R) async throws -> R {
        try await NIOThreadPool.singleton.runIfActive(work)
    }

    @Test func aTrickledHeadIsClosedAndAWholeOneAnswered() async throws {
        var limits = ConnectionLimits()
        limits.headTimeout = .milliseconds(500)
        try await Self.withServer(limits) { port in
            let slow = try await Self.blocking {
                let c = try RawConnection(port: port)
                c.send("GET /health HTTP/1.1\r\nHost: x\r\n")  // never finished
                return c.readToEnd()
            }
            #expect(slow.closed && slow.text.isEmpty, "the server closes a head that does not arrive in time")
            let whole = try await Self.blocking {
                let c = try RawConnection(port: port)
                c.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                return c.readToEnd()
            }
            #expect(whole.text.hasPrefix("HTTP/1.1 200"))
        }
    }

    @Test func aTrickledBodyIsClosed() async throws {
        var limits = ConnectionLimits()
        limits.bodyTimeout = .milliseconds(500)
        try await Self.withServer(limits) { port in
            let slow = try await Self.blocking {
                let c = try RawConnection(port: port)
                c.send("POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"user")
                return c.readToEnd()
            }
            #expect(slow.closed, "the server closes a body that does not arrive in time")
        }
    }

    @Test func connectionsBeyondTheCapAreClosed() async throws {
        var limits = ConnectionLimits()
        limits.maxConnections = 2
        try await Self.withServer(limits) { port in
            let outcome = try await Self.blocking { () -> (Bool, String) in
                // Two connections served (and so counted, whatever event loop took them) and kept open.
                let first = try RawConnection(port: port), second = try RawConnection(port: port)
                first.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                let served = first.readToEnd()
                second.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                _ = second.readToEnd()
                let third = try RawConnection(port: port)
                third.send("GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
                let refused = third.readToEnd()
                return (refused.closed && refused.text.isEmpty, served.text)
            }
            #expect(outcome.0, "a third connection is closed at once")
            #expect(outcome.1.hasPrefix("HTTP/1.1 200"), "the first two are served")
        }
    }
}

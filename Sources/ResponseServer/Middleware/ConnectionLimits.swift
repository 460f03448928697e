import Foundation
import HTTPTypes
import NIOCore
import NIOHTTPTypes
import Synchronization

/// How long a client may take and how many may be connected (docs/operations.md#abuse).
public struct ConnectionLimits: Sendable, Equatable {
    /// From a connection's opening, or the end of its last answer, to the whole head of its next
    /// request; a client that trickles its headers (slowloris) or sits idle is closed.
    public var headTimeout: Duration = .seconds(30)
    /// From a request's head to the end of its body.
    public var bodyTimeout: Duration = .seconds(60)
    /// Open connections at once; more are closed as they arrive.
    public var maxConnections = 4096

    public init() {}
}

/// Closes a connection whose request body has not ended `timeout` after its head.
final class RequestBodyTimeoutHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    let timeout: TimeAmount
    private var deadline: Scheduled<Void>?

    init(timeout: Duration) {
        self.timeout = TimeAmount(timeout)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            deadline?.cancel()
            let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
            deadline = context.eventLoop.scheduleTask(in: timeout) { loopBound.value.close(promise: nil) }
        case .end:
            deadline?.cancel()
            deadline = nil
        case .body:
            break
        }
        context.fireChannelRead(data)
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
    }

    func channelInactive(context: ChannelHandlerContext) {
        deadline?.cancel()
        context.fireChannelInactive()
    }
}

/// Counts the server's open connections and closes those beyond the cap as they open.
final class ConnectionCapHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart

    /// The server's count, shared by every connection's handler.
    final class Counter: Sendable {
        let open = Atomic<Int>(0)
    }

    let counter: Counter
    let cap: Int
    private var counted = false

    init(counter: Counter, cap: Int) {
        self.counter = counter
        self.cap = cap
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { admit(context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        admit(context)
        context.fireChannelActive()
    }

    private func admit(_ context: ChannelHandlerContext) {
        guard !counted else { return }
        counted = true
        if counter.open.wrappingAdd(1, ordering: .relaxed).newValue > cap { context.close(promise: nil) }
    }

    func channelInactive(context: ChannelHandlerContext) {
        release()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) { release() }

    private func release() {
        guard counted else { return }
        counted = false
        counter.open.wrappingSubtract(1, ordering: .relaxed)
    }
}

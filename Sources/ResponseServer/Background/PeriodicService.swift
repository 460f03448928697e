import Foundation
import Logging
import ServiceLifecycle

/// Runs a piece of background work every `interval` seconds inside the application's service
/// group, until graceful shutdown. A failing run is logged and retried at the next tick.
struct PeriodicService: Service {
    let name: String
    let interval: TimeInterval
    let logger: Logger
    let work: @Sendable () async throws -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await work()
                } catch is CancellationError {
                    return
                } catch {
                    logger.error("\(name) failed: \(error)")
                }
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
        }
    }
}

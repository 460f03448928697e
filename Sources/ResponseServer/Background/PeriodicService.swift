import Foundation
import Logging
import ServiceLifecycle

/// Runs a piece of background work every `interval` seconds inside the application's service
/// group, until graceful shutdown. A failing run is logged and retried at the next tick; every
/// run is counted and timed in `metrics` (`swiftresponse_job_*`).
struct PeriodicService: Service {
    let name: String
    let interval: TimeInterval
    let logger: Logger
    var metrics: ServerMetrics? = nil
    let work: @Sendable () async throws -> Void

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                let started = ContinuousClock.now
                do {
                    try await work()
                    metrics?.job(name, succeeded: true, duration: ContinuousClock.now - started, at: Date())
                } catch is CancellationError {
                    return
                } catch {
                    metrics?.job(name, succeeded: false, duration: ContinuousClock.now - started, at: Date())
                    logger.error("\(name) failed: \(error)")
                }
                try? await Task.sleep(for: .milliseconds(Int(interval * 1000)))
            }
        }
    }
}

/// Runs one city's part of a background job: its failure is logged and the other cities go on;
/// only cancellation stops the job.
func cityPart(_ city: String, of job: String, logger: Logger, _ work: () async throws -> Void) async throws {
    do {
        try await work()
    } catch is CancellationError {
        throw CancellationError()
    } catch {
        logger.error("\(job) for \(city) failed: \(error)")
    }
}

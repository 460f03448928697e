import CoreMetrics
import Foundation
import Logging
import Prometheus
import ResponseCore
import ResponseStore
import Synchronization

/// The server's measurements, served by `GET /metrics` in the Prometheus text format.
///
/// Instruments are swift-metrics types made by swift-prometheus's factory over one registry per
/// server (never the process-wide bootstrap, so two servers in one process, as in the tests,
/// never mix their figures). What happens is counted where it happens (requests, filings,
/// background jobs, deliveries); what is waiting (queues, overdue work, the outbox, the
/// database) is read from the store when a scraper asks, at most once per ``storeInterval``.
/// docs/operations.md lists every series.
public final class ServerMetrics: Sendable {
    let registry: PrometheusCollectorRegistry
    private let factory: PrometheusMetricsFactory
    private let lastStoreRead = Mutex<Date?>(nil)
    private let startedAt = Date()
    /// The least time between two reads of the store, however many scrapers ask (by the
    /// server's clock).
    static let storeInterval: TimeInterval = 5

    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .microseconds(2500), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .microseconds(2_500_000), .seconds(5), .seconds(10),
        ]
        self.registry = registry
        self.factory = factory
    }

    // MARK: What happens

    /// One answered request: `route` is the route's pattern (`/api/v1/tickets/{number}`), never the
    /// path as sent, so the series stay few.
    func request(route: String, method: String, status: Int, duration: Duration) {
        counter("http_requests_total", [("route", route), ("method", method), ("status", String(status))]).increment()
        CoreMetrics.Timer(label: "http_request_duration_seconds", dimensions: [("route", route), ("method", method)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    /// One ticket filed (not a replay): `outcome` is its status after intake, so `dispatched`
    /// counts automatic dispatch and `received` the tickets left to a dispatcher.
    func filed(city: String, channel: Channel, outcome: TicketStatus) {
        counter("swiftresponse_tickets_filed_total", [("city", city), ("channel", channel.rawValue), ("outcome", outcome.rawValue)]).increment()
    }

    /// One run of a background job (the sweeper, the relay, the purge…).
    func job(_ name: String, succeeded: Bool, duration: Duration, at now: Date) {
        counter("swiftresponse_job_runs_total", [("job", name), ("outcome", succeeded ? "ok" : "failed")]).increment()
        CoreMetrics.Timer(label: "swiftresponse_job_duration_seconds", dimensions: [("job", name)], factory: factory).recordNanoseconds(duration.nanoseconds)
        if succeeded { gauge("swiftresponse_job_last_success_timestamp_seconds", [("job", name)], now.timeIntervalSince1970) }
    }

    /// What one relay pass delivered.
    func delivered(sent: Int, failed: Int) {
        counter("swiftresponse_notifications_total", [("outcome", "sent")]).increment(by: sent)
        counter("swiftresponse_notifications_total", [("outcome", "failed")]).increment(by: failed)
    }

    /// What one sweep did: its events (reminders, overdue marks, escalations, summons).
    func swept(events: Int) {
        counter("swiftresponse_sweeper_events_total", []).increment(by: events)
    }

    // MARK: What is waiting

    /// Reads the store's figures into the gauges unless they were read within ``storeInterval``.
    /// A database that does not answer sets `swiftresponse_database_up` to 0 and keeps the rest.
    func refresh(from store: any OperationsStore, now: Date, logger: Logger) async {
        let due = lastStoreRead.withLock { last in
            guard last.map({ abs(now.timeIntervalSince($0)) >= Self.storeInterval }) ?? true else { return false }
            last = now
            return true
        }
        recordProcess()
        gauge("swiftresponse_database_stuck_writes", [], Double(store.stuckWrites))
        guard due else { return }
        do {
            let started = ContinuousClock.now
            let (cities, storage) = (try await store.workload(now: now), try await store.storage())
            for city in cities { record(city, now: now) }
            record(storage)
            gauge("swiftresponse_database_up", [], 1)
            gauge("swiftresponse_metrics_store_read_seconds", [], (ContinuousClock.now - started).seconds)
        } catch {
            gauge("swiftresponse_database_up", [], 0)
            logger.warning("metrics: the store's figures could not be read: \(error)")
        }
    }

    private func record(_ city: CityWorkload, now: Date) {
        let id = [("city", city.cityID)]
        for status in TicketStatus.open {
            gauge("swiftresponse_tickets_open", id + [("status", status.rawValue)], Double(city.byStatus[status] ?? 0))
        }
        let queues: [(String, Int)] = [
            ("dispatch", (city.byStatus[.received] ?? 0) + (city.byStatus[.returned] ?? 0)),
            ("arbitration", city.byStatus[.arbitration] ?? 0),
        ] + TicketQuery.Queue.allCases.map { ($0.rawValue, city.queues[$0] ?? 0) }
        for (queue, depth) in queues { gauge("swiftresponse_queue_depth", id + [("queue", queue)], Double(depth)) }
        gauge("swiftresponse_overdue_tickets", id, Double(city.overdue))
        gauge("swiftresponse_sweeper_lag_seconds", id, city.oldestDueCheck.map { max(0, now.timeIntervalSince($0)) } ?? 0)
        gauge("swiftresponse_outbox_pending", id, Double(city.outboxPending))
        gauge("swiftresponse_outbox_lag_seconds", id, city.oldestDueMessage.map { max(0, now.timeIntervalSince($0)) } ?? 0)
    }

    private func record(_ storage: StorageFigures) {
        if let bytes = storage.databaseBytes { gauge("swiftresponse_database_bytes", [], Double(bytes)) }
        if let bytes = storage.walBytes { gauge("swiftresponse_database_wal_bytes", [], Double(bytes)) }
        if let used = storage.connectionsInUse { gauge("swiftresponse_database_connections", [("state", "in_use")], Double(used)) }
        gauge("swiftresponse_database_connections", [("state", "max")], Double(storage.connectionsMax))
        gauge("swiftresponse_database_queued_writes", [], Double(storage.queuedWrites))
    }

    /// Resident memory, open files and start time, from `/proc/self` where there is one.
    private func recordProcess() {
        gauge("process_start_time_seconds", [], startedAt.timeIntervalSince1970)
        if let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8),
            let pages = statm.split(separator: " ").dropFirst().first.flatMap({ Double($0) }) {
            gauge("process_resident_memory_bytes", [], pages * Double(sysconf(Int32(_SC_PAGESIZE))))
        }
        if let files = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            gauge("process_open_fds", [], Double(files.count))
        }
    }

    private func counter(_ name: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory)
    }

    private func gauge(_ name: String, _ dimensions: [(String, String)], _ value: Double) {
        CoreMetrics.Gauge(label: name, dimensions: dimensions, factory: factory).record(value)
    }
}

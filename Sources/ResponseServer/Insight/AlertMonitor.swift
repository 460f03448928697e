import Foundation
import Logging
import ResponseCore
import ResponseInsight
import ResponseStore
import Synchronization

/// Feeds a city's new tickets to the ``SpikeDetector`` and stores (and announces) the alerts it
/// raises: the early warning, running as a background service of the server.
///
/// At its first look it learns the baselines from the last `historyDays` of tickets; after that
/// each look reads the tickets filed since the last one (reaching back a little for commits
/// that land late, and skipping those already counted). It reads the store, not the intake, so
/// it also sees tickets filed by other servers, the importer and Open311.
public final class AlertMonitor: Sendable {
    struct State {
        var detector: SpikeDetector
        var cursor: Date?
        var seen: [String: Date] = [:]
        var reference: InsightService.Reference?
        var referenceAt: Date = .distantPast
    }

    let store: any TicketStore
    let tenant: Tenant
    let settings: InsightSettings
    /// Signs the webhook POSTs of alerts.
    let signer: WebhookSigner
    let clock: any WallClock
    let logger: Logger
    private let state: Mutex<State>

    /// Commits can land slightly after the instant stamped on their tickets.
    static let overlap: TimeInterval = 5

    public init(store: any TicketStore, tenant: Tenant, settings: InsightSettings, signer: WebhookSigner, clock: any WallClock, logger: Logger) {
        self.store = store
        self.tenant = tenant
        self.settings = settings
        self.signer = signer
        self.clock = clock
        self.logger = logger
        let zone = TimeZone(identifier: tenant.timeZone) ?? .gmt
        self.state = Mutex(State(detector: SpikeDetector(settings: settings.detector, timeZone: zone)))
    }

    /// One look: feeds what was filed since the last and returns the alerts newly stored.
    @discardableResult
    public func tick() async throws -> [SpikeAlert] {
        let now = clock.now()
        let (cursor, needsReference) = state.withLock { ($0.cursor, now.timeIntervalSince($0.referenceAt) > 60) }
        if needsReference {
            let reference = try await InsightService(store: store).reference(tenantID: tenant.id)
            state.withLock { $0.reference = reference; $0.referenceAt = now }
        }
        // The first look learns from history; alerts it raises are older than this server.
        let learning = cursor == nil
        let from = cursor.map { $0.addingTimeInterval(-Self.overlap) } ?? now.addingTimeInterval(-Double(max(settings.historyDays, settings.detector.warmUpDays + 1)) * 86_400)
        var raised: [SpikeDetector.Alert] = []
        var start = from
        var after: String? = nil
        while true {
            let page = try await store.filings(tenantID: tenant.id, from: start, to: now.addingTimeInterval(1), after: after, limit: 10_000)
            raised += state.withLock { s in
                var out: [SpikeDetector.Alert] = []
                for f in page where s.seen[f.id] == nil && !f.category.isEmpty && SpikeDetector.watchedChannels.contains(f.channel) {
                    s.seen[f.id] = f.createdAt
                    let category = s.reference?.rollUp(f.category, to: settings.alertLevel) ?? f.category
                    out += s.detector.observe(category: category, district: f.district, at: f.createdAt, caller: f.caller)
                }
                if let last = page.last { s.cursor = max(s.cursor ?? last.createdAt, last.createdAt) }
                return out
            }
            guard page.count == 10_000, let last = page.last else { break }
            (start, after) = (last.createdAt, last.id)
        }
        state.withLock { s in
            if s.cursor == nil { s.cursor = now }
            // Only the overlap needs remembering.
            let horizon = (s.cursor ?? now).addingTimeInterval(-2 * Self.overlap)
            s.seen = s.seen.filter { $0.value >= horizon }
        }
        if learning {
            logger.info("early warning: learnt \(state.withLock { $0.detector.streamCount }) streams from \(state.withLock { $0.detector.observed }) tickets")
            // A spike still under way at start is reported; older ones are history.
            raised = raised.filter { now.timeIntervalSince($0.detectedAt) < 3600 }
        }
        var stored: [SpikeAlert] = []
        for a in raised {
            let alert = SpikeAlert(
                tenantID: tenant.id, category: a.stream.category, district: a.stream.district, windowMinutes: a.windowMinutes, onset: a.onset,
                detectedAt: a.detectedAt, observed: a.observed, expected: (a.expected * 100).rounded() / 100, probability: a.probability, now: now
            )
            let reference = state.withLock { $0.reference }
            guard try await store.saveAlert(alert, announce: settings.webhook != nil) else { continue }
            // Names are for the log and the webhook; the store keeps codes.
            let named = reference?.named(alert) ?? alert
            stored.append(named)
            logger.warning("spike: \(named.categoryName ?? named.category) in \(named.districtName ?? (named.district.isEmpty ? "the whole city" : named.district)): \(named.observed) tickets in \(named.windowMinutes) min, \(named.expected) expected")
        }
        if let url = settings.webhook { try await announce(to: url, now: now) }
        return stored
    }

    /// Attempts before an alert's POST is given up: 30 s, 1, 2, 4 … min apart, about an hour in all.
    static let maxAttempts = 8

    /// POSTs the city's alerts whose announcement is due (new ones, and retries of failed ones).
    /// A failure is logged and tried again later; the alert is in the store and the API anyway.
    func announce(to url: URL, now: Date) async throws {
        let due = try await store.claimAlertAnnouncements(tenantID: tenant.id, now: now, lease: 60, limit: 20)
        guard !due.isEmpty else { return }
        let reference = state.withLock { $0.reference }
        for (alert, attempt) in due {
            do {
                try await WebhookNotifier.post(reference?.named(alert) ?? alert, to: url, signer: signer, idempotencyKey: alert.id, timeout: 10)
                try await store.finishAlertAnnouncement(id: alert.id, sent: true, nextAttempt: nil)
            } catch {
                let next = attempt < Self.maxAttempts ? clock.now().addingTimeInterval(30 * pow(2, Double(attempt - 1))) : nil
                try await store.finishAlertAnnouncement(id: alert.id, sent: false, nextAttempt: next)
                logger.error("alert webhook failed for \(alert.id) (attempt \(attempt)\(next == nil ? ", given up" : "")): \(error)")
            }
        }
    }
}

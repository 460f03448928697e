import Foundation
import ResponseInsight

/// Demand analysis and early-warning settings (config key `insight`).
public struct InsightSettings: Sendable {
    /// The detector's tuning.
    public var detector = SpikeDetector.Settings()
    /// Taxonomy level of the categories the detector watches (1 broad … 3 precise).
    public var alertLevel = 2
    /// Seconds between two looks for new tickets; `nil` turns the detector off.
    public var interval: TimeInterval? = 5
    /// Where each new alert is POSTed as JSON, if anywhere.
    public var webhook: URL?
    /// Days of past tickets read at start to learn the baselines (at least the warm-up).
    public var historyDays = 42
    /// Seconds between two rounds of the refresher of stored answers: today's and this month's
    /// briefs (and the final brief of a day or month that has just ended), and the usual hotspot
    /// views; `nil` builds them only when asked.
    public var storedRefresh: TimeInterval? = 300
    /// How old a stored brief of a period still going on, or a stored hotspot view, may be when
    /// served; an older one is built again for the request.
    public var storedMaxAge: TimeInterval = 900

    public init() {}
}

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

    public init() {}
}

import Foundation
import ResponseCore

/// What the dispatcher engine decided for a new ticket, and why.
public struct DispatchDecision: Sendable {
    /// Category and place to record on the ticket, with the reasons as event notes.
    public var triage: Triage
    /// The unit that should lead, when one was found.
    public var leadUnit: String?
    public var coUnits: [String]
    /// How sure the engine is of `leadUnit` (rule on a given category = 1).
    public var confidence: Double
    /// Whether to dispatch in the same request (confidence at or above the threshold).
    public var automatic: Bool
    /// A ticket to merge into automatically (a near-identical report nearby).
    public var mergeInto: String?
    public var categorySuggestions: [TextClassifier.Prediction]
    public var unitSuggestions: [TextClassifier.Prediction]
    public var duplicate: DuplicateFinder.Candidate?
    /// SimHash of the text, handed back to ``DispatchService/remember(_:fingerprint:)`` so the
    /// text is not analysed twice.
    public var fingerprint: UInt64 = 0
}

/// Thresholds of the dispatch policy, configurable per city.
public struct DispatchSettings: Sendable {
    /// Off: tickets are filed unclassified and unrouted, for cities that route by hand.
    public var enabled = true
    /// Dispatch automatically at or above this confidence; below, the dispatchers' queue.
    public var autoDispatchThreshold = 0.80
    /// Record the model's category when no category was given and it is at least this sure.
    public var categoryThreshold = 0.50
    /// Kinds never dispatched automatically (consultations are answered by the call-taker).
    public var manualKinds: Set<TicketKind> = [.consultation]
    /// A learned model may dispatch on its own only after this many examples: with a handful
    /// of tickets even a "certain" probability means nothing.
    public var minimumExamplesForModel = 50
    /// At most this many past tickets train the models at start.
    public var trainingTickets = 50_000
    public var duplicates = DuplicateFinder.Settings()
    public init() {}
}

import Foundation

/// Accuracy figures of a classifier on labelled examples: accuracy, top-3 accuracy, macro-F1,
/// per-class precision and recall, and the expected calibration error of its confidence.
public struct ClassificationReport: Sendable, Codable {
    public struct ClassFigures: Sendable, Codable {
        public var label: String
        public var support: Int
        public var precision: Double
        public var recall: Double
        public var f1: Double
    }

    public private(set) var total = 0
    public private(set) var correct = 0
    public private(set) var correctTop3 = 0
    /// (true label, predicted label) → count.
    private var confusion: [String: [String: Int]] = [:]
    /// Ten confidence bins: (count, sum of confidence, correct).
    private var bins = [(Int, Double, Int)](repeating: (0, 0, 0), count: 10)

    public init() {}

    /// Records one prediction (best first) for an example whose true label is `truth`.
    public mutating func record(truth: String, predictions: [TextClassifier.Prediction]) {
        total += 1
        let top = predictions.first
        if top?.label == truth { correct += 1 }
        if predictions.prefix(3).contains(where: { $0.label == truth }) { correctTop3 += 1 }
        confusion[truth, default: [:]][top?.label ?? "", default: 0] += 1
        if let top {
            let b = min(9, Int(top.confidence * 10))
            bins[b].0 += 1
            bins[b].1 += top.confidence
            bins[b].2 += top.label == truth ? 1 : 0
        }
    }

    /// Adds another report's counts (folds of a cross-validation).
    public mutating func merge(_ other: ClassificationReport) {
        total += other.total
        correct += other.correct
        correctTop3 += other.correctTop3
        for (t, row) in other.confusion { for (p, n) in row { confusion[t, default: [:]][p, default: 0] += n } }
        for i in 0..<10 {
            bins[i].0 += other.bins[i].0
            bins[i].1 += other.bins[i].1
            bins[i].2 += other.bins[i].2
        }
    }

    public var accuracy: Double { total == 0 ? 0 : Double(correct) / Double(total) }
    public var top3Accuracy: Double { total == 0 ? 0 : Double(correctTop3) / Double(total) }

    /// Per-class figures for every true label, most frequent first.
    public var classes: [ClassFigures] {
        var predicted: [String: Int] = [:]
        for row in confusion.values { for (p, n) in row { predicted[p, default: 0] += n } }
        return confusion.map { label, row in
            let support = row.values.reduce(0, +)
            let hits = row[label] ?? 0
            let precision = predicted[label].map { $0 == 0 ? 0 : Double(hits) / Double($0) } ?? 0
            let recall = support == 0 ? 0 : Double(hits) / Double(support)
            let f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall)
            return ClassFigures(label: label, support: support, precision: precision, recall: recall, f1: f1)
        }.sorted { ($0.support, $1.label) > ($1.support, $0.label) }
    }

    /// The unweighted mean F1 over true classes.
    public var macroF1: Double {
        let c = classes
        return c.isEmpty ? 0 : c.reduce(0) { $0 + $1.f1 } / Double(c.count)
    }

    /// Expected calibration error over ten confidence bins: how far "90 % sure" is from being
    /// right 90 % of the time (0 is perfect).
    public var calibrationError: Double {
        guard total > 0 else { return 0 }
        return bins.reduce(0) { sum, bin in
            bin.0 == 0 ? sum : sum + Double(bin.0) / Double(total) * abs(bin.1 / Double(bin.0) - Double(bin.2) / Double(bin.0))
        }
    }

    private enum CodingKeys: String, CodingKey { case total, correct, correctTop3 }
}

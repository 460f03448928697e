import ArgumentParser
import Foundation
import ResponseCore
import ResponseDispatch

/// `swift-response eval classify`: accuracy of the text classifier on a labelled CSV.
struct EvalClassifyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "classify",
        abstract: "Train on one CSV and test on another (or 5-fold cross-validate) and report accuracy, top-3, macro-F1, speed and size."
    )

    @Option(help: "Training CSV (.csv or .csv.gz).") var train: String
    @Option(help: "Test CSV; without it, k-fold cross-validation on --train.") var test: String?
    @Option(help: "Text column(s), comma-separated; joined with a line break.") var text: String
    @Option(help: "Label column.") var label: String
    @Option(help: "Categorical column(s) used whole as features (e.g. a neighbourhood), comma-separated.") var tokens: String?
    @Option(help: "Folds for cross-validation.") var folds = 5
    @Option(help: "Seed of the cross-validation shuffle: another seed, other folds (report several on small data).") var foldSeed: UInt64 = 7
    @Option(help: "Use at most this many labelled rows (a random sample).") var limit: Int?
    @Option(help: "Training epochs.") var epochs = TextClassifier.Options().epochs
    @Option(help: "Write the model trained on all of --train to this file.") var save: String?
    @Option(help: "Unlabelled CSV(s) with the same text columns, comma-separated, for self-training.") var unlabeled: String?
    @Option(help: "Confidence from which an unlabelled text is adopted in self-training.") var adoptAt = 0.9
    @Option(help: "CSV describing the classes: its --label column names a class, its other columns describe it (e.g. sub-category names); each row trains as an example of --taxonomy-weight. Rows of classes absent from the training data are skipped.")
    var taxonomy: String?
    @Option(help: "Weight of a --taxonomy row against a labelled example.") var taxonomyWeight: Float = 0.5
    @Flag(inversion: .prefixedNo, help: "Weigh text features by inverse document frequency.") var idf = TextClassifier.Options().inverseDocumentFrequency
    @Flag(help: "Print every class's precision and recall.") var perClass = false

    func run() async throws {
        let textColumns = columnList(text)
        let tokenColumns = tokens.map(columnList) ?? []
        guard !textColumns.isEmpty else { throw ValidationError("--text names no column") }
        guard folds >= 2 else { throw ValidationError("--folds must be at least 2") }
        guard taxonomyWeight > 0, taxonomyWeight.isFinite else { throw ValidationError("--taxonomy-weight must be a positive number") }
        let trainSet = try examples(from: train, textColumns: textColumns, tokenColumns: tokenColumns)
        // Cross-validation needs a row per fold; a separate test file needs only something to learn.
        guard trainSet.count >= (test == nil ? folds : 1) else { throw ValidationError("\(train) has only \(trainSet.count) labelled rows") }
        let trainer = try makeTrainer(trainSet: trainSet, textColumns: textColumns)
        var run = Measurement()
        if let test {
            let testSet = try examples(from: test, textColumns: textColumns, tokenColumns: tokenColumns)
            say("eval classify: train \(trainSet.count) rows from \(train), test \(testSet.count) rows from \(test)")
            let (model, seconds) = timed { trainer(trainSet) }
            run.add(model: model, trainSeconds: seconds, trainRows: trainSet.count, predictMicros: evaluate(model, on: testSet, into: &run.report))
        } else {
            say("eval classify: \(trainSet.count) labelled rows from \(train), \(folds)-fold cross-validation")
            crossValidate(trainSet, trainer: trainer, into: &run)
        }
        if let save {
            let model = trainer(trainSet)
            try model.serialized().write(to: URL(fileURLWithPath: save))
            say("model trained on all \(trainSet.count) rows written to \(save)")
        }
        summarize(run)
    }

    /// What one evaluation measured: the report over every test row, and per trained model its
    /// training time, prediction time and size.
    struct Measurement {
        var report = ClassificationReport()
        var trainSeconds: [Double] = []
        var predictMicros: [Double] = []
        var modelBytes = 0
        var trainedCount = 0

        mutating func add(model: TextClassifier, trainSeconds seconds: Double, trainRows: Int, predictMicros micros: Double) {
            trainSeconds.append(seconds)
            predictMicros.append(micros)
            modelBytes = max(modelBytes, model.serialized().count)
            trainedCount = trainRows
        }
    }

    /// The training the options ask for: labelled rows plus class descriptions, self-trained on
    /// unlabelled texts when given (never on texts of the labelled set).
    func makeTrainer(trainSet: [TextClassifier.Example], textColumns: [String]) throws -> ([TextClassifier.Example]) -> TextClassifier {
        var options = TextClassifier.Options()
        options.epochs = epochs
        options.inverseDocumentFrequency = idf
        let descriptions = try taxonomy.map(classDescriptions) ?? []
        if !descriptions.isEmpty { say("\(descriptions.count) class descriptions from \(taxonomy ?? ""), weight \(taxonomyWeight)") }
        var pool: [String] = []
        for path in unlabeled.map(columnList) ?? [] {
            let table = try readTable(path, columns: textColumns)
            pool += table.rows.map { row in textColumns.compactMap { table.value(row, $0) }.joined(separator: "\n") }.filter { !$0.isEmpty }
        }
        // Unlabelled texts that are also test texts would leak the test set into training.
        let known = Set(trainSet.map(\.text))
        pool = pool.filter { !known.contains($0) }
        if !pool.isEmpty { say("self-training with \(pool.count) unlabelled texts, adopted from confidence \(adoptAt)") }
        let (adoptAt, pooled) = (self.adoptAt, pool)
        return { labelled in
            let classes = Set(labelled.map(\.label))
            let examples = labelled + descriptions.filter { classes.contains($0.label) }
            return pooled.isEmpty ? TextClassifier.train(examples, options: options)
                : TextClassifier.selfTrain(examples, unlabeled: pooled, threshold: adoptAt, options: options).model
        }
    }

    /// K-fold cross-validation on `trainSet`, folds drawn by `--fold-seed`.
    func crossValidate(_ trainSet: [TextClassifier.Example], trainer: ([TextClassifier.Example]) -> TextClassifier, into run: inout Measurement) {
        var rng = SplitMix64(seed: foldSeed)
        let order = Array(trainSet.indices).shuffled(using: &rng)
        for fold in 0..<folds {
            let testIndices = Set(order.enumerated().filter { $0.offset % folds == fold }.map(\.element))
            let trainPart = trainSet.indices.filter { !testIndices.contains($0) }.map { trainSet[$0] }
            let testPart = testIndices.sorted().map { trainSet[$0] }
            let (model, seconds) = timed { trainer(trainPart) }
            var foldReport = ClassificationReport()
            let micros = evaluate(model, on: testPart, into: &foldReport)
            say(String(format: "  fold %d: accuracy %.2f %%, top-3 %.2f %%, trained %d in %.2f s, %.1f µs/prediction",
                       fold + 1, foldReport.accuracy * 100, foldReport.top3Accuracy * 100, trainPart.count, seconds, micros))
            run.report.merge(foldReport)
            run.add(model: model, trainSeconds: seconds, trainRows: trainPart.count, predictMicros: micros)
        }
    }

    /// The human summary, then the JSON line.
    func summarize(_ run: Measurement) {
        let report = run.report
        let (trainSeconds, predictMicros, modelBytes, trainedCount) = (run.trainSeconds, run.predictMicros, run.modelBytes, run.trainedCount)
        let classes = report.classes
        if perClass {
            for c in classes {
                say("  \(c.label.pad(40)) n=\(c.support)  precision \(percent(c.precision))  recall \(percent(c.recall))")
            }
        }
        let medianTrain = median(trainSeconds), medianMicros = median(predictMicros)
        say("accuracy \(percent(report.accuracy)), top-3 \(percent(report.top3Accuracy)), macro-F1 \(percent(report.macroF1)), calibration error \(String(format: "%.3f", report.calibrationError))")
        say(String(format: "%d classes; training %.2f s for %d rows (median), %.1f µs per prediction, model %d bytes", classes.count, medianTrain, trainedCount, medianMicros, modelBytes))
        printJSONLine([
            "command": "eval classify", "examples": report.total, "classes": classes.count,
            "accuracy": rounded(report.accuracy), "top3Accuracy": rounded(report.top3Accuracy), "macroF1": rounded(report.macroF1),
            "calibrationError": rounded(report.calibrationError), "trainSeconds": rounded(medianTrain), "trainRows": trainedCount,
            "microsPerPrediction": rounded(medianMicros), "modelBytes": modelBytes, "folds": test == nil ? folds : 0,
            "perClass": classes.map { ["label": $0.label, "support": $0.support, "precision": rounded($0.precision), "recall": rounded($0.recall)] },
        ])
    }

    private func examples(from path: String, textColumns: [String], tokenColumns: [String]) throws -> [TextClassifier.Example] {
        let table = try readTable(path, columns: textColumns + tokenColumns + [label])
        var result: [TextClassifier.Example] = []
        for row in table.rows {
            guard let label = table.value(row, label) else { continue }
            let text = textColumns.compactMap { table.value(row, $0) }.joined(separator: "\n")
            let tokens = tokenColumns.compactMap { column in table.value(row, column).map { column + "=" + $0 } }
            if text.isEmpty && tokens.isEmpty { continue }
            result.append(TextClassifier.Example(text: text, tokens: tokens, label: label))
        }
        if let limit, result.count > limit {
            var rng = SplitMix64(seed: 11)
            result = Array(result.shuffled(using: &rng).prefix(limit))
        }
        return result
    }

    /// The rows of a taxonomy CSV as weak examples: the --label column is the class, the other
    /// columns (sub-category names) its text.
    private func classDescriptions(_ path: String) throws -> [TextClassifier.Example] {
        let table = try readTable(path, columns: [label])
        let others = table.header.filter { $0 != label }
        guard !others.isEmpty else { throw ValidationError("\(path) has only the label column \(label): nothing describes the classes") }
        return table.rows.compactMap { row -> TextClassifier.Example? in
            guard let name = table.value(row, label) else { return nil }
            let text = others.compactMap { table.value(row, $0) }.joined(separator: " ")
            return text.isEmpty ? nil : TextClassifier.Example(text: text, label: name, weight: taxonomyWeight)
        }
    }

    /// Predicts every example, recording into `report`; returns µs per prediction.
    private func evaluate(_ model: TextClassifier, on examples: [TextClassifier.Example], into report: inout ClassificationReport) -> Double {
        let clock = ContinuousClock()
        var predictions: [[TextClassifier.Prediction]] = []
        predictions.reserveCapacity(examples.count)
        let elapsed = clock.measure {
            for e in examples { predictions.append(model.predict(e.text, tokens: e.tokens, top: 3)) }
        }
        for (e, p) in zip(examples, predictions) { report.record(truth: e.label, predictions: p) }
        return examples.isEmpty ? 0 : elapsed.seconds * 1e6 / Double(examples.count)
    }
}

func timed<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try body()
    return (value, (ContinuousClock.now - start).seconds)
}

func median(_ values: [Double]) -> Double {
    guard !values.isEmpty else { return 0 }
    let s = values.sorted()
    return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
}

func percent(_ x: Double) -> String { String(format: "%.2f %%", x * 100) }
func rounded(_ x: Double) -> Double { (x * 10_000).rounded() / 10_000 }

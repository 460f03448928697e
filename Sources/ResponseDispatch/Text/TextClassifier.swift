import Foundation

/// A multinomial logistic-regression classifier over hashed text features, trained by AdaGrad.
///
/// Chosen over naive Bayes because its probabilities can be calibrated (a temperature fitted
/// on held-out examples) and it learns from corrections one example at a time. Weights exist
/// only for features seen in training, so a model for 7 classes of Chinese messages and one
/// for 200 agency queues are both a few megabytes.
public struct TextClassifier: Sendable {
    /// A label with its calibrated probability.
    public struct Prediction: Sendable, Equatable, Codable {
        public var label: String
        public var confidence: Double

        public init(label: String, confidence: Double) {
            self.label = label
            self.confidence = confidence
        }
    }

    /// One training example.
    public struct Example: Sendable {
        public var text: String
        public var tokens: [String]
        public var label: String
        /// How much the example counts against an ordinary one (e.g. 0.5 for a taxonomy
        /// entry's description standing in for a real ticket).
        public var weight: Float

        public init(text: String, tokens: [String] = [], label: String, weight: Float = 1) {
            self.text = text
            self.tokens = tokens
            self.label = label
            self.weight = weight
        }
    }

    /// Training settings; the defaults were chosen by cross-validation on the Chinese and 311
    /// data sets (docs/dispatch.md).
    public struct Options: Sendable {
        public var epochs = 12
        public var learningRate: Float = 0.4
        /// Fraction held out to fit the temperature (0 to skip calibration).
        public var calibrationFraction = 0.1
        public var seed: UInt64 = 42
        /// Features found in fewer training texts than this get no weights (applied from 200
        /// examples on). Most character n-grams occur once; dropping them shrinks the model
        /// several-fold and keeps lookups in cache, at no cost in accuracy.
        public var minimumDocumentFrequency = 2
        /// L2 penalty on the weights an example updates (lazy weight decay). Chosen by 5-fold
        /// cross-validation (docs/dispatch.md).
        public var l2: Float = 0.001
        /// Weigh text features by their inverse document frequency in the training texts, so
        /// n-grams every message has (您好, 反映) count less than the ones that tell classes
        /// apart. Off by default: over five fold seeds on the Chinese messages it cost 0.3–1.2
        /// points, as AdaGrad's per-feature steps already favour rare features (docs/dispatch.md).
        public var inverseDocumentFrequency = false
        public init() {}
    }

    /// A text's features as the model sees them: the rows it has weights for and the values,
    /// re-weighted by rarity and normalised per feature group.
    struct Vector {
        var rows: [Int]
        var values: [Float]
    }

    public private(set) var labels: [String]
    var labelIndex: [String: Int]
    /// Feature hash → row of `weights`.
    var rows: FeatureTable
    /// Row-major, `labels.count` floats per row.
    var weights: [Float]
    /// AdaGrad's squared-gradient sums, same shape as `weights`.
    var squares: [Float]
    /// Inverse document frequency of each row's feature (1 for tokens, the bias, and models
    /// trained without it).
    var idf: [Float]
    /// Number of training texts the document frequencies were counted over (0: none).
    public internal(set) var documentCount: Int
    /// Softmax temperature from calibration (1 = none).
    public internal(set) var temperature: Double
    public internal(set) var examplesSeen: Int

    /// An empty model that knows `labels` (more are added as they are seen).
    public init(labels: [String] = []) {
        self.labels = []
        self.labelIndex = [:]
        self.rows = FeatureTable()
        self.weights = []
        self.squares = []
        self.idf = []
        self.documentCount = 0
        self.temperature = 1
        self.examplesSeen = 0
        for label in labels { _ = index(of: label) }
    }

    /// Number of feature rows with weights.
    public var featureCount: Int { rows.count }

    /// Trains a fresh model on `examples`.
    /// - Returns: The model, calibrated on a held-out slice and then trained on everything.
    public static func train(_ examples: [Example], options: Options = Options()) -> TextClassifier {
        let extracted = examples.map { TextFeatures.extract($0.text, tokens: $0.tokens) }
        var frequency = FeatureTable(minimumCapacity: 1 << 16)
        for features in extracted {
            for f in features { frequency.insert(f.key, (frequency[f.key] ?? 0) + 1) }
        }
        let minimum = options.minimumDocumentFrequency > 1 && examples.count >= 200 ? Int32(options.minimumDocumentFrequency) : 1
        let labels = Array(Set(examples.map(\.label))).sorted()
        var blank = TextClassifier(labels: labels)
        blank.documentCount = options.inverseDocumentFrequency ? examples.count : 0
        // Rows in order of first appearance, so equal inputs give equal models.
        for features in extracted {
            for f in features where blank.rows[f.key] == nil {
                let df = frequency[f.key] ?? 1
                if df >= minimum { blank.addRow(f.key, documentFrequency: Int(df)) }
            }
        }
        let data = zip(examples, extracted).map { example, features in
            (blank.vector(features), blank.labelIndex[example.label] ?? 0, example.weight)
        }
        var rng = SplitMix64(seed: options.seed)
        var temperature = 1.0
        // Below a few hundred examples the held-out slice is too small to fit a temperature
        // reliably, and training twice would double the start-up time for nothing.
        if options.calibrationFraction > 0, data.count >= 500 {
            var order = Array(data.indices)
            order.shuffle(using: &rng)
            let cut = max(1, Int(Double(order.count) * options.calibrationFraction))
            var probe = blank
            probe.fit(order.dropFirst(cut).map { data[$0] }, options: options, rng: &rng)
            temperature = probe.fitTemperature(order.prefix(cut).map { (data[$0].0, data[$0].1) })
        }
        var model = blank
        model.fit(data, options: options, rng: &rng)
        model.temperature = temperature
        return model
    }

    /// Self-training: a model trained on `examples` labels the `unlabeled` texts, and the ones
    /// it is at least `threshold` sure of join the training set (weighted as ordinary examples)
    /// for a second model. Helps where labelled data is scarce and unlabelled text plentiful.
    /// - Returns: The second model and how many unlabelled texts were used.
    public static func selfTrain(
        _ examples: [Example], unlabeled: [String], threshold: Double = 0.9, options: Options = Options()
    ) -> (model: TextClassifier, adopted: Int) {
        let first = train(examples, options: options)
        var extended = examples
        for text in unlabeled {
            if let top = first.predict(text, top: 1).first, top.confidence >= threshold {
                extended.append(Example(text: text, label: top.label))
            }
        }
        return (train(extended, options: options), extended.count - examples.count)
    }

    /// The `k` most likely labels, best first, with calibrated probabilities.
    public func predict(_ text: String, tokens: [String] = [], top k: Int = 3) -> [Prediction] {
        predict(features: TextFeatures.extract(text, tokens: tokens), top: k)
    }

    /// As ``predict(_:tokens:top:)`` for features already extracted.
    public func predict(features: [TextFeatures.Feature], top k: Int = 3) -> [Prediction] {
        guard !labels.isEmpty else { return [] }
        var p = probabilities(vector(features), temperature: temperature)
        var result: [Prediction] = []
        for _ in 0..<min(k, labels.count) {
            var best = 0
            for c in 1..<p.count where p[c] > p[best] { best = c }
            result.append(Prediction(label: labels[best], confidence: Double(p[best])))
            p[best] = -1
        }
        return result
    }

    /// Learns from one correction (a dispatcher's re-route, an upheld return): a few steps
    /// until `label` ranks first, so the same mistake is not repeated on the same text.
    public mutating func learn(_ text: String, tokens: [String] = [], label: String, maxSteps: Int = 5) {
        let features = TextFeatures.extract(text, tokens: tokens)
        let target = index(of: label)
        // Features new to the model count as the rarest (seen in one text).
        for f in features where rows[f.key] == nil { addRow(f.key, documentFrequency: 1) }
        let x = vector(features)
        for _ in 0..<maxSteps {
            let p = step(x, target: target, learningRate: 0.4, l2: 0)
            if p.indices.allSatisfy({ $0 == target || p[$0] < p[target] }) { break }
        }
        examplesSeen += 1
    }

    // MARK: - Training internals

    mutating func fit(_ data: [(Vector, Int, Float)], options: Options, rng: inout SplitMix64) {
        var order = Array(data.indices)
        for epoch in 0..<options.epochs {
            order.shuffle(using: &rng)
            // A gently decaying rate settles the weights in the last epochs.
            let rate = options.learningRate / (1 + Float(epoch) * 0.1)
            for i in order { _ = step(data[i].0, target: data[i].1, learningRate: rate * data[i].2, l2: options.l2) }
        }
        examplesSeen += data.count
    }

    /// One AdaGrad step of the softmax loss; returns the probabilities before the step.
    @discardableResult
    mutating func step(_ x: Vector, target: Int, learningRate: Float, l2: Float) -> [Float] {
        let width = labels.count
        let p = probabilities(x, temperature: 1)
        weights.withUnsafeMutableBufferPointer { w in
            squares.withUnsafeMutableBufferPointer { s in
                for c in 0..<width {
                    let g = p[c] - (c == target ? 1 : 0)
                    // Classes the example gives no real pull to are skipped: with hundreds of
                    // categories this is most of them, and the skipped steps would be ~0.
                    if abs(g) < 2e-3 { continue }
                    for (r, v) in zip(x.rows, x.values) {
                        let k = r * width + c
                        let gi = g * v + l2 * w[k]
                        s[k] += gi * gi
                        w[k] -= learningRate * gi / (s[k].squareRoot() + 1e-6)
                    }
                }
            }
        }
        return p
    }

    /// The features the model has rows for, text features weighted by rarity and each text
    /// group scaled back to the length the extractor gave it (1 for the body, the lead weight
    /// for the first line), as tf-idf vectors are normalised after weighting.
    func vector(_ features: [TextFeatures.Feature]) -> Vector {
        var x = Vector(rows: [], values: [])
        x.rows.reserveCapacity(features.count)
        x.values.reserveCapacity(features.count)
        var groups: [TextFeatures.Group] = []
        groups.reserveCapacity(features.count)
        var norms: (body: Float, lead: Float) = (0, 0)
        idf.withUnsafeBufferPointer { idf in
            for f in features {
                guard let r = rows[f.key].map(Int.init) else { continue }
                let group = TextFeatures.Group(of: f.key)
                var v = f.value
                switch group {
                case .body: v *= idf[r]; norms.body += v * v
                case .lead: v *= idf[r]; norms.lead += v * v
                case .token, .bias: break
                }
                x.rows.append(r)
                x.values.append(v)
                groups.append(group)
            }
        }
        let body = norms.body > 0 ? 1 / norms.body.squareRoot() : 0
        let lead = norms.lead > 0 ? TextFeatures.leadWeight / norms.lead.squareRoot() : 0
        for (i, group) in groups.enumerated() {
            switch group {
            case .body: x.values[i] *= body
            case .lead: x.values[i] *= lead
            case .token, .bias: break
            }
        }
        return x
    }

    func probabilities(_ x: Vector, temperature: Double) -> [Float] {
        let width = labels.count
        var z = [Float](repeating: 0, count: width)
        // Unsafe buffers on both sides: without bounds checks the inner loop vectorises.
        z.withUnsafeMutableBufferPointer { zs in
            weights.withUnsafeBufferPointer { w in
                guard let out = zs.baseAddress, let all = w.baseAddress else { return }
                for (r, v) in zip(x.rows, x.values) {
                    let row = all + r * width
                    for c in 0..<width { out[c] += row[c] * v }
                }
            }
        }
        let t = Float(temperature)
        let m = z.max() ?? 0
        var sum: Float = 0
        for c in 0..<width {
            z[c] = exp((z[c] - m) / t)
            sum += z[c]
        }
        for c in 0..<width { z[c] /= sum }
        return z
    }

    /// The temperature that minimises the log-loss on `held` (golden-section search on log T).
    func fitTemperature(_ held: [(Vector, Int)]) -> Double {
        guard !held.isEmpty else { return 1 }
        // Work from log-probabilities so every temperature is a cheap rescale.
        let logits = held.map { (probabilities($0.0, temperature: 1).map { log(max($0, 1e-30)) }, $0.1) }
        func loss(_ t: Double) -> Double {
            var total = 0.0
            for (l, target) in logits {
                let scaled = l.map { Double($0) / t }
                let m = scaled.max() ?? 0
                let lse = m + log(scaled.reduce(0) { $0 + exp($1 - m) })
                total += lse - scaled[target]
            }
            return total
        }
        var lo = log(0.05), hi = log(20.0)
        let phi = (5.0.squareRoot() - 1) / 2
        for _ in 0..<40 {
            let a = hi - phi * (hi - lo), b = lo + phi * (hi - lo)
            if loss(exp(a)) < loss(exp(b)) { hi = b } else { lo = a }
        }
        return exp((lo + hi) / 2)
    }

    mutating func index(of label: String) -> Int {
        if let i = labelIndex[label] { return i }
        // A new class widens every row; rare (a category the model has never seen).
        let old = labels.count
        labels.append(label)
        labelIndex[label] = old
        if rows.count > 0 {
            var w = [Float](repeating: 0, count: rows.count * (old + 1))
            var s = [Float](repeating: 0, count: rows.count * (old + 1))
            for r in 0..<rows.count {
                for c in 0..<old {
                    w[r * (old + 1) + c] = weights[r * old + c]
                    s[r * (old + 1) + c] = squares[r * old + c]
                }
            }
            weights = w
            squares = s
        }
        return old
    }

    /// Adds a row for `key`, seen in `documentFrequency` of the training texts.
    mutating func addRow(_ key: UInt64, documentFrequency: Int) {
        rows.insert(key, Int32(rows.count))
        weights.append(contentsOf: repeatElement(0, count: labels.count))
        squares.append(contentsOf: repeatElement(0, count: labels.count))
        idf.append(inverseDocumentFrequency(documentFrequency))
    }

    /// Smoothed inverse document frequency, `ln((N + 1) / (df + 1)) + 1`; 1 without counts.
    func inverseDocumentFrequency(_ documentFrequency: Int) -> Float {
        documentCount > 0 ? log(Float(documentCount + 1) / Float(documentFrequency + 1)) + 1 : 1
    }
}

/// A small, fast, seedable generator so training is reproducible.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }
    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

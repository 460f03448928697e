import Foundation
@testable import ResponseDispatch
import Testing

@Suite("TextClassifier")
struct TextClassifierTests {
    static let examples: [TextClassifier.Example] = {
        let noise = ["楼上装修噪音太大", "工地夜间施工噪音扰民", "广场舞音响声音太吵", "酒吧夜里噪音很大", "Loud music from the bar next door", "Construction noise after 10pm"]
        let water = ["小区停水三天了", "自来水管爆裂漏水", "水压太低用不了水", "自来水发黄有异味", "No water in the building since morning", "Water main break on the street"]
        let road = ["路面坑洼需要修补", "道路井盖缺失很危险", "人行道砖松动", "马路塌陷一个大坑", "Pothole on Main Street", "Broken sidewalk near the school"]
        var all: [TextClassifier.Example] = []
        for _ in 0..<3 {
            all += noise.map { .init(text: $0, label: "noise") } + water.map { .init(text: $0, label: "water") } + road.map { .init(text: $0, label: "road") }
        }
        return all
    }()

    @Test("learns Chinese and English, returns the top 3 best first with probabilities")
    func predicts() {
        let model = TextClassifier.train(Self.examples)
        let zh = model.predict("晚上施工噪音让人睡不着")
        #expect(zh.first?.label == "noise")
        #expect(model.predict("家里没有水了，停水")[0].label == "water")
        #expect(model.predict("there is a big pothole in the road")[0].label == "road")
        #expect(zh.count == 3)
        #expect(zh[0].confidence >= zh[1].confidence && zh[1].confidence >= zh[2].confidence)
        #expect(abs(zh.map(\.confidence).reduce(0, +) - 1) < 1e-3)
    }

    @Test("a dispatcher's correction is learned online")
    func learnsOnline() {
        var model = TextClassifier.train(Self.examples)
        let text = "小区门口垃圾堆积无人清运"
        #expect(model.predict(text).first?.label != "sanitation", "a class it has never seen")
        model.learn(text, label: "sanitation")
        #expect(model.predict(text).first?.label == "sanitation")
        #expect(model.labels.contains("sanitation"))
        #expect(model.predict("晚上施工噪音让人睡不着").first?.label == "noise", "old knowledge survives")
    }

    @Test("save and restore give the same predictions; other files are refused")
    func persistence() throws {
        let model = TextClassifier.train(Self.examples)
        let data = model.serialized()
        let restored = try TextClassifier(serialized: data)
        #expect(restored.serialized() == data, "a model read back writes the same bytes (the header's keys were in a per-process order)")
        for text in ["停水", "噪音", "pothole", ""] { #expect(restored.predict(text) == model.predict(text)) }
        #expect(restored.temperature == model.temperature)
        var withIDF = TextClassifier.Options()
        withIDF.inverseDocumentFrequency = true
        let weighted = TextClassifier.train(Self.examples, options: withIDF)
        let back = try TextClassifier(serialized: weighted.serialized())
        #expect(back.documentCount == Self.examples.count)
        for text in ["停水", "噪音", "pothole\nwater main"] { #expect(back.predict(text) == weighted.predict(text)) }

        // A file that lists a feature twice is refused (it loaded, and writing it back crashed).
        var twice = data
        let headerLength = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
        let first = 12 + headerLength, rowBytes = 12 + model.labels.count * 8
        twice.replaceSubrange((first + rowBytes)..<(first + rowBytes + 8), with: data[first..<(first + 8)])
        #expect(throws: ModelFileError.corrupt("a feature is listed twice")) { try TextClassifier(serialized: twice) }

        var otherVersion = data
        otherVersion[4] = 99
        #expect(throws: ModelFileError.unsupportedVersion(found: 99, supported: TextClassifier.fileFormatVersion)) {
            try TextClassifier(serialized: otherVersion)
        }
        #expect(throws: ModelFileError.notAModel) { try TextClassifier(serialized: Data("hello world, not a model".utf8)) }
        #expect(throws: ModelFileError.self) { try TextClassifier(serialized: data.prefix(data.count - 3)) }
    }

    @Test("hostile input: empty, 100 k characters, emoji, mixed scripts")
    func badInput() {
        let model = TextClassifier.train(Self.examples)
        #expect(model.predict("").count == 3, "an empty text still gets the prior")
        let huge = String(repeating: "噪音noise😀", count: 15_000)
        #expect(huge.count > 100_000)
        #expect(model.predict(huge).first?.label == "noise")
        #expect(model.predict("🚰🚰🚰 停水 no water 💧").first?.label == "water")
        #expect(TextFeatures.extract("ＡＢＣ　ｄｅｆ").count == TextFeatures.extract("abc def").count, "full-width folds to ASCII")
    }

    @Test("a first line (the title) repeats in a group of its own; tokens and the bias keep theirs")
    func featureGroups() {
        let groups = { (text: String, tokens: [String]) in
            Dictionary(grouping: TextFeatures.extract(text, tokens: tokens), by: { TextFeatures.Group(of: $0.key) })
        }
        let titled = groups("噪音扰民\n楼上每天夜里装修", ["district=A3"])
        #expect(titled[.lead]?.isEmpty == false)
        #expect(titled[.token]?.count == 1)
        #expect(titled[.bias]?.map(\.key) == [TextFeatures.bias])
        let length = { (features: [TextFeatures.Feature]?) in (features ?? []).reduce(Float(0)) { $0 + $1.value * $1.value }.squareRoot() }
        #expect(abs(length(titled[.body]) - 1) < 1e-5)
        #expect(abs(length(titled[.lead]) - TextFeatures.leadWeight) < 1e-5)
        // The same n-gram in the title and the body are two features.
        let leadKeys = Set((titled[.lead] ?? []).map(\.key)), bodyKeys = Set((titled[.body] ?? []).map(\.key))
        #expect(!leadKeys.isEmpty && leadKeys.isDisjoint(with: bodyKeys))
        #expect(groups("噪音扰民 楼上每天夜里装修", [])[.lead] == nil, "one line: no title")
        #expect(groups("\n楼上每天夜里装修", [])[.lead] == nil, "an empty first line is no title")
        // Near-duplicate detection looks at the body only: a title does not change the SimHash.
        #expect(DuplicateFinder.simHash(TextFeatures.extract("噪音\n楼上装修")) == DuplicateFinder.simHash(TextFeatures.extract("噪音\n楼上装修").filter { TextFeatures.Group(of: $0.key) != .lead }))
    }

    @Test("with inverse document frequency on, n-grams every training text has weigh less than rare ones")
    func inverseDocumentFrequency() {
        // 您好 opens every message; 停水 and 噪音 tell the classes apart.
        let examples = (0..<10).flatMap { i in
            [TextClassifier.Example(text: "您好 停水 \(i)", label: "water"), .init(text: "您好 噪音 \(i)", label: "noise")]
        }
        var options = TextClassifier.Options()
        options.inverseDocumentFrequency = true
        let model = TextClassifier.train(examples, options: options)
        #expect(model.documentCount == examples.count)
        let features = TextFeatures.extract("您好 停水")
        let x = model.vector(features)
        func weight(_ text: String) -> Float {
            let key = TextFeatures.extract(text).first { TextFeatures.Group(of: $0.key) == .body }?.key ?? 0
            return zip(x.rows, x.values).first { row, _ in model.rows[key].map(Int.init) == row }?.1 ?? -1
        }
        #expect(weight("您好") > 0 && weight("停水") > 0)
        #expect(weight("您好") < weight("停水"), "\(weight("您好")) vs \(weight("停水"))")

        options.inverseDocumentFrequency = false
        let flat = TextClassifier.train(examples, options: options)
        #expect(flat.documentCount == 0)
        let y = flat.vector(features)
        #expect(Set(y.values.map { ($0 * 1000).rounded() }).count <= 3, "without it, equal counts give equal weights")
    }

    @Test("an example's weight scales how much it teaches")
    func exampleWeight() {
        // The same text under two labels: the heavier label wins.
        let text = "路灯不亮"
        let heavy = TextClassifier.train([.init(text: text, label: "light", weight: 1), .init(text: text, label: "road", weight: 0.2)] + Self.examples)
        #expect(heavy.predict(text).first?.label == "light")
        let swapped = TextClassifier.train([.init(text: text, label: "light", weight: 0.2), .init(text: text, label: "road", weight: 1)] + Self.examples)
        #expect(swapped.predict(text).first?.label == "road")
    }

    @Test("an untrained model predicts nothing rather than crashing")
    func empty() {
        #expect(TextClassifier().predict("anything").isEmpty)
        #expect(TextClassifier.train([]).predict("anything").isEmpty)
    }

    @Test("the report computes accuracy, top-3, macro-F1 and calibration")
    func report() {
        var r = ClassificationReport()
        r.record(truth: "a", predictions: [.init(label: "a", confidence: 0.9), .init(label: "b", confidence: 0.1)])
        r.record(truth: "b", predictions: [.init(label: "a", confidence: 0.6), .init(label: "b", confidence: 0.4)])
        #expect(r.accuracy == 0.5)
        #expect(r.top3Accuracy == 1)
        // a: precision 1/2, recall 1 → F1 2/3; b: precision 0, recall 0 → F1 0.
        #expect(abs(r.macroF1 - 1.0 / 3) < 1e-9)
        // bins: 0.9 → 1 right (|0.9 − 1| = 0.1), 0.6 → 0 right (0.6): (0.1 + 0.6) / 2.
        #expect(abs(r.calibrationError - 0.35) < 1e-9)
    }
}

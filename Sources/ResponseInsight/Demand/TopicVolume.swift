import Foundation
import ResponseCore
import ResponseStore

/// A topic's problems counted month by month around the topic's month: did the campaign work?
public struct TopicVolume: Codable, Sendable, Equatable {
    /// From three months before the topic's month to three after it (never past the current month).
    public var months: [String]
    public var topicMonth: String
    public var problems: [ProblemVolume]

    public struct ProblemVolume: Codable, Sendable, Equatable {
        public var title: String
        /// Tickets per month, one per entry of `months`.
        public var counts: [Int]
        /// Mean per month over the months before the topic's month.
        public var before: Double
        /// Mean per month over the months after it, `nil` until one has begun.
        public var after: Double?
        /// `(after − before) ÷ before`.
        public var change: Double?
        /// Whether some months were estimated from a sample of their tickets (words in a busy month).
        public var estimated: Bool
    }

    /// Tickets read per month to count a problem's words; a month with more is estimated.
    public static let wordSample = 5_000
}

extension InsightService {
    /// Counts each problem of `topic` per month. A problem without words is read from the
    /// demand aggregates; with words, the month's newest 5,000 tickets of its categories and
    /// districts are read and a busier month is estimated from them.
    public func volume(of topic: Topic, currentMonth: String, days: DayKeys, reference: Reference) async throws -> TopicVolume {
        func monthNumber(_ m: String) -> Int? {
            let p = m.split(separator: "-").compactMap { Int($0) }
            return p.count == 2 ? p[0] * 12 + p[1] - 1 : nil
        }
        func monthKey(_ n: Int) -> String { String(format: "%04d-%02d", n / 12, n % 12 + 1) }
        guard let centre = monthNumber(topic.month) else { return TopicVolume(months: [], topicMonth: topic.month, problems: []) }
        let last = min(centre + 3, monthNumber(currentMonth) ?? centre + 3)
        let months = (centre - 3...max(centre - 3, last)).map(monthKey)
        var volumes: [TopicVolume.ProblemVolume] = []
        for problem in topic.problems {
            let categories = problem.categories.flatMap { reference.descendants(of: $0) }
            let wanted = Set(categories), places = Set(problem.districts)
            var counts: [Int] = []
            var estimated = false
            for month in months {
                let next = monthKey((monthNumber(month) ?? 0) + 1)
                if problem.words.isEmpty {
                    let rows = try await store.demandCounts(tenantID: topic.tenantID, range: DayRange(from: month + "-01", to: next + "-01"), district: nil, street: nil)
                    counts.append(rows.filter { (wanted.isEmpty || wanted.contains($0.category)) && (places.isEmpty || places.contains($0.district)) }.reduce(0) { $0 + $1.tickets })
                } else {
                    // Words need the texts. The month's tickets of the categories and districts are
                    // counted from the aggregates; the words are looked for in its newest 5,000, and
                    // a busier month is scaled from them (and marked estimated).
                    let rows = try await store.demandCounts(tenantID: topic.tenantID, range: DayRange(from: month + "-01", to: next + "-01"), district: nil, street: nil)
                    let base = rows.filter { (wanted.isEmpty || wanted.contains($0.category)) && (places.isEmpty || places.contains($0.district)) }.reduce(0) { $0 + $1.tickets }
                    let from = days.start(of: month + "-01") ?? .distantPast, to = days.start(of: next + "-01") ?? .distantFuture
                    let texts = base == 0 ? [] : try await store.newestTexts(
                        tenantID: topic.tenantID, categories: categories, districts: problem.districts, from: from, to: to, limit: TopicVolume.wordSample
                    )
                    let words = problem.words.map { $0.lowercased() }
                    let matched = texts.filter { text in let t = text.lowercased(); return words.allSatisfy { t.contains($0) } }.count
                    if texts.count < base {
                        estimated = true
                        counts.append(Int((Double(matched) / Double(max(texts.count, 1)) * Double(base)).rounded()))
                    } else {
                        counts.append(matched)
                    }
                }
            }
            let centreIndex = months.firstIndex(of: topic.month) ?? 0
            let before = counts[..<centreIndex], after = counts[(centreIndex + 1)...]
            let beforeMean = before.isEmpty ? 0 : Double(before.reduce(0, +)) / Double(before.count)
            let afterMean = after.isEmpty ? nil : Double(after.reduce(0, +)) / Double(after.count)
            volumes.append(.init(
                title: problem.title, counts: counts, before: beforeMean, after: afterMean,
                change: afterMean.flatMap { beforeMean > 0 ? ($0 - beforeMean) / beforeMean : nil }, estimated: estimated
            ))
        }
        return TopicVolume(months: months, topicMonth: topic.month, problems: volumes)
    }
}

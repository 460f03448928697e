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
    }
}

extension InsightService {
    /// Counts each problem of `topic` per month. A problem without words is read from the
    /// demand aggregates; words need the tickets themselves (through the category and date index).
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
            for month in months {
                let next = monthKey((monthNumber(month) ?? 0) + 1)
                if problem.words.isEmpty {
                    let rows = try await store.demandCounts(tenantID: topic.tenantID, range: DayRange(from: month + "-01", to: next + "-01"), district: nil, street: nil)
                    counts.append(rows.filter { (wanted.isEmpty || wanted.contains($0.category)) && (places.isEmpty || places.contains($0.district)) }.reduce(0) { $0 + $1.tickets })
                } else {
                    let from = days.start(of: month + "-01") ?? .distantPast, to = days.start(of: next + "-01") ?? .distantFuture
                    counts.append(try await store.countTickets(tenantID: topic.tenantID, categories: categories, districts: problem.districts, words: problem.words, from: from, to: to))
                }
            }
            let centreIndex = months.firstIndex(of: topic.month) ?? 0
            let before = counts[..<centreIndex], after = counts[(centreIndex + 1)...]
            let beforeMean = before.isEmpty ? 0 : Double(before.reduce(0, +)) / Double(before.count)
            let afterMean = after.isEmpty ? nil : Double(after.reduce(0, +)) / Double(after.count)
            volumes.append(.init(
                title: problem.title, counts: counts, before: beforeMean, after: afterMean,
                change: afterMean.flatMap { beforeMean > 0 ? ($0 - beforeMean) / beforeMean : nil }
            ))
        }
        return TopicVolume(months: months, topicMonth: topic.month, problems: volumes)
    }
}

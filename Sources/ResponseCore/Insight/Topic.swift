import Foundation

/// A topic of the month (每月一题): one theme the city takes on before people have to
/// complain, with two or three concrete problems (each a saved query over categories, places
/// and words), a lead department, its tasks and the outcome.
public struct Topic: Codable, Sendable, Equatable, Identifiable {
    public enum Status: String, Codable, Sendable, CaseIterable {
        case planned, active, done
    }

    /// One concrete problem, as a saved query: tickets of these categories (and the categories
    /// below them), in these districts, whose text contains these words (all optional but one).
    public struct Problem: Codable, Sendable, Equatable {
        public var title: String
        public var categories: [String]
        public var districts: [String]
        /// Words that must all appear in the ticket's title or description.
        public var words: [String]

        public init(title: String, categories: [String] = [], districts: [String] = [], words: [String] = []) {
            self.title = title
            self.categories = categories
            self.districts = districts
            self.words = words
        }

        enum CodingKeys: String, CodingKey { case title, categories, districts, words }

        // Lists may be omitted: a problem found by words alone names no categories.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            title = try c.decode(String.self, forKey: .title)
            categories = try c.decodeIfPresent([String].self, forKey: .categories) ?? []
            districts = try c.decodeIfPresent([String].self, forKey: .districts) ?? []
            words = try c.decodeIfPresent([String].self, forKey: .words) ?? []
        }
    }

    /// A task of the lead department or a partner unit.
    public struct Task: Codable, Sendable, Equatable {
        public var title: String
        public var unit: String?
        public var due: Date?
        public var done: Bool
        public var note: String?

        public init(title: String, unit: String? = nil, due: Date? = nil, done: Bool = false, note: String? = nil) {
            self.title = title
            self.unit = unit
            self.due = due
            self.done = done
            self.note = note
        }

        enum CodingKeys: String, CodingKey { case title, unit, due, done, note }

        // `done` may be omitted: a new task is open.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            title = try c.decode(String.self, forKey: .title)
            unit = try c.decodeIfPresent(String.self, forKey: .unit)
            due = try c.decodeIfPresent(Date.self, forKey: .due)
            done = try c.decodeIfPresent(Bool.self, forKey: .done) ?? false
            note = try c.decodeIfPresent(String.self, forKey: .note)
        }
    }

    public var id: String
    public var tenantID: String
    /// The month of the topic, `yyyy-MM`.
    public var month: String
    public var title: String
    public var leadUnit: String
    public var status: Status
    public var problems: [Problem]
    public var tasks: [Task]
    /// What was achieved, written when the topic is done.
    public var outcome: String?
    public var updatedAt: Date
    public var updatedBy: String
    /// Incremented by each change; an update must name the version it read.
    public var version: Int

    public init(id: String, tenantID: String, month: String, title: String, leadUnit: String, status: Status = .planned, problems: [Problem],
                tasks: [Task] = [], outcome: String? = nil, updatedAt: Date, updatedBy: String, version: Int = 1) {
        self.id = id
        self.tenantID = tenantID
        self.month = month
        self.title = title
        self.leadUnit = leadUnit
        self.status = status
        self.problems = problems
        self.tasks = tasks
        self.outcome = outcome
        self.updatedAt = updatedAt
        self.updatedBy = updatedBy
        self.version = version
    }

    /// Field problems of a topic about to be saved; empty when it is acceptable.
    /// - Parameters:
    ///   - categories: Codes the city has; `units` likewise.
    public func problems(categories: Set<String>, units: Set<String>) -> [FieldError] {
        var errors: [FieldError] = []
        if DayRange.month(month) == nil { errors.append(FieldError(field: "month", message: "a month, yyyy-MM")) }
        if title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || title.count > 200 { errors.append(FieldError(field: "title", message: "1–200 characters")) }
        if !units.contains(leadUnit) { errors.append(FieldError(field: "leadUnit", message: "no unit \(leadUnit)")) }
        if !(1...3).contains(problems.count) { errors.append(FieldError(field: "problems", message: "one to three concrete problems")) }
        for (i, p) in problems.enumerated() {
            let field = "problems[\(i)]"
            if p.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || p.title.count > 200 { errors.append(FieldError(field: field + ".title", message: "1–200 characters")) }
            if p.categories.isEmpty && p.districts.isEmpty && p.words.isEmpty {
                errors.append(FieldError(field: field, message: "needs categories, districts or words to find its tickets"))
            }
            for c in p.categories where !categories.contains(c) { errors.append(FieldError(field: field + ".categories", message: "no category \(c)")) }
            for d in p.districts where !units.contains(d) { errors.append(FieldError(field: field + ".districts", message: "no district \(d)")) }
            if p.words.count > 5 || p.words.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty || $0.count > 50 }) {
                errors.append(FieldError(field: field + ".words", message: "at most 5 words of 1–50 characters"))
            }
            if p.categories.count > 50 || p.districts.count > 50 { errors.append(FieldError(field: field, message: "at most 50 categories and 50 districts")) }
        }
        if tasks.count > 50 { errors.append(FieldError(field: "tasks", message: "at most 50 tasks")) }
        for (i, t) in tasks.enumerated() {
            if t.title.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty || t.title.count > 200 { errors.append(FieldError(field: "tasks[\(i)].title", message: "1–200 characters")) }
            if let u = t.unit, !units.contains(u) { errors.append(FieldError(field: "tasks[\(i)].unit", message: "no unit \(u)")) }
        }
        if let o = outcome, o.count > 10_000 { errors.append(FieldError(field: "outcome", message: "at most 10,000 characters")) }
        return errors
    }
}

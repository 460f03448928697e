import Foundation

/// A period of the access log summed up for the monthly report: how many disclosures of contact
/// data each role made through each face, and the people who made the most.
public struct AccessSummary: Codable, Sendable, Equatable {
    /// Disclosures by one role through one face.
    public struct Line: Codable, Sendable, Equatable {
        public var role: Role
        public var route: String
        public var records: Int
        /// Distinct people (or keys).
        public var people: Int
        /// Distinct tickets (a whole export counts as one, `*`).
        public var tickets: Int

        public init(role: Role, route: String, records: Int, people: Int, tickets: Int) {
            self.role = role
            self.route = route
            self.records = records
            self.people = people
            self.tickets = tickets
        }
    }

    /// One person's disclosures.
    public struct Person: Codable, Sendable, Equatable {
        public var actor: String
        public var role: Role
        public var unit: String?
        public var records: Int
        public var tickets: Int

        public init(actor: String, role: Role, unit: String?, records: Int, tickets: Int) {
            self.actor = actor
            self.role = role
            self.unit = unit
            self.records = records
            self.tickets = tickets
        }
    }

    /// City days `[from, to)`.
    public var from: String
    public var to: String
    /// By role, then face, most records first.
    public var lines: [Line]
    /// The people with most disclosures, most first.
    public var topPeople: [Person]

    public init(from: String, to: String, lines: [Line], topPeople: [Person]) {
        self.from = from
        self.to = to
        self.lines = lines
        self.topPeople = topPeople
    }

    public var records: Int { lines.reduce(0) { $0 + $1.records } }
}

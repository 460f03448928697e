import Foundation
import ResponseCore

/// The city's dispatch catalogue: which unit owns a category in a place. Rules are tried in
/// order and the first match wins, so a city writes exceptions above the general rule — the
/// way operators already read such tables.
public struct DispatchCatalogue: Sendable, Equatable {
    /// One row: category prefix × jurisdiction → lead unit and co-units.
    public struct Rule: Sendable, Equatable {
        /// A category code or prefix (`urban` matches `urban.sanitation.garbage`); `*` for any.
        public var category: String
        /// A district or street code, `*` for anywhere, or `@street` for "wherever a street is
        /// known".
        public var jurisdiction: String
        /// A unit code, or `@street` / `@district` for the located unit (direct dispatch).
        public var lead: String
        public var coUnits: [String]
        /// Line number in the source, quoted in the timeline.
        public var line: Int

        public init(category: String, jurisdiction: String, lead: String, coUnits: [String] = [], line: Int = 0) {
            self.category = category
            self.jurisdiction = jurisdiction
            self.lead = lead
            self.coUnits = coUnits
            self.line = line
        }
    }

    /// A catalogue row that cannot be used.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var line: Int
        public var message: String
        public var description: String { "dispatch catalogue line \(line): \(message)" }
    }

    public var rules: [Rule]

    public init(rules: [Rule] = []) { self.rules = rules }

    /// Reads CSV with the header `category,jurisdiction,lead,co_units` (co-units separated by
    /// `;`). Blank lines and lines starting with `#` are skipped.
    public static func parse(csv: String) throws(ParseError) -> DispatchCatalogue {
        var rules: [Rule] = []
        let lines = csv.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
        for (i, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") || (i == 0 && line.lowercased().hasPrefix("category")) { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count >= 3, !fields[0].isEmpty, !fields[1].isEmpty, !fields[2].isEmpty else {
                throw ParseError(line: i + 1, message: "expected category,jurisdiction,lead[,co_units]")
            }
            let co = fields.count > 3 ? fields[3].split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty } : []
            rules.append(Rule(category: fields[0], jurisdiction: fields[1], lead: fields[2], coUnits: co, line: i + 1))
        }
        return DispatchCatalogue(rules: rules)
    }

    /// The first rule that applies, with its lead unit resolved.
    /// - Parameters:
    ///   - category: The ticket's category code, if known.
    ///   - district: Located district code, if known.
    ///   - street: Located street/township code, if known.
    /// - Returns: The rule and the unit it names, or `nil` when the catalogue is silent.
    public func match(category: String?, district: String?, street: String?) -> (rule: Rule, lead: String)? {
        for rule in rules {
            if rule.category != "*" {
                guard let category, category == rule.category || category.hasPrefix(rule.category + ".") else { continue }
            }
            switch rule.jurisdiction {
            case "*": break
            case "@street": if street == nil { continue }
            default: if rule.jurisdiction != district && rule.jurisdiction != street { continue }
            }
            let lead: String?
            switch rule.lead {
            case "@street": lead = street
            case "@district": lead = district
            default: lead = rule.lead
            }
            if let lead { return (rule, lead) }
        }
        return nil
    }
}

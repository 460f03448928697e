import Foundation

/// A city's category tree, loaded from a three-column file (level 1, level 2, level 3 names).
public struct CategoryTaxonomy: Sendable, Equatable {
    public private(set) var categories: [Category]

    public init(categories: [Category]) {
        self.categories = categories
    }

    /// Builds the tree from CSV text whose rows are `level1,level2,level3` names (a header row
    /// is skipped when its first cell is not used again). Codes are assigned in order of first
    /// appearance: `01`, `01.01`, `01.01.01`; the same file always yields the same codes.
    /// - Throws: ``ValidationError`` naming the first malformed line.
    public static func parse(csv text: String, tenantID: String, hasHeader: Bool = true) throws -> CategoryTaxonomy {
        var categories: [Category] = []
        var codeByPath: [String: String] = [:]
        var childCount: [String: Int] = [:]
        let lines = text.split(whereSeparator: \.isNewline)
        for (index, rawLine) in lines.enumerated() {
            if index == 0 && hasHeader { continue }
            let cells = rawLine.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespaces.union(.init(charactersIn: "\"")))
            }
            if cells.allSatisfy(\.isEmpty) { continue }
            guard cells.count >= 3, !cells[0].isEmpty, !cells[1].isEmpty, !cells[2].isEmpty else {
                throw ValidationError([FieldError(field: "line \(index + 1)", message: "expected three non-empty names")])
            }
            var parent: String? = nil
            var path = ""
            for level in 1...3 {
                let name = cells[level - 1]
                path += "\u{1F}" + name
                if let code = codeByPath[path] {
                    parent = code
                    continue
                }
                let siblings = childCount[parent ?? "", default: 0] + 1
                childCount[parent ?? ""] = siblings
                let code = (parent.map { $0 + "." } ?? "") + (siblings < 100 ? String(format: "%02d", siblings) : String(siblings))
                codeByPath[path] = code
                categories.append(Category(code: code, tenantID: tenantID, name: name, level: level, parentCode: parent))
                parent = code
            }
        }
        return CategoryTaxonomy(categories: categories)
    }

    /// The category with `code`.
    public func category(_ code: String) -> Category? {
        categories.first { $0.code == code }
    }

    /// The codes above `code`, its parent first and the first-level category last, given how to
    /// find a code's parent (at most 10 steps, so a cycle in bad data cannot hang a request).
    public static func ancestors(of code: String, parent: (String) -> String?) -> [String] {
        var chain: [String] = []
        var next = parent(code)
        while let p = next, chain.count < 10 {
            chain.append(p)
            next = parent(p)
        }
        return chain
    }

    /// The full path of names, `城乡建设 / 安全生产 / 安全隐患`.
    public func path(of code: String) -> [String] {
        var names: [String] = []
        var current = category(code)
        while let c = current {
            names.insert(c.name, at: 0)
            current = c.parentCode.flatMap(category)
        }
        return names
    }
}

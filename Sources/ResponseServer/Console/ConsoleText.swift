import Foundation

/// The console's words in Chinese and English (`Resources/console/strings.json`), and how a
/// request picks its language: `?lang=`, then the `sr_lang` cookie, then `Accept-Language`.
struct ConsoleText: Sendable {
    enum Language: String, Sendable, CaseIterable {
        case zh, en
        /// The `lang` attribute of the page.
        var tag: String { self == .zh ? "zh-CN" : "en" }
        var other: Language { self == .zh ? .en : .zh }
        /// The language's own name, for the switch.
        var ownName: String { self == .zh ? "中文" : "English" }
    }

    let strings: [Language: [String: String]]
    /// The strings as JSON for the page's script, one document per language, built once.
    let json: [Language: String]

    init(data: Data) throws {
        self.init(raw: try JSONDecoder().decode([String: [String: String]].self, from: data))
    }

    /// - Parameter raw: Key → language code → text.
    init(raw: [String: [String: String]]) {
        var strings: [Language: [String: String]] = [:]
        for language in Language.allCases {
            strings[language] = raw.compactMapValues { $0[language.rawValue] ?? $0["en"] }
        }
        self.strings = strings
        var json: [Language: String] = [:]
        for (language, table) in strings {
            let data = (try? JSONEncoder.api.encode(table)) ?? Data("{}".utf8)
            // Inside <script>, "</" would end the element.
            json[language] = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "</", with: "<\\/")
        }
        self.json = json
    }

    subscript(_ language: Language) -> [String: String] { strings[language] ?? [:] }

    /// The language a request asks for.
    static func language(query: String?, cookie: String?, acceptLanguage: String?) -> Language {
        if let q = query.flatMap(Language.init(rawValue:)) { return q }
        if let c = cookie.flatMap(Language.init(rawValue:)) { return c }
        // The first language the browser lists that we have; English otherwise.
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            if tag.hasPrefix("zh") { return .zh }
            if tag.hasPrefix("en") { return .en }
        }
        return .en
    }
}

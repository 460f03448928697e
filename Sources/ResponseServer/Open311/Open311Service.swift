import Foundation
import ResponseCore
import Synchronization

/// A service as `GET services` lists it: one published category of the city's taxonomy, with
/// what the city's settings add (type, keywords, attributes).
public struct Open311Service: Sendable, Equatable {
    public var code: String
    public var name: String
    public var description: String
    public var group: String
    public var keywords: [String]
    public var type: Open311Settings.ServiceType
    public var kind: TicketKind
    public var attributes: [Open311Attribute]

    /// Whether the client must fetch the service definition.
    public var metadata: Bool { !attributes.isEmpty }

    /// The services of a city: every active category without active children (normally the
    /// third level), unless its settings unpublish it, ordered by code.
    public static func catalogue(categories: [Category], settings: [String: Open311Settings.Service]) -> [Open311Service] {
        let active = categories.filter(\.active)
        let byCode = Dictionary(active.map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        let parents = Set(active.compactMap(\.parentCode))
        return active.filter { !parents.contains($0.code) }.sorted { $0.code < $1.code }.compactMap { category in
            let own = settings[category.code] ?? Open311Settings.Service()
            if own.published == false { return nil }
            var path: [Category] = [category]
            while let parent = path.last?.parentCode, let p = byCode[parent], path.count < 10 { path.append(p) }
            let names = path.reversed().map(\.name)
            return Open311Service(
                code: category.code,
                name: category.name,
                description: own.description ?? names.joined(separator: " / "),
                group: own.group ?? names.first ?? category.name,
                keywords: own.keywords ?? names.dropLast(),
                type: own.type ?? .realtime,
                kind: own.kind ?? .help,
                attributes: (own.attributes ?? []).sorted { ($0.order, $0.code) < ($1.order, $1.code) }
            )
        }
    }

    /// The entry of `GET services`.
    var listEntry: Open311Value {
        .object([
            ("service_code", .string(code)),
            ("service_name", .string(name)),
            ("description", .string(description)),
            ("metadata", .bool(metadata)),
            ("type", .string(type.rawValue)),
            ("keywords", .string(keywords.joined(separator: ", "))),
            ("group", .string(group)),
        ])
    }

    /// The body of `GET services/{code}`.
    var definition: Open311Document {
        Open311Document(root: "service_definition", object: [
            ("service_code", .string(code)),
            ("attributes", .list(item: "attribute", attributes.map(\.wire))),
        ])
    }
}

/// A city's published services, kept for a few seconds so an admin's change to the taxonomy
/// shows within `lifetime` without a database read per request.
typealias ServiceCache = CityCache<[Open311Service]>

import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ResponseCore
import ResponseDispatch
import ResponseStore

/// What the console's screens need beyond tickets: suggestions while a call-taker types, place
/// search, boundaries for the maps, and the load and volume figures of the supervisor's charts.
/// Every decision comes from the dispatcher engine and the store; nothing is decided here.
struct DeskController: ServerFace {
    let server: ServerServices
    let reference = CityCache<([String: OrgUnit], [String: ResponseCore.Category])>(lifetime: 5)

    /// The draft a call-taker is typing.
    struct Draft: Decodable, Sendable {
        var kind: TicketKind?
        var title: String?
        var description: String?
        var categoryCode: String?
        var location: Location?
    }

    struct Named: Encodable, Sendable {
        var code: String
        var name: String?
        var confidence: Double?
    }

    struct OpenTicket: Encodable, Sendable {
        var number: String
        var title: String
        var status: TicketStatus
        var createdAt: Date
        var similarity: Double?
        var distanceMetres: Double?
    }

    struct ArticleHit: Encodable, Sendable {
        var id: String
        var title: String
        var body: String
        var score: Double
    }

    /// The body of `POST /api/v1/suggest`.
    struct Suggestion: Encodable, Sendable {
        var categories: [Named]
        var unit: Named?
        var coUnits: [Named]
        var automatic: Bool
        var confidence: Double
        var district: Named?
        var street: Named?
        var similar: [OpenTicket]
        var articles: [ArticleHit]
    }

    /// Below this BM25 score an article is a coincidence of common characters, not an answer.
    static let minimumArticleScore = 2.0

    func register(on api: RouteRegistry) {
        api.add(.post, "/api/v1/suggest", summary: "Live suggestions for a draft ticket: top-3 categories, the unit it would go to, similar open tickets nearby, knowledge-base answers",
                tag: "desk", access: .permission(.createTicket), request: "Draft", response: "Suggestion", handler: suggest)
        api.add(.get, "/api/v1/places", summary: "Find districts and streets by name (address search); without login, the server's city", tag: "desk", access: .public,
                response: "PlaceList", query: [.init(name: "q", description: "part of a district's or street's name or code", schemaType: "string")], handler: places)
        api.add(.get, "/api/v1/geo/{id}", summary: "A boundary layer as GeoJSON (`district`, `street`, … as configured), for maps without a tile server",
                tag: "desk", access: .public, response: "GeoJSON") { _, context in
            try self.layer(try context.parameters.require("id"))
        }
        api.add(.get, "/api/v1/stats/load", summary: "Open and overdue tickets per district", tag: "desk", access: .permission(.readAssessment), response: "AreaLoadList") { _, context in
            let identity = try context.require(.readAssessment)
            return JSONResponse(value: try await self.load(tenantID: identity.tenantID))
        }
        api.add(.get, "/api/v1/stats/volume", summary: "Tickets filed per day by first-level category", tag: "desk", access: .permission(.readAssessment),
                response: "Volume", query: [.init(name: "days", description: "1–366, default 30", schemaType: "integer")]) { request, context in
            let identity = try context.require(.readAssessment)
            return JSONResponse(value: try await self.volume(tenantID: identity.tenantID, request: request))
        }
    }

    @Sendable func suggest(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<Suggestion> {
        let identity = try context.require(.createTicket)
        let draft = try await request.decodeJSON(as: Draft.self, context: context)
        let title = String((draft.title ?? "").prefix(NewTicket.maxTitle)), description = String((draft.description ?? "").prefix(4_000))
        let now = clock.now()
        // Names for the suggestions, read at most every few seconds: a call-taker's every
        // keystroke pause asks, and a city has hundreds of categories.
        let (units, categories) = try await reference.value(identity.tenantID, now: now) {
            (Dictionary(try await store.units(tenantID: identity.tenantID).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }),
             Dictionary(try await store.categories(tenantID: identity.tenantID).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a }))
        }
        var location = draft.location
        // Unknown codes are ignored rather than refused: this is a draft being typed.
        if let d = location?.districtCode, units[d] == nil { location?.districtCode = nil }
        if let s = location?.streetCode, units[s] == nil { location?.streetCode = nil }
        let new = NewTicket(kind: draft.kind ?? .complaint, channel: .phone, title: title, description: description,
                            categoryCode: draft.categoryCode.flatMap { categories[$0] == nil ? nil : $0 }, location: location)
        let decision = try await dispatch.decide(new, tenantID: identity.tenantID, now: now)
        func named(_ code: String?, confidence: Double? = nil) -> Named? {
            guard let code else { return nil }
            return Named(code: code, name: units[code]?.name ?? categories[code]?.name, confidence: confidence.map { ($0 * 1000).rounded() / 1000 })
        }
        let district = decision.triage.districtCode ?? new.location?.districtCode
        let street = decision.triage.streetCode ?? new.location?.streetCode
        let category = new.categoryCode ?? decision.triage.categoryCode ?? decision.categorySuggestions.first?.label

        // Similar open tickets: the engine's duplicate candidate first, then open tickets of the
        // same category in the same street (or district), newest first. Their titles are other
        // complainants' words: they pass the redactor.
        var similar: [OpenTicket] = []
        if let dup = decision.duplicate, let t = try await store.ticket(number: dup.number, tenantID: identity.tenantID), !t.status.isFinal {
            similar.append(OpenTicket(number: t.number, title: configuration.disclosure.redactor(for: t)(t.title), status: t.status, createdAt: t.createdAt,
                                      similarity: (dup.similarity * 1000).rounded() / 1000, distanceMetres: dup.distance.map { $0.rounded() }))
        }
        if let category, street != nil || district != nil {
            var query = TicketQuery()
            query.statuses = TicketStatus.open
            query.categoryPrefix = category
            query.district = street == nil ? district : nil
            query.limit = 20
            let page = try await store.listTickets(query, tenantID: identity.tenantID)
            for t in page.tickets where similar.count < 5 && !similar.contains(where: { $0.number == t.number }) {
                if let street, t.location.streetCode != street { continue }
                similar.append(OpenTicket(number: t.number, title: configuration.disclosure.redactor(for: t)(t.title), status: t.status, createdAt: t.createdAt, similarity: nil, distanceMetres: nil))
            }
        }
        let text = title + " " + description
        var articles = text.trimmingCharacters(in: .whitespaces).isEmpty ? [] :
            try await knowledge.search(text, tenantID: identity.tenantID, category: category, now: now, limit: 3)
        // A long call text shares a few characters with every article: offer only articles that
        // match about as well as the best one, and well enough on their own.
        if let best = articles.first?.score { articles = articles.filter { $0.score >= max(Self.minimumArticleScore, best * 0.4) } }
        return JSONResponse(value: Suggestion(
            categories: decision.categorySuggestions.prefix(3).compactMap { named($0.label, confidence: $0.confidence) },
            unit: named(decision.leadUnit, confidence: decision.confidence), coUnits: decision.coUnits.compactMap { named($0) },
            automatic: decision.automatic, confidence: (decision.confidence * 1000).rounded() / 1000,
            district: named(district), street: named(street), similar: similar,
            articles: articles.map { ArticleHit(id: $0.article.id, title: $0.article.title, body: $0.article.body, score: ($0.score * 1000).rounded() / 1000) }
        ))
    }

    struct Place: Encodable, Sendable {
        var code: String
        var name: String
        var kind: OrgUnit.Kind
        var districtCode: String?
        var districtName: String?
        /// A point inside the area when a boundary layer has it (for the map).
        var latitude: Double?
        var longitude: Double?
    }

    @Sendable func places(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<[Place]> {
        let tenantID = context.identity?.tenantID ?? configuration.tenant.id
        let q = (request.uri.queryParameters["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard q.count <= 100 else { throw Problem.badRequest("invalid query parameters", errors: [FieldError(field: "q", message: "at most 100 characters")]) }
        let units = try await store.units(tenantID: tenantID).filter { $0.active && ($0.kind == .district || $0.kind == .street) }
        let byCode = Dictionary(units.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let regions = Self.regions(configuration.geoLayers)
        let matches = units.filter { q.isEmpty || $0.name.lowercased().contains(q) || $0.code.lowercased() == q || (byCode[$0.parentCode ?? ""]?.name.lowercased().contains(q) ?? false) }
        let sorted = matches.sorted { a, b in
            // Name matches before parent matches, districts before their streets, then by code.
            let am = a.name.lowercased().contains(q), bm = b.name.lowercased().contains(q)
            if am != bm { return am }
            return a.code < b.code
        }
        return JSONResponse(value: sorted.prefix(q.isEmpty ? 1_000 : 30).map { unit in
            let district = unit.kind == .district ? unit : unit.parentCode.flatMap { byCode[$0] }
            let point = regions[unit.code.lowercased()] ?? regions[unit.name.lowercased()]
            return Place(code: unit.code, name: unit.name, kind: unit.kind, districtCode: district?.code, districtName: district?.name,
                         latitude: point?.latitude, longitude: point?.longitude)
        })
    }

    /// A representative point of every region of every layer, by lower-cased key and name.
    static func regions(_ layers: [GeoLayer]) -> [String: GeoPoint] {
        var out: [String: GeoPoint] = [:]
        for layer in layers {
            for region in layer.regions {
                let p = region.representativePoint
                out[region.key.lowercased()] = p
                if let name = region.name { out[name.lowercased()] = p }
            }
        }
        return out
    }

    func layer(_ level: String) throws -> Response {
        guard let layer = configuration.geoLayers.first(where: { $0.level == level }) else {
            throw Problem.notFound("no boundary layer \(level); layers: \(configuration.geoLayers.map(\.level).joined(separator: ", "))")
        }
        var headers = HTTPFields()
        headers[.contentType] = "application/geo+json; charset=utf-8"
        headers[.cacheControl] = "public, max-age=3600"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: GeoJSONWriter.featureCollection(layer))))
    }

    struct Load: Encodable, Sendable {
        var districtCode: String?
        var name: String?
        var open: Int
        var overdue: Int
    }

    func load(tenantID: String) async throws -> [Load] {
        let names = Dictionary(try await store.units(tenantID: tenantID).map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        return try await store.openLoad(tenantID: tenantID, now: clock.now()).map {
            Load(districtCode: $0.districtCode, name: $0.districtCode.flatMap { names[$0] }, open: $0.open, overdue: $0.overdue)
        }
    }

    /// The body of `GET /api/v1/stats/volume`: one series per first-level category.
    struct Volume: Encodable, Sendable {
        struct Series: Encodable, Sendable {
            var code: String?
            var name: String
            var total: Int
            var counts: [Int]
        }
        var days: [String]
        var series: [Series]
    }

    func volume(tenantID: String, request: Request) async throws -> Volume {
        var days = 30
        if let raw = request.uri.queryParameters["days"] {
            guard let n = Int(raw), (1...366).contains(n) else {
                throw Problem.badRequest("invalid query parameters", errors: [FieldError(field: "days", message: "an integer from 1 to 366")])
            }
            days = n
        }
        let tenant = try await cities.city(tenantID).tenant
        return try await Self.volume(store: store, tenant: tenant, days: days, now: clock.now())
    }

    /// Daily volumes of the last `days` local days (today included), rolled up to first-level
    /// categories; shared with the public dashboard.
    static func volume(store: any TicketStore, tenant: Tenant, days: Int, now: Date) async throws -> Volume {
        let zone = TimeZone(identifier: tenant.timeZone) ?? .gmt
        let offset = zone.secondsFromGMT(for: now)
        let today = Int(floor((now.timeIntervalSince1970 + Double(offset)) / 86_400))
        let first = today - days + 1
        let from = Date(timeIntervalSince1970: Double(first) * 86_400 - Double(offset))
        let rows = try await store.dailyVolume(tenantID: tenant.id, from: from, to: now.addingTimeInterval(1), utcOffset: offset)
        let categories = try await store.categories(tenantID: tenant.id)
        let parent = Dictionary(categories.map { ($0.code, $0.parentCode) }, uniquingKeysWith: { a, _ in a })
        let names = Dictionary(categories.map { ($0.code, $0.name) }, uniquingKeysWith: { a, _ in a })
        func top(_ code: String) -> String { CategoryTaxonomy.ancestors(of: code) { parent[$0] ?? nil }.last ?? code }
        var series: [String: [Int]] = [:]
        for row in rows where row.day >= first && row.day <= today {
            let key = row.categoryCode.map(top) ?? ""
            series[key, default: Array(repeating: 0, count: days)][row.day - first] += row.count
        }
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd"
        formatter.timeZone = .gmt
        let labels = (0..<days).map { formatter.string(from: Date(timeIntervalSince1970: Double(first + $0) * 86_400)) }
        let list = series.map { key, counts in
            Volume.Series(code: key.isEmpty ? nil : key, name: key.isEmpty ? "—" : names[key] ?? key, total: counts.reduce(0, +), counts: counts)
        }.sorted { $0.total != $1.total ? $0.total > $1.total : ($0.code ?? "") < ($1.code ?? "") }
        return Volume(days: labels, series: list)
    }
}

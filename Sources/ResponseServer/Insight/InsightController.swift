import Foundation
import HTTPTypes
import Hummingbird
import ResponseCore
import ResponseInsight
import ResponseStore

/// `/api/v1/insight/…`: frequent problems, what people say inside a category, hotspots, repeat
/// callers and places, and the early-warning alerts. For dispatchers, supervisors, admins and
/// integrations; every query reads the demand aggregates or a bounded sample.
struct InsightController: ServerFace {
    let server: ServerServices
    /// Builds of stored views and briefs that requests are waiting for.
    let viewBuilds = SingleFlight<InsightService.HotspotReport>()
    let briefBuilds = SingleFlight<Brief>()

    static let period: [APIRoute.QueryParameter] = [
        .init(name: "from", description: "first city day, yyyy-MM-dd (default: 7 days before to)", schemaType: "string"),
        .init(name: "to", description: "day after the last, yyyy-MM-dd (default: tomorrow, so today is included); at most 366 days after from", schemaType: "string"),
        .init(name: "days", description: "without from: this many days before to, 1–366 (default 7)", schemaType: "integer"),
    ]

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/insight/frequent", summary: "The most frequent problems of a period, with change against the period before and a year before",
                tag: "insight", access: .permission(.readInsight), response: "FrequentProblems", query: Self.period + [
                    .init(name: "level", description: "taxonomy level of the categories, 1–3 (default 1)", schemaType: "integer"),
                    .init(name: "district", description: "only this district", schemaType: "string"),
                    .init(name: "street", description: "only this street", schemaType: "string"),
                    .init(name: "by", description: "category (default) or district: rank category × district pairs", schemaType: "string"),
                    .init(name: "limit", description: "1–100 (default 10)", schemaType: "integer"),
                ], handler: frequent)
        api.add(.get, "/api/v1/insight/clusters", summary: "Groups of near-identical texts inside a category: what exactly people complain about",
                tag: "insight", access: .permission(.readInsight), response: "TextClusters", query: Self.period + [
                    .init(name: "category", description: "category code (required); its sub-categories are included", schemaType: "string"),
                    .init(name: "district", description: "only this district", schemaType: "string"),
                ], handler: clusters)
        api.add(.get, "/api/v1/insight/hotspots", summary: "Spatial clusters of tickets of one category (grid + DBSCAN), with centre, radius, growth and unit",
                tag: "insight", access: .permission(.readInsight), response: "Hotspots", query: Self.period + [
                    .init(name: "category", description: "only this category (and those below it)", schemaType: "string"),
                    .init(name: "level", description: "taxonomy level at which tickets count as the same category (default 2)", schemaType: "integer"),
                    .init(name: "radius", description: "DBSCAN radius in metres, 200–2000 (default 300)", schemaType: "integer"),
                    .init(name: "min", description: "DBSCAN minimum tickets, 2–1000 (default 5)", schemaType: "integer"),
                    .init(name: "density", description: "the minimum rises to this many times the category's even spread, 0–100 (default 3; 0: off)", schemaType: "integer"),
                    .init(name: "limit", description: "1–100 (default 20)", schemaType: "integer"),
                    .init(name: "tickets", description: "attach ticket numbers to the first N hotspots, 0–20 (default 5)", schemaType: "integer"),
                    .init(name: "rebuild", description: "true: compute a usual view (every category, the last 30 or 90 days, default finder) now instead of serving it as stored", schemaType: "boolean"),
                ], handler: hotspots)
        api.add(.get, "/api/v1/insight/repeats", summary: "Callers (masked phone) or places with the most tickets in a period: the last 30 days unless asked otherwise",
                tag: "insight", access: .permission(.readInsight), response: "Repeats", query: [
                    .init(name: "kind", description: "caller (default) or address", schemaType: "string"),
                ] + QueryReader.windowParameters(defaultDays: 30) + [
                    .init(name: "min", description: "at least this many tickets (default 3)", schemaType: "integer"),
                    .init(name: "limit", description: "1–1000 (default 50)", schemaType: "integer"),
                ], handler: repeats)
        api.add(.get, "/api/v1/insight/alerts", summary: "Volume spikes raised by the early-warning detector, newest first",
                tag: "insight", access: .permission(.readInsight), response: "Alerts", query: Self.period + [
                    .init(name: "status", description: "open or acknowledged (default: both)", schemaType: "string"),
                ], handler: alerts)
        api.add(.get, "/api/v1/insight/brief", summary: "The daily or monthly brief: volume, top 10 problems, new hotspots, spike alerts, units most overdue, topics (JSON, or HTML with format=html)",
                tag: "insight", access: .permission(.readInsight), response: "Brief", query: [
                    .init(name: "day", description: "city day, yyyy-MM-dd (default: today)", schemaType: "string"),
                    .init(name: "month", description: "a month, yyyy-MM, instead of a day", schemaType: "string"),
                    .init(name: "format", description: "json (default) or html", schemaType: "string"),
                    .init(name: "rebuild", description: "true: build it now instead of serving the stored brief (seconds at millions of tickets)", schemaType: "boolean"),
                ], handler: brief)
        api.add(.post, "/api/v1/insight/alerts/{id}/acknowledge", summary: "Mark an alert as taken in hand", tag: "insight",
                access: .permission(.acknowledgeAlerts), response: "Alert", handler: acknowledge)
    }


    @Sendable func frequent(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<InsightService.FrequentReport> {
        let identity = try context.require(.readInsight)
        let city = try await cities.city(identity.tenantID), tenant = city.tenant
        var q = QueryReader(params: request.uri.queryParameters)
        let range = q.range(today: city.days.key(clock.now()))
        let level = q.int("level", default: 1, in: 1...3), limit = q.int("limit", default: 10, in: 1...100)
        let by = q.text("by") ?? "category"
        if !["category", "district"].contains(by) { q.errors.append(FieldError(field: "by", message: "category or district")) }
        try q.check()
        let service = InsightService(store: store)
        let report = try await service.frequent(
            tenantID: tenant.id, range: range, level: level, district: q.text("district"), street: q.text("street"), byDistrict: by == "district",
            limit: limit, reference: try await service.reference(tenantID: tenant.id)
        )
        return JSONResponse(value: report)
    }

    @Sendable func clusters(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<InsightService.ClusterReport> {
        let identity = try context.require(.readInsight)
        let city = try await cities.city(identity.tenantID), tenant = city.tenant
        let days = city.days
        var q = QueryReader(params: request.uri.queryParameters)
        let range = q.range(today: days.key(clock.now()))
        if q.text("category") == nil { q.errors.append(FieldError(field: "category", message: "required: a category code")) }
        try q.check()
        let service = InsightService(store: store)
        let reference = try await service.reference(tenantID: tenant.id)
        guard let category = q.text("category"), reference.categories[category] != nil else { throw Problem.notFound("no category \(q.text("category") ?? "")") }
        return JSONResponse(value: try await service.clusters(tenantID: tenant.id, range: range, category: category, district: q.text("district"), days: days, reference: reference))
    }

    @Sendable func hotspots(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<InsightService.HotspotReport> {
        let identity = try context.require(.readInsight)
        let city = try await cities.city(identity.tenantID), tenant = city.tenant
        let days = city.days
        var q = QueryReader(params: request.uri.queryParameters)
        let now = clock.now()
        let range = q.range(today: days.key(now))
        let level = q.int("level", default: 2, in: 1...3), limit = q.int("limit", default: 20, in: 1...InsightService.hotspotLimit)
        let finder = HotspotFinder(radius: Double(q.int("radius", default: 300, in: 200...2000)), minimumTickets: q.int("min", default: 5, in: 2...1000),
                                   densityFactor: Double(q.int("density", default: 3, in: 0...100)))
        let withTickets = q.int("tickets", default: 5, in: 0...InsightService.hotspotTickets)
        let rebuild = q.flag("rebuild")
        try q.check()
        let service = InsightService(store: store)
        // Every category over a month or more is seconds of work at millions of tickets: those
        // views are kept and served as stored (docs/insight.md). A view has no category to
        // check, and a stored one needs no names.
        if let view = HotspotView(range: range, category: q.text("category"), level: level, finder: finder, today: days.key(now)) {
            let maxAge = configuration.insight.storedMaxAge
            let whole = try await viewBuilds.run("\(tenant.id) \(view.name) \(rebuild)") {
                try await service.servedHotspots(
                    tenant: tenant, view: view, limit: InsightService.hotspotLimit, withTickets: InsightService.hotspotTickets, days: days, now: now, maxAge: maxAge, rebuild: rebuild
                )
            }
            return JSONResponse(value: whole.trimmed(limit: limit, withTickets: withTickets))
        }
        let reference = try await service.reference(tenantID: tenant.id)
        if let c = q.text("category"), reference.categories[c] == nil { throw Problem.notFound("no category \(c)") }
        var report = try await service.hotspots(
            tenantID: tenant.id, range: range, category: q.text("category"), level: level, finder: finder, limit: limit, withTickets: withTickets,
            days: days, reference: reference
        )
        report.generatedAt = now
        return JSONResponse(value: report)
    }

    /// One line of a repeat list.
    struct RepeatView: Codable, Sendable {
        var label: String
        var tickets: Int
        var lastNumber: String
    }

    struct RepeatList: Codable, Sendable {
        var kind: RepeatKind
        /// The days counted, `[from, to)`.
        var from: String
        var to: String
        /// The calendar month, when one was asked for.
        var month: String?
        var items: [RepeatView]
    }

    @Sendable func repeats(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<RepeatList> {
        let identity = try context.require(.readInsight)
        let city = try await cities.city(identity.tenantID), tenant = city.tenant
        var q = QueryReader(params: request.uri.queryParameters)
        let kind = RepeatKind(rawValue: q.text("kind") ?? "caller")
        if kind == nil { q.errors.append(FieldError(field: "kind", message: "caller or address")) }
        let (range, month) = q.window(today: city.days.key(clock.now()), defaultDays: 30)
        let minimum = q.int("min", default: 3, in: 2...1_000_000), limit = q.int("limit", default: 50, in: 1...1000)
        try q.check()
        let entries = try await store.repeats(tenantID: tenant.id, kind: kind ?? .caller, range: range, minimum: minimum, limit: limit)
        // The key (a hash of the phone, or the normalised address) stays inside: labels are masked.
        let items = entries.map { RepeatView(label: $0.label, tickets: $0.tickets, lastNumber: $0.lastNumber) }
        return JSONResponse(value: RepeatList(kind: kind ?? .caller, from: range.from, to: range.to, month: month, items: items))
    }

    struct AlertList: Codable, Sendable {
        var range: DayRange
        var items: [SpikeAlert]
    }

    @Sendable func alerts(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<AlertList> {
        let identity = try context.require(.readInsight)
        let city = try await cities.city(identity.tenantID), tenant = city.tenant
        let days = city.days
        var q = QueryReader(params: request.uri.queryParameters)
        let range = q.range(today: days.key(clock.now()))
        let status = q.text("status").map { SpikeAlert.Status(rawValue: $0) }
        if status == .some(nil) { q.errors.append(FieldError(field: "status", message: "open or acknowledged")) }
        try q.check()
        let from = days.start(of: range.from) ?? .distantPast, to = days.start(of: range.to) ?? .distantFuture
        let items = try await store.alerts(tenantID: tenant.id, from: from, to: to, status: status ?? nil, limit: 500)
        return JSONResponse(value: AlertList(range: range, items: try await named(items, tenantID: tenant.id)))
    }

    @Sendable func acknowledge(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<SpikeAlert> {
        let identity = try context.require(.acknowledgeAlerts)
        let id = context.parameters.get("id") ?? ""
        guard let alert = try await store.acknowledgeAlert(id: id, tenantID: identity.tenantID, by: identity.name, at: clock.now()) else {
            throw Problem.notFound("no alert \(id)")
        }
        return JSONResponse(value: try await named([alert], tenantID: identity.tenantID)[0])
    }

    @Sendable func brief(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.readInsight)
        let city = try await cities.city(identity.tenantID), tenant = city.tenant
        let days = city.days
        var q = QueryReader(params: request.uri.queryParameters)
        let period: String
        if let month = q.text("month") {
            period = month
            if DayRange.month(month) == nil { q.errors.append(FieldError(field: "month", message: "a month, yyyy-MM")) }
            if q.text("day") != nil { q.errors.append(FieldError(field: "day", message: "give a day or a month, not both")) }
        } else {
            period = q.text("day") ?? days.key(clock.now())
            if DayRange.number(period) == nil { q.errors.append(FieldError(field: "day", message: "a day, yyyy-MM-dd")) }
        }
        let format = q.text("format") ?? "json"
        if !["json", "html"].contains(format) { q.errors.append(FieldError(field: "format", message: "json or html")) }
        let rebuild = q.flag("rebuild")
        try q.check()
        let (service, now, maxAge) = (InsightService(store: store), clock.now(), configuration.insight.storedMaxAge)
        let brief = try await briefBuilds.run("\(tenant.id) \(period) \(rebuild)") {
            try await service.servedBrief(tenant: tenant, period: period, days: days, now: now, maxAge: maxAge, rebuild: rebuild)
        }
        var headers = HTTPFields()
        if format == "html" {
            headers[.contentType] = "text/html; charset=utf-8"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: BriefPage.html(brief))))
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(brief))))
    }

    /// Alerts with their category and district names.
    func named(_ alerts: [SpikeAlert], tenantID: String) async throws -> [SpikeAlert] {
        guard !alerts.isEmpty else { return [] }
        return alerts.map(try await InsightService(store: store).reference(tenantID: tenantID).named)
    }
}

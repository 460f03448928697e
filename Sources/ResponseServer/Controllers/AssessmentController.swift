import Foundation
import HTTPTypes
import Hummingbird
import ResponseCore
import ResponseInsight
import ResponseStore

/// `/api/v1/assessment`: every unit's three rates, composite, rank and class for a period, as
/// JSON or CSV; its replay from the event log; and `/api/v1/sweep`, one deadline-sweeper pass.
struct AssessmentController: ServerFace {
    let server: ServerServices

    static let query: [APIRoute.QueryParameter] = [
        .init(name: "period", description: "a month, yyyy-MM (default: the current month in the city's zone)", schemaType: "string"),
        .init(name: "from", description: "first day yyyy-MM-dd (with to, instead of period)", schemaType: "string"),
        .init(name: "to", description: "day after the last, yyyy-MM-dd", schemaType: "string"),
        .init(name: "level", description: "street, department (with companies), district; all when absent", schemaType: "string"),
        .init(name: "format", description: "json (default) or csv; Accept: text/csv works too", schemaType: "string"),
    ]

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/assessment", summary: "Rates, composite score, rank and class of every unit for a period", tag: "accountability",
                access: .permission(.readAssessment), response: "Assessment", query: Self.query, handler: assessment)
        api.add(.get, "/api/v1/assessment/replay", summary: "The same assessment recomputed from the event log alone, and whether it matches",
                tag: "accountability", access: .permission(.extend), response: "AssessmentReplay", query: Self.query, handler: replay)
        api.add(.post, "/api/v1/sweep", summary: "Run one pass of the deadline sweeper over the caller's city now", tag: "accountability", access: .permission(.extend),
                response: "SweepResult", handler: sweep)
    }

    /// The period and level a request asks for.
    static func parse(_ params: Hummingbird.Parameters, days: DayKeys, now: Date) throws -> (AssessmentPeriod, AssessmentLevel?) {
        func value(_ name: String) -> String? { params[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }
        var errors: [FieldError] = []
        var period: AssessmentPeriod?
        if let from = value("from") ?? value("to").map({ _ in "" }) {
            period = AssessmentPeriod(fromDay: from, toDay: value("to") ?? "")
            if period == nil { errors.append(FieldError(field: "from", message: "from and to must be yyyy-MM-dd days with from before to")) }
        } else if let month = value("period") {
            period = AssessmentPeriod(month: month)
            if period == nil { errors.append(FieldError(field: "period", message: "a month such as 2026-11")) }
        } else {
            period = AssessmentPeriod(month: String(days.key(now).prefix(7)))
        }
        var level: AssessmentLevel?
        if let raw = value("level"), raw != "all" {
            level = AssessmentLevel(rawValue: raw)
            if level == nil { errors.append(FieldError(field: "level", message: "one of street, department, district, all")) }
        }
        if let format = value("format"), !["json", "csv"].contains(format) { errors.append(FieldError(field: "format", message: "json or csv")) }
        guard errors.isEmpty, let period else { throw Problem.badRequest("invalid query parameters", errors: errors) }
        return (period, level)
    }

    @Sendable func assessment(_ request: Request, context: AppRequestContext) async throws -> Response {
        let identity = try context.require(.readAssessment)
        let city = try await cities.city(identity.tenantID), tenant = city.tenant
        let (period, level) = try Self.parse(request.uri.queryParameters, days: city.days, now: clock.now())
        let settings = city.accountability.assessment
        let report = try await AssessmentService(store: store).report(tenantID: tenant.id, period: period, settings: settings).filtered(level: level)
        let wantsCSV = request.uri.queryParameters["format"] == "csv"
            || (request.uri.queryParameters["format"] == nil && (request.headers[.accept] ?? "").contains("text/csv"))
        var headers = HTTPFields()
        if wantsCSV {
            headers[.contentType] = "text/csv; charset=utf-8"
            headers[.contentDisposition] = "attachment; filename=\"assessment-\(period)\(level.map { "-" + $0.rawValue } ?? "").csv\""
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: AssessmentTable.csv(report))))
        }
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(bytes: try JSONEncoder.api.encode(report))))
    }

    @Sendable func replay(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<AssessmentReplay> {
        let identity = try context.require(.extend)
        let city = try await cities.city(identity.tenantID), tenant = city.tenant
        let (period, level) = try Self.parse(request.uri.queryParameters, days: city.days, now: clock.now())
        let settings = city.accountability.assessment
        let service = AssessmentService(store: store)
        let started = ContinuousClock.now
        let replayed = try await service.replay(tenantID: tenant.id, period: period, timeZone: tenant.timeZone, settings: settings)
        let seconds = (ContinuousClock.now - started) / .seconds(1)
        let live = try await service.report(tenantID: tenant.id, period: period, settings: settings)
        let differing = Set(replayed.units.map(\.unit)).union(live.units.map(\.unit)).filter { code in
            replayed.units.first { $0.unit == code } != live.units.first { $0.unit == code }
        }
        return JSONResponse(value: AssessmentReplay(matchesLive: replayed == live, differingUnits: differing.sorted(), seconds: seconds, report: replayed.filtered(level: level)))
    }

    @Sendable func sweep(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<SweepResult> {
        let identity = try context.require(.extend)
        let started = ContinuousClock.now
        let batch = try await DeadlineSweeper(store: store, configuration: configuration, clock: clock, cities: cities).pass(tenantID: identity.tenantID)
        return JSONResponse(value: SweepResult(batch, seconds: (ContinuousClock.now - started) / .seconds(1)))
    }
}

/// The body of `GET /api/v1/assessment/replay`.
struct AssessmentReplay: Encodable, Sendable {
    var matchesLive: Bool
    var differingUnits: [String]
    var seconds: Double
    var report: AssessmentReport
}

/// The body of `POST /api/v1/sweep`.
struct SweepResult: Encodable, Sendable {
    var claimed: Int
    var tickets: Int
    var events: Int
    var steps: [String: Int]
    var seconds: Double

    init(_ b: SweepBatch, seconds: Double) {
        claimed = b.claimed
        tickets = b.tickets
        events = b.events
        steps = b.steps
        self.seconds = seconds
    }
}

import Foundation
import Hummingbird
import ResponseCore
import ResponseInsight
import ResponseStore

/// `/api/v1/topics`: topics of the month — a theme with two or three concrete problems, a lead
/// department, tasks and outcome — and each problem's ticket volume before and after.
struct TopicController: ServerFace {
    let server: ServerServices

    func register(on api: RouteRegistry) {
        api.add(.get, "/api/v1/topics", summary: "Topics of the month, newest first", tag: "insight", access: .permission(.readInsight),
                response: "TopicList", query: [.init(name: "month", description: "only this month, yyyy-MM", schemaType: "string")], handler: list)
        api.add(.post, "/api/v1/topics", summary: "Open a topic of the month", tag: "insight", access: .permission(.manageTopics),
                request: "TopicInput", response: "Topic", status: 201, handler: create)
        api.add(.get, "/api/v1/topics/{id}", summary: "A topic with its problems' monthly volume before and after", tag: "insight",
                access: .permission(.readInsight), response: "TopicDetail", handler: detail)
        api.add(.post, "/api/v1/topics/{id}", summary: "Change a topic (status, tasks, outcome, problems); send the version you read", tag: "insight",
                access: .permission(.manageTopics), request: "TopicInput", response: "Topic", handler: update)
        api.add(.get, "/api/v1/topics/{id}/history", summary: "Every version of a topic, oldest first (append-only)", tag: "insight",
                access: .permission(.readInsight), response: "TopicList", handler: history)
    }

    /// What a client sends to open or change a topic.
    struct Input: Codable, Sendable {
        var month: String
        var title: String
        var leadUnit: String
        var status: Topic.Status?
        var problems: [Topic.Problem]
        var tasks: [Topic.Task]?
        var outcome: String?
        /// The version read; required to change a topic.
        var version: Int?
    }

    struct TopicList: Codable, Sendable { var items: [Topic] }

    struct Detail: Codable, Sendable {
        var topic: Topic
        var volume: TopicVolume
    }

    func validated(_ input: Input, id: String, tenantID: String, actor: String) async throws -> Topic {
        let topic = Topic(
            id: id, tenantID: tenantID, month: input.month, title: input.title.trimmingCharacters(in: .whitespacesAndNewlines), leadUnit: input.leadUnit,
            status: input.status ?? .planned, problems: input.problems, tasks: input.tasks ?? [], outcome: input.outcome, updatedAt: clock.now(), updatedBy: actor
        )
        let categories = Set(try await store.categories(tenantID: tenantID).map(\.code)), units = Set(try await store.units(tenantID: tenantID).map(\.code))
        let errors = topic.problems(categories: categories, units: units)
        if !errors.isEmpty { throw Problem.badRequest("the topic is not valid", errors: errors) }
        return topic
    }

    @Sendable func list(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<TopicList> {
        let identity = try context.require(.readInsight)
        let month = request.uri.queryParameters["month"].map(String.init)
        if let month, DayRange.month(month) == nil {
            throw Problem.badRequest("invalid query parameters", errors: [FieldError(field: "month", message: "a month, yyyy-MM")])
        }
        return JSONResponse(value: TopicList(items: try await store.topics(tenantID: identity.tenantID, month: month)))
    }

    @Sendable func create(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<Topic> {
        let identity = try context.require(.manageTopics)
        let input = try await request.decodeJSON(as: Input.self, context: context)
        let topic = try await validated(input, id: "tp-" + UUID().uuidString.prefix(12).lowercased(), tenantID: identity.tenantID, actor: identity.name)
        return JSONResponse(status: .created, value: try await store.saveTopic(topic, expectedVersion: nil))
    }

    @Sendable func detail(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<Detail> {
        let identity = try context.require(.readInsight)
        let id = context.parameters.get("id") ?? ""
        guard let topic = try await store.topic(id: id, tenantID: identity.tenantID) else { throw Problem.notFound("no topic \(id)") }
        let days = try await cities.city(identity.tenantID).days
        let service = InsightService(store: store)
        let volume = try await service.volume(of: topic, currentMonth: String(days.key(clock.now()).prefix(7)), days: days, reference: try await service.reference(tenantID: identity.tenantID))
        return JSONResponse(value: Detail(topic: topic, volume: volume))
    }

    @Sendable func update(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<Topic> {
        let identity = try context.require(.manageTopics)
        let id = context.parameters.get("id") ?? ""
        let input = try await request.decodeJSON(as: Input.self, context: context)
        guard let version = input.version else { throw Problem.badRequest("the topic is not valid", errors: [FieldError(field: "version", message: "required: the version you read")]) }
        guard try await store.topic(id: id, tenantID: identity.tenantID) != nil else { throw Problem.notFound("no topic \(id)") }
        let topic = try await validated(input, id: id, tenantID: identity.tenantID, actor: identity.name)
        return JSONResponse(value: try await store.saveTopic(topic, expectedVersion: version))
    }

    @Sendable func history(_ request: Request, context: AppRequestContext) async throws -> JSONResponse<TopicList> {
        let identity = try context.require(.readInsight)
        let id = context.parameters.get("id") ?? ""
        let versions = try await store.topicHistory(id: id, tenantID: identity.tenantID)
        if versions.isEmpty { throw Problem.notFound("no topic \(id)") }
        return JSONResponse(value: TopicList(items: versions))
    }
}

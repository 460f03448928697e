import ResponseCore
import ResponseDispatch
import ResponseStore

/// What every face of one server shares, built once by ``buildRouter(configuration:store:clock:dispatch:liveFeed:cities:)``:
/// the store, the clock, the configuration, the directory of cities, the dispatcher, the one
/// intake and the one desk of actions, the knowledge base and the cache of identities. A
/// controller holds it and adds only what is its own (rate limiters, caches of its answers).
struct ServerServices: Sendable {
    let store: any TicketStore
    let clock: any WallClock
    let configuration: ServerConfiguration
    let cities: CityDirectory
    let dispatch: DispatchService
    let intake: TicketIntake
    let desk: TicketDesk
    let knowledge: KnowledgeBase
    let identities: IdentityCache
    let logins: LoginGuard
    let metrics: ServerMetrics
}

/// A face of the server (a controller): reaches the shared services by their names.
protocol ServerFace: Sendable {
    var server: ServerServices { get }
}

extension ServerFace {
    var store: any TicketStore { server.store }
    var clock: any WallClock { server.clock }
    var configuration: ServerConfiguration { server.configuration }
    var cities: CityDirectory { server.cities }
    var dispatch: DispatchService { server.dispatch }
    var intake: TicketIntake { server.intake }
    var desk: TicketDesk { server.desk }
    var knowledge: KnowledgeBase { server.knowledge }
    var cache: IdentityCache { server.identities }
    var logins: LoginGuard { server.logins }
    var metrics: ServerMetrics { server.metrics }
}

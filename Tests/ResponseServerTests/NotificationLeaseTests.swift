import Foundation
import ResponseCore
import ResponseServer
import ResponseStore
import Synchronization
import Testing

/// A webhook that takes 20 s a message, on the test's clock; it notes who delivered what, when.
final class DeliveryLog: Sendable {
    let entries = Mutex<[(instance: String, id: String, at: Date)]>([])
}

final class SlowNotifier: Notifier {
    let clock: ManualClock
    let instance: String
    let log: DeliveryLog

    init(clock: ManualClock, instance: String, log: DeliveryLog) {
        self.clock = clock
        self.instance = instance
        self.log = log
    }

    func deliver(_ message: OutgoingMessage) async throws {
        log.entries.withLock { $0.append((instance, message.record.id, clock.now())) }
        clock.advance(by: 20)
    }
}

@Suite("The notification relay delivers only within its lease (SQLite and PostgreSQL)")
struct NotificationLeaseTests {
    /// A batch claimed for 60 s at 20 s a message: the relay stops while a delivery still fits,
    /// so another instance that claims the rest when the lease ends never meets one in flight,
    /// and every message is delivered exactly once.
    @Test(arguments: Engine.available)
    func aSlowWebhookNeverOutlivesTheLease(engine: Engine) async throws {
        let clock = ManualClock(Date())
        try await ServerHarness.run(engine, clock: clock) { h in
            let agent = try await h.login("agent")
            for _ in 0..<5 { try h.must(try await h.fileTicket(agent)) }
            let log = DeliveryLog()
            let start = clock.now()
            let a = NotificationRelay(store: h.store, notifier: SlowNotifier(clock: clock, instance: "a", log: log), configuration: h.configuration, clock: clock)
            let b = NotificationRelay(store: h.store, notifier: SlowNotifier(clock: clock, instance: "b", log: log), configuration: h.configuration, clock: clock)
            #expect(try await a.drain(tenantID: h.tenant.id).sent == 3)
            #expect(try await b.drain(tenantID: h.tenant.id).sent == 2, "the other instance takes the rest once the lease has ended")
            let deliveries = log.entries.withLock { $0 }
            #expect(Set(deliveries.map(\.id)).count == 5 && deliveries.count == 5, "each message once")
            #expect(deliveries.filter { $0.instance == "a" }.allSatisfy { $0.at.timeIntervalSince(start) <= 60 - 15 },
                    "every delivery of the first instance began with time for it left in the lease")
        }
    }
}

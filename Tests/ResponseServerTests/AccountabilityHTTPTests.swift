import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ResponseCore
import ResponseServer
import ResponseStore
import Synchronization
import Testing

/// Collects what the relay hands it, instead of sending.
final class RecordingNotifier: Notifier {
    let messages = Mutex<[OutgoingMessage]>([])
    let failFirst = Mutex(0)

    init(failFirst: Int = 0) { self.failFirst.withLock { $0 = failFirst } }

    func deliver(_ message: OutgoingMessage) async throws {
        let fail = failFirst.withLock { n -> Bool in
            if n > 0 { n -= 1; return true }
            return false
        }
        if fail { throw CancellationError() }
        messages.withLock { $0.append(message) }
    }
}

@Suite("The accountability loop over HTTP")
struct AccountabilityHTTPTests {
    /// 2026-11-16 09:00 Beijing, a Monday.
    static let monday = Date(timeIntervalSince1970: 1_794_790_800)

    @Test("dispatch, whistle, extension, reply, follow-up link, redo, sweep, assessment, notifications", arguments: Engine.available)
    func loop(engine: Engine) async throws {
        // Starts at the real time and moves on by days; sign-ins sweep only their own city's
        // expired sessions, so the other tests sharing PostgreSQL keep theirs.
        let start = SystemClock().now()
        let clock = ManualClock(start)
        try await ServerHarness.run(engine, clock: clock) { h in
            let hash = try await Secrets.hashPassword(ServerHarness.password, cost: 4)
            try await h.store.createUser(User(username: h.user("water"), tenantID: h.tenant.id, displayName: "w", role: .handler, unitCode: "water", passwordHash: hash, createdAt: Date()))
            var agent = try await h.login("agent"), handler = try await h.login("handler"), supervisor = try await h.login("supervisor")
            let dispatcher = try await h.login("dispatcher"), water = try await h.login("water"), other = try await h.login("handler2")
            /// Sessions last 12 hours of the (manual) clock: sign in again after moving it far.
            func signInAgain() async throws {
                agent = try await h.login("agent")
                handler = try await h.login("handler")
                supervisor = try await h.login("supervisor")
            }

            let filed = try await h.fileTicket(agent)
            let number = try filed.decode(TicketView.self).number
            #expect(try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"]).status == .ok)
            clock.advance(by: 600)
            #expect(try await h.act(number, "accept", handler).status == .ok)
            #expect(try await h.act(number, "contact", handler, ["note": "called back"]).status == .ok)

            // Whistle: the street summons the water company; only the summoned unit answers for itself.
            var reply = try await h.act(number, "summon", handler, ["units": ["water"], "note": "burst main"])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try await h.act(number, "summon", handler, ["units": ["nowhere"]]).status == .unprocessableContent)
            #expect(try await h.act(number, "acknowledge-summons", other).status == .notFound, "another street cannot see it")
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)", token: water).status == .ok, "the summoned unit reads the ticket")
            clock.advance(by: 900)
            reply = try await h.act(number, "acknowledge-summons", water)
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try await h.act(number, "report-summons", water, ["text": "valve closed"]).status == .ok)
            #expect(try await h.act(number, "rate-summons", water, ["unit": "water", "score": 5]).status == .forbidden, "only the lead unit rates")
            #expect(try await h.act(number, "rate-summons", handler, ["unit": "water", "score": 4]).status == .ok)

            // Extension: asked by the unit, approved by a supervisor, not by the unit itself.
            let ticket = try #require(try await h.store.ticket(number: number, tenantID: h.tenant.id))
            let until = try #require(ticket.deadlines.resolution).addingTimeInterval(3 * 86_400)
            reply = try await h.act(number, "request-extension", handler, ["until": until.formatted(.iso8601), "reason": "parts on order"])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try reply.decode(TicketView.self).allowedActions?.contains("decide-extension") == true)
            #expect(try await h.act(number, "decide-extension", handler, ["approve": true]).status == .forbidden)
            let waiting = try await h.send(.get, "/api/v1/tickets?queue=extension", token: supervisor)
            #expect(try waiting.decode(ItemPage<TicketView>.self).items.map(\.number) == [number])
            #expect(try await h.send(.get, "/api/v1/tickets?queue=someday", token: supervisor).status == .badRequest)
            reply = try await h.act(number, "decide-extension", supervisor, ["approve": true, "note": "ok"])
            #expect(reply.status == .ok)
            let moved = try #require(try reply.decode(TicketView.self).deadlines?.resolution.flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(moved.timeIntervalSince(until)) < 1, "the deadline is the one asked for (sent in whole seconds)")

            // The reply puts it in the follow-up queue, with the script.
            clock.advance(by: 3600)
            #expect(try await h.act(number, "reply", handler, ["text": "repaired", "resolved": true]).status == .ok)
            var followUps = try await h.send(.get, "/api/v1/follow-ups", token: agent)
            #expect(followUps.status == .ok)
            let queue = try followUps.decode(FollowUpQueueView.self)
            #expect(queue.items.map(\.number) == [number])
            #expect(queue.script.questions.count == 3)
            #expect(try await h.send(.get, "/api/v1/follow-ups", token: handler).status == .forbidden)
            reply = try await h.send(.post, "/api/v1/tickets/\(number)/follow-up", token: agent, json: ["outcome": "no_answer", "note": "no pick-up"])
            #expect(reply.status == .ok, "\(reply.text)")
            #expect(try await h.send(.post, "/api/v1/tickets/\(number)/follow-up", token: agent, json: ["outcome": "maybe"]).status == .unprocessableContent)

            // The complainant rates through the signed link, without logging in.
            let link = try await h.send(.post, "/api/v1/tickets/\(number)/follow-up-link", token: agent)
            let issued = try link.decode(FollowUpLinkView.self)
            let token = issued.token
            #expect(issued.url.hasSuffix("/follow-up/" + token))
            let publicView = try await h.send(.get, "/api/v1/follow-up/\(token)")
            #expect(publicView.status == .ok)
            #expect(try publicView.decode(FollowUpPageView.self).awaitingRating)
            #expect(!publicView.text.contains("13912345678") && !publicView.text.contains("李四"), "no personal data behind a link")
            let page = try await h.send(.get, "/follow-up/\(token)")
            #expect(page.status == .ok && page.text.contains("<form method=\"post\">"))
            var tampered = Array(token)
            tampered[3] = tampered[3] == "A" ? "B" : "A"
            #expect(try await h.send(.get, "/api/v1/follow-up/\(String(tampered))").status == .notFound)
            var form = HTTPFields()
            form[.contentType] = "application/x-www-form-urlencoded"
            for garbled in ["resolved=%zz&satisfaction=%", "resolved=maybe&satisfaction=dissatisfied", ""] {
                let asked = try await h.send(.post, "/follow-up/\(token)", raw: Array(garbled.utf8), headers: form)
                #expect(asked.status == .badRequest && asked.text.contains("Please answer every question"), "\(garbled): \(asked.text)")
            }
            let rated = try await h.send(.post, "/follow-up/\(token)", raw: Array("contacted=true&resolved=false&satisfaction=dissatisfied&comment=still+leaking".utf8), headers: form)
            #expect(rated.status == .ok, "\(rated.text)")
            var after = try #require(try await h.store.ticket(number: number, tenantID: h.tenant.id))
            #expect(after.status == .reopened && after.reopenCount == 1 && after.leadUnit == "cy-01", "dissatisfied: a redo to the same unit")
            #expect(after.evaluation?.comment == "still leaking")
            #expect(try await h.send(.post, "/api/v1/follow-up/\(token)", json: ["resolved": true, "satisfaction": "satisfied"]).status == .conflict, "one rating per reply")
            followUps = try await h.send(.get, "/api/v1/follow-ups", token: agent)
            #expect(try followUps.decode(FollowUpQueueView.self).items.isEmpty)
            #expect(try await h.send(.get, "/api/v1/tickets?queue=extension", token: supervisor).decode(ItemPage<TicketView>.self).items.isEmpty)

            // The sweeper: nothing due now; past the redo's deadline, one breach notice, then nothing.
            #expect(try await h.send(.post, "/api/v1/sweep", token: handler).status == .forbidden)
            var sweep = try await h.send(.post, "/api/v1/sweep", token: supervisor)
            #expect(sweep.status == .ok, "\(sweep.text)")
            #expect(try sweep.decode(SweepView.self).events == 0, "\(sweep.text)")
            clock.set(try #require(after.deadlines.resolution).addingTimeInterval(60))
            try await signInAgain()
            sweep = try await h.send(.post, "/api/v1/sweep", token: supervisor)
            let shown = try await h.send(.get, "/api/v1/tickets/\(number)", token: supervisor).text
            #expect(try sweep.decode(SweepView.self).steps["overdue_resolution"] == 1, "\(sweep.text) \(shown)")
            #expect(try await h.send(.post, "/api/v1/sweep", token: supervisor).decode(SweepView.self).events == 0, "idempotent")
            after = try #require(try await h.store.ticket(number: number, tenantID: h.tenant.id))
            #expect(after.oversight.followUp?.reason == .expired, "expired: the complainant is asked again")
            let link2 = try await h.send(.post, "/api/v1/tickets/\(number)/follow-up-link", token: agent).decode(FollowUpLinkView.self).token
            clock.advance(by: 8 * 86_400)
            #expect(try await h.send(.get, "/api/v1/follow-up/\(link2)").status == .gone, "links expire after seven days")
            try await signInAgain()

            // Assessment: what happened to cy-01 and the water company, live and replayed.
            let month = DayKeys(identifier: h.tenant.timeZone).key(start).prefix(7)
            let assessment = try await h.send(.get, "/api/v1/assessment?period=\(month)&level=street", token: handler)
            #expect(assessment.status == .ok, "\(assessment.text)")
            let units = try assessment.decode(AssessmentView.self).units
            #expect(units.allSatisfy { $0.level == "street" })
            let street = try #require(units.first { $0.unit == "cy-01" })
            let counts = street.counts
            #expect(counts["assigned"] == 1 && counts["responded_on_time"] == 1 && counts["rated"] == 1 && counts["dissatisfied"] == 1 && counts["redone"] == 1)
            // The breach counts in the month it happened, in the city's calendar.
            let breachMonth = DayKeys(identifier: h.tenant.timeZone).key(try #require(after.deadlines.resolution)).prefix(7)
            #expect(counts["overdue"] == (breachMonth == month ? 1 : 0))
            let later = try await h.send(.get, "/api/v1/assessment?period=\(breachMonth)&level=street", token: handler)
            #expect(try later.decode(AssessmentView.self).units.first { $0.unit == "cy-01" }?.counts["overdue"] == 1)
            #expect(street.responseRate == nil && street.insufficientData == true, "one ticket is below the minimum sample")
            #expect(assessment.text.contains("\"responseRate\":null"), "an undefined rate is written as null, not left out")
            let companies = try await h.send(.get, "/api/v1/assessment?period=\(month)&level=department", token: supervisor)
            let waterRow = try #require(try companies.decode(AssessmentView.self).units.first { $0.unit == "water" })
            #expect(waterRow.whistleScore == 4 && waterRow.arrivalRate == 1, "two-way score from the street")
            let csv = try await h.send(.get, "/api/v1/assessment?period=\(month)&format=csv", token: supervisor)
            #expect(csv.headers[.contentType]?.hasPrefix("text/csv") == true)
            #expect(csv.text.split(separator: "\n").first?.hasPrefix("period,level,rank") == true)
            #expect(csv.text.contains(",cy-01,建外街道,"))
            #expect(try await h.send(.get, "/api/v1/assessment?period=2026-13", token: supervisor).status == .badRequest)
            let replay = try await h.send(.get, "/api/v1/assessment/replay?period=\(month)", token: supervisor)
            #expect(try replay.decode(ReplayView.self).matchesLive, "\(replay.text.prefix(300))")

            // Notifications: recorded with the events, delivered by the relay, rating link included.
            let outbox = try await h.send(.get, "/api/v1/tickets/\(number)/notifications", token: agent)
            let kinds = outbox.array.compactMap { $0["kind"] as? String }
            #expect(kinds == ["received", "dispatched", "extended", "replied", "reopened"], "\(kinds)")
            #expect(outbox.array.allSatisfy { $0["status"] as? String == "pending" && $0["channel"] as? String == "sms" })
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)/notifications", token: handler).status == .forbidden)
            let notifier = RecordingNotifier(failFirst: 1)
            // The clock has run weeks ahead; a patient relay still delivers these.
            var patient = h.configuration
            patient.notifications.maxAgeHours = 24 * 365
            let relay = NotificationRelay(store: h.store, notifier: notifier, configuration: patient, clock: clock)
            var (sent, failed) = try await relay.drain(tenantID: h.tenant.id)
            #expect(sent == 4 && failed == 1, "one delivery failed and waits for its retry")
            clock.advance(by: 120)
            (sent, failed) = try await relay.drain(tenantID: h.tenant.id)
            #expect(sent == 1 && failed == 0)
            let delivered = notifier.messages.withLock { $0 }
            #expect(delivered.allSatisfy { $0.record.recipient == "13912345678" })
            let ratingMessage = try #require(delivered.first { $0.record.kind == .replied })
            let url = try #require(ratingMessage.followUpURL)
            #expect(ratingMessage.body.hasSuffix(url))
            #expect(try await h.send(.get, "/api/v1/follow-up/\(url.components(separatedBy: "/follow-up/")[1])").status == .ok, "the delivered link works")
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)/notifications", token: agent).array.allSatisfy { $0["status"] as? String == "sent" })

            // A message that waited more than a day is dropped as stale, not sent late.
            let late = try await h.fileTicket(agent).decode(TicketView.self).number
            clock.advance(by: 25 * 3600)
            (sent, failed) = try await NotificationRelay(store: h.store, notifier: notifier, configuration: h.configuration, clock: clock).drain(tenantID: h.tenant.id)
            #expect(sent == 0 && failed >= 1)
            let stale = try await h.send(.get, "/api/v1/tickets/\(late)/notifications", token: try await h.login("agent")).array
            #expect(stale.first?["status"] as? String == "failed" && (stale.first?["error"] as? String)?.hasPrefix("stale") == true)
        }
    }

    @Test("the webhook notifier POSTs each message as JSON and treats a non-2xx answer as a failure")
    func webhook() async throws {
        try await WebhookReceiver.run(answer: { path, _ in path == "/broken" ? .internalServerError : .accepted }) { hook, address in
            let record = NotificationRecord(
                id: "t1-2", tenantID: "c", ticketID: "t1", number: "20261116-000001", eventSequence: 2, kind: .replied, channel: .sms,
                recipient: "13912345678", text: "已办结", asksForRating: true, status: .pending, createdAt: Self.monday, nextAttemptAt: Self.monday
            )
            let message = OutgoingMessage(record: record, followUpURL: "http://example.test/follow-up/abc")
            let signer = WebhookSigner(secret: "a shared secret of the city")
            try await WebhookNotifier(url: try #require(URL(string: address + "/hook")), signer: signer).deliver(message)
            let first = try #require(hook.received.first)
            // Signed: the receiver recomputes HMAC-SHA-256 over "t." + body with the shared secret.
            let signature = try #require(hook.signatures.first ?? nil)
            let t = try #require(signature.split(separator: ",").first?.dropFirst(2)).description
            let at = Date(timeIntervalSince1970: try #require(TimeInterval(t)))
            #expect(signature == signer.signature(body: first, at: at) && signature.contains(",v1="))
            #expect(signature != WebhookSigner(secret: "another secret entirely").signature(body: first, at: at))
            let got = try #require(try JSONSerialization.jsonObject(with: first) as? [String: Any])
            #expect(got["ticket"] as? String == "20261116-000001")
            #expect(got["recipient"] as? String == "13912345678")
            #expect(got["text"] as? String == "已办结 http://example.test/follow-up/abc")
            #expect(got["kind"] as? String == "replied")
            await #expect(throws: (any Error).self) {
                try await WebhookNotifier(url: try #require(URL(string: address + "/broken")), signer: signer).deliver(message)
            }
            // Plain http goes only to this machine: refused before any connection is made.
            await #expect(throws: (any Error).self) {
                try await WebhookNotifier(url: try #require(URL(string: "http://example.invalid/hook")), signer: signer).deliver(message)
            }
            #expect(hook.received.count == 2)
            #expect(WebhookSigner.problem(with: try #require(URL(string: "https://sms.city.example/hook"))) == nil)
            #expect(WebhookSigner.problem(with: try #require(URL(string: "http://[::1]:9000/hook"))) == nil)
            #expect(WebhookSigner.problem(with: try #require(URL(string: "ftp://x/y"))) != nil)
        }
    }
}

/// The answers of the accountability loop, typed.
struct FollowUpQueueView: Decodable {
    struct Script: Decodable { var questions: [String] }
    var items: [TicketView]
    var script: Script
}

struct FollowUpLinkView: Decodable {
    var token: String
    var url: String
}

struct FollowUpPageView: Decodable {
    var awaitingRating: Bool
}

struct SweepView: Decodable {
    var events: Int
    var steps: [String: Int]
}

struct AssessmentView: Decodable {
    struct Unit: Decodable {
        var unit: String
        var level: String
        var counts: [String: Int]
        var responseRate: Double?
        var insufficientData: Bool?
        var whistleScore: Double?
        var arrivalRate: Double?
    }
    var units: [Unit]
}

struct ReplayView: Decodable {
    var matchesLive: Bool
}

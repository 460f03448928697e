import Foundation
import HTTPTypes
import ResponseCore
import ResponseDispatch
import ResponseServer
import Testing

/// Intake routing over HTTP: triage and automatic dispatch in the filing request, the queue,
/// suggestions, corrections that teach the model, and returns through arbitration.
@Suite("Dispatch over HTTP")
struct DispatchHTTPTests {
    static let catalogue = "category,jurisdiction,lead,co_units\n01.01.01,@street,@street,water\n"

    @Test("a ticket with a catalogued category and a known street is dispatched in the same request", arguments: Engine.available)
    func automaticDispatch(engine: Engine) async throws {
        try await ServerHarness.run(engine, configure: { $0.defaultCatalogue = try DispatchCatalogue.parse(csv: Self.catalogue) }) { h in
            let agent = try await h.login("agent")
            let reply = try await h.fileTicket(agent)
            #expect(reply.status == .created, "\(reply.text)")
            let ticket = try reply.decode(TicketView.self)
            #expect(ticket.status == "dispatched")
            #expect(ticket.leadUnit == "cy-01")
            #expect(ticket.coUnits == ["water"])
            let timeline = try #require(ticket.timeline)
            #expect(timeline.map(\.type) == ["created", "triaged", "dispatched"])
            let why = try #require(timeline[1].payload)
            #expect(why["basis"]?.contains("catalogue line 2") == true && why["decision"] == "dispatched automatically")
            #expect(timeline[2].actor?.name == "system")

            // The stored ticket says the same: nothing was lost between the two writes.
            let stored = try await h.send(.get, "/api/v1/tickets/\(ticket.number)", token: agent).decode(TicketView.self)
            #expect(stored.status == "dispatched")
            #expect(stored.timeline?.count == 3)
        }
    }

    @Test("without a rule or history the ticket waits in the dispatchers' queue with suggestions; a correction teaches the model", arguments: Engine.available)
    func queueAndLearning(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let filed = try await h.fileTicket(agent, ["categoryCode": NSNull(), "title": "三里屯酒吧噪音", "description": "三里屯的酒吧每天夜里音乐声音太大", "location": ["address": "三里屯路 19 号"]])
            let ticket = try filed.decode(TicketView.self)
            #expect(ticket.status == "received")
            let number = ticket.number
            let triage = try #require(ticket.timeline?.last?.payload)
            #expect(triage["decision"] == "dispatcher queue")
            #expect(triage["location"] == "gazetteer: 三里屯", "located by the street's short name")
            #expect(ticket.location?.streetCode == "cy-02")

            let queue = try await h.send(.get, "/api/v1/tickets?status=received,returned", token: dispatcher).decode(ItemPage<TicketView>.self)
            #expect(queue.items.contains { $0.number == number })

            // The dispatcher corrects the category and routes it; the models learn both.
            let corrected = try await h.act(number, "triage", dispatcher, ["categoryCode": "01.01.01"])
            #expect(corrected.status == .ok, "\(corrected.text)")
            #expect(try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-02"]).status == .ok)
            let suggestions = try await h.send(.get, "/api/v1/tickets/\(number)/suggestions", token: dispatcher)
            #expect(suggestions.status == .ok)
            let suggested = try suggestions.decode(TicketSuggestions.self)
            #expect(suggested.categories.first?.code == "01.01.01", "\(suggestions.text)")
            #expect(suggested.units.first?.code == "cy-02")
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)/suggestions", token: agent).status == .forbidden)
            #expect(try await h.act(number, "triage", dispatcher, ["categoryCode": "99.99"]).status == .unprocessableContent)
        }
    }

    @Test("return → rejected → disputed again → arbitration → ruling; handlers cannot arbitrate", arguments: Engine.available)
    func returnsAndArbitration(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let handler = try await h.login("handler"), supervisor = try await h.login("supervisor")
            let number = try await h.fileTicket(agent).decode(TicketView.self).number
            let dispatched = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"]).decode(TicketView.self)
            let acceptDue = try #require(dispatched.deadlines?.accept)
            #expect(try await h.act(number, "return", handler, ["reason": "not_our_mandate"]).decode(TicketView.self).status == "returned")
            let kept = try await h.act(number, "reject-return", dispatcher, ["note": "the address is in your street"]).decode(TicketView.self)
            #expect(kept.status == "dispatched" && kept.leadUnit == "cy-01")
            #expect(kept.deadlines?.accept == acceptDue, "no fresh sign-off window")
            #expect(try await h.act(number, "return", handler, ["reason": "unclear_ownership"]).decode(TicketView.self).status == "arbitration")
            #expect(try await h.act(number, "arbitrate", handler, ["leadUnit": "cy-02"]).status == .forbidden)
            #expect(try await h.act(number, "arbitrate", dispatcher, ["leadUnit": "cy-02"]).status == .forbidden)
            #expect(try await h.act(number, "arbitrate", supervisor, ["leadUnit": "closed-unit"]).status == .unprocessableContent)
            let ruled = try await h.act(number, "arbitrate", supervisor, ["leadUnit": "cy-01", "note": "street leads"]).decode(TicketView.self)
            #expect(ruled.status == "dispatched")
            #expect(try await h.act(number, "return", handler, ["reason": "not_our_mandate"]).status == .conflict, "no more bouncing")
            let queue = try await h.send(.get, "/api/v1/tickets?status=arbitration", token: supervisor).decode(ItemPage<TicketView>.self)
            #expect(queue.items.isEmpty)
        }
    }

    @Test("the same report filed twice nearby is merged into the first automatically", arguments: Engine.available)
    func duplicatesMerge(engine: Engine) async throws {
        try await ServerHarness.run(engine, configure: { _ in }) { h in
            let agent = try await h.login("agent")
            let first = try await h.fileTicket(agent).decode(TicketView.self).number
            let second = try await h.fileTicket(agent, ["complainant": ["name": "王五", "phone": "13700000000"]]).decode(TicketView.self)
            #expect(second.status == "merged")
            #expect(second.mergedInto == first)
            let parent = try await h.send(.get, "/api/v1/tickets/\(first)", token: agent).decode(TicketView.self)
            #expect(parent.reports == 2, "the cluster: two people reported it")
            #expect(parent.duplicates == [second.number])
            let third = try await h.fileTicket(agent, ["title": "三里屯小区停水", "description": "从早上开始停水，一直没有来水"]).decode(TicketView.self)
            #expect(third.status == "received", "a different problem is not merged")
            let repeatCall = try await h.fileTicket(agent, ["title": "噪音又来了", "description": "工地今晚还在施工"]).decode(TicketView.self)
            #expect(repeatCall.payload(of: "triaged")?["repeatCaller"] == third.number, "same phone, same category: the caller's latest earlier ticket")
        }
    }
}

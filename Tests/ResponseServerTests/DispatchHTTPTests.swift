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
            #expect(reply.json["status"] as? String == "dispatched")
            #expect(reply.json["leadUnit"] as? String == "cy-01")
            #expect(reply.json["coUnits"] as? [String] == ["water"])
            let timeline = try #require(reply.json["timeline"] as? [[String: Any]])
            #expect(timeline.map { $0["type"] as? String } == ["created", "triaged", "dispatched"])
            let why = try #require(timeline[1]["payload"] as? [String: String])
            #expect(why["basis"]?.contains("catalogue line 2") == true && why["decision"] == "dispatched automatically")
            #expect((timeline[2]["actor"] as? [String: Any])?["name"] as? String == "system")

            // The stored ticket says the same: nothing was lost between the two writes.
            let number = try #require(reply.json["number"] as? String)
            let stored = try await h.send(.get, "/api/v1/tickets/\(number)", token: agent)
            #expect(stored.json["status"] as? String == "dispatched")
            #expect((stored.json["timeline"] as? [[String: Any]])?.count == 3)
        }
    }

    @Test("without a rule or history the ticket waits in the dispatchers' queue with suggestions; a correction teaches the model", arguments: Engine.available)
    func queueAndLearning(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let filed = try await h.fileTicket(agent, ["categoryCode": NSNull(), "title": "三里屯酒吧噪音", "description": "三里屯的酒吧每天夜里音乐声音太大", "location": ["address": "三里屯路 19 号"]])
            #expect(filed.json["status"] as? String == "received")
            let number = try #require(filed.json["number"] as? String)
            let triage = try #require((filed.json["timeline"] as? [[String: Any]])?.last?["payload"] as? [String: String])
            #expect(triage["decision"] == "dispatcher queue")
            #expect(triage["location"] == "gazetteer: 三里屯", "located by the street's short name")
            #expect(filed.json["location"].flatMap { ($0 as? [String: Any])?["streetCode"] as? String } == "cy-02")

            let queue = try await h.send(.get, "/api/v1/tickets?status=received,returned", token: dispatcher)
            #expect((queue.json["items"] as? [[String: Any]])?.contains { $0["number"] as? String == number } == true)

            // The dispatcher corrects the category and routes it; the models learn both.
            let corrected = try await h.act(number, "triage", dispatcher, ["categoryCode": "01.01.01"])
            #expect(corrected.status == .ok, "\(corrected.text)")
            #expect(try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-02"]).status == .ok)
            let suggestions = try await h.send(.get, "/api/v1/tickets/\(number)/suggestions", token: dispatcher)
            #expect(suggestions.status == .ok)
            let categories = try #require(suggestions.json["categories"] as? [[String: Any]])
            #expect(categories.first?["code"] as? String == "01.01.01", "\(suggestions.text)")
            #expect((suggestions.json["units"] as? [[String: Any]])?.first?["code"] as? String == "cy-02")
            #expect(try await h.send(.get, "/api/v1/tickets/\(number)/suggestions", token: agent).status == .forbidden)
            #expect(try await h.act(number, "triage", dispatcher, ["categoryCode": "99.99"]).status == .unprocessableContent)
        }
    }

    @Test("return → rejected → disputed again → arbitration → ruling; handlers cannot arbitrate", arguments: Engine.available)
    func returnsAndArbitration(engine: Engine) async throws {
        try await ServerHarness.run(engine) { h in
            let agent = try await h.login("agent"), dispatcher = try await h.login("dispatcher")
            let handler = try await h.login("handler"), supervisor = try await h.login("supervisor")
            let number = try #require(try await h.fileTicket(agent).json["number"] as? String)
            let dispatched = try await h.act(number, "dispatch", dispatcher, ["leadUnit": "cy-01"])
            let acceptDue = (dispatched.json["deadlines"] as? [String: Any])?["accept"] as? String
            #expect(try await h.act(number, "return", handler, ["reason": "not_our_mandate"]).json["status"] as? String == "returned")
            let kept = try await h.act(number, "reject-return", dispatcher, ["note": "the address is in your street"])
            #expect(kept.json["status"] as? String == "dispatched" && kept.json["leadUnit"] as? String == "cy-01")
            #expect((kept.json["deadlines"] as? [String: Any])?["accept"] as? String == acceptDue, "no fresh sign-off window")
            #expect(try await h.act(number, "return", handler, ["reason": "unclear_ownership"]).json["status"] as? String == "arbitration")
            #expect(try await h.act(number, "arbitrate", handler, ["leadUnit": "cy-02"]).status == .forbidden)
            #expect(try await h.act(number, "arbitrate", dispatcher, ["leadUnit": "cy-02"]).status == .forbidden)
            #expect(try await h.act(number, "arbitrate", supervisor, ["leadUnit": "closed-unit"]).status == .unprocessableContent)
            let ruled = try await h.act(number, "arbitrate", supervisor, ["leadUnit": "cy-01", "note": "street leads"])
            #expect(ruled.json["status"] as? String == "dispatched")
            #expect(try await h.act(number, "return", handler, ["reason": "not_our_mandate"]).status == .conflict, "no more bouncing")
            let queue = try await h.send(.get, "/api/v1/tickets?status=arbitration", token: supervisor)
            #expect((queue.json["items"] as? [[String: Any]])?.isEmpty == true)
        }
    }

    @Test("the same report filed twice nearby is merged into the first automatically", arguments: Engine.available)
    func duplicatesMerge(engine: Engine) async throws {
        try await ServerHarness.run(engine, configure: { _ in }) { h in
            let agent = try await h.login("agent")
            let first = try #require(try await h.fileTicket(agent).json["number"] as? String)
            let second = try await h.fileTicket(agent, ["complainant": ["name": "王五", "phone": "13700000000"]])
            #expect(second.json["status"] as? String == "merged", "\(second.text)")
            #expect(second.json["mergedInto"] as? String == first)
            let parent = try await h.send(.get, "/api/v1/tickets/\(first)", token: agent)
            #expect(parent.json["reports"] as? Int == 2, "the cluster: two people reported it")
            #expect(parent.json["duplicates"] as? [String] == [second.json["number"] as? String].compactMap { $0 })
            let third = try await h.fileTicket(agent, ["title": "三里屯小区停水", "description": "从早上开始停水，一直没有来水"])
            #expect(third.json["status"] as? String == "received", "a different problem is not merged")
            let thirdNumber = try #require(third.json["number"] as? String)
            let repeatCall = try await h.fileTicket(agent, ["title": "噪音又来了", "description": "工地今晚还在施工"])
            let notes = (repeatCall.json["timeline"] as? [[String: Any]])?.first { $0["type"] as? String == "triaged" }?["payload"] as? [String: String]
            #expect(notes?["repeatCaller"] == thirdNumber, "same phone, same category: the caller's latest earlier ticket")
        }
    }
}

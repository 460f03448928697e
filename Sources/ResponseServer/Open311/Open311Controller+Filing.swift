import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ResponseCore
import ResponseStore

/// Open311 filing: `POST requests` and the FixMyStreet extension's `POST servicerequestupdates`.
extension Open311Controller {
    @Sendable func postRequest(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        guard let identity = call.identity else { throw Failure.forbidden("api_key was not provided") }
        guard identity.role.allows(.createTicket) else { throw Failure.forbidden("this key may not file requests") }
        let form = call.form
        guard let code = form["service_code"] else { throw Failure.badRequest("service_code was not provided") }
        guard let service = try await catalogue(call).first(where: { $0.code == code }) else { throw Failure.badRequest("service_code \(code) not found") }

        let location = try await location(from: form, call)

        let description = form["description"] ?? ""
        if description.exceeds(4_000) { throw Failure.badRequest("description is longer than 4000 characters") }
        let answers = try Self.answers(to: service, in: form, timeZone: call.timeZone)

        let name = [form["first_name"], form["last_name"]].compactMap { $0?.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
        let complainant = Complainant(name: name.isEmpty ? nil : name, phone: form["phone"], email: form["email"])
        let firstLine = description.split(whereSeparator: \.isNewline).first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        let new = NewTicket(
            kind: service.kind, channel: .open311,
            title: firstLine.isEmpty ? service.name : String(firstLine.prefix(80)),
            description: description, categoryCode: service.code, location: location,
            complainant: complainant, mediaURL: form["media_url"], attributes: answers.isEmpty ? nil : answers
        )
        let now = clock.now()
        let ticket: Ticket
        do {
            let claim = try request.idempotencyClaim(scope: "open311:" + identity.name, body: Array(form.canonical.utf8))
            ticket = try await intake.file(new, city: call.city, actor: identity.actor, now: now, idempotency: claim).ticket
        } catch let invalid as ValidationError {
            // The one check of every channel, in GeoReport's parameter names.
            let names = ["complainant.email": "email", "complainant.phone": "phone", "complainant.name": "first_name/last_name", "mediaURL": "media_url",
                         "location.latitude": "lat", "location.longitude": "long", "location.address": "address_string", "categoryCode": "service_code"]
            throw Failure.badRequest(invalid.errors.map { "\(names[$0.field] ?? $0.field): \($0.message)" }.joined(separator: "; "))
        }
        let notice = try await serviceNotice(ticket, call)
        var fields: [(String, Open311Value)] = []
        switch service.type {
        case .realtime:
            fields.append(("service_request_id", .string(ticket.number)))
        case .batch:
            let token = Secrets.newToken(prefix: "t_")
            try await store.saveOpen311Token(token, number: ticket.number, tenantID: call.tenant.id, at: now)
            fields.append(("token", .string(token)))
        case .blackbox:
            break
        }
        fields += [("service_notice", .string(notice)), ("account_id", .string(form["account_id"]))]
        return (.ok, Open311Document(root: "service_requests", item: "request", items: [.object(fields)]))
    }

    /// The place of a request: lat and long, an address, or a district's or street's code as
    /// `address_id` (at least one).
    func location(from form: Open311Form, _ call: Call) async throws -> Location {
        var location = Location()
        switch (form["lat"], form["long"]) {
        case (let lat?, let long?):
            guard let la = Double(lat.trimmingCharacters(in: .whitespaces)), let lo = Double(long.trimmingCharacters(in: .whitespaces)) else {
                throw Failure.badRequest("lat and long must be decimal degrees (WGS84)")
            }
            location.latitude = la
            location.longitude = lo
        case (.some, nil): throw Failure.badRequest("long is required with lat")
        case (nil, .some): throw Failure.badRequest("lat is required with long")
        case (nil, nil): break
        }
        location.address = form["address_string"]
        if let id = form["address_id"] {
            // Address ids are the codes of the city's districts and streets (GET /api/v1/units).
            guard let unit = try await store.unit(code: id, tenantID: call.tenant.id), unit.active, unit.kind == .street || unit.kind == .district else {
                throw Failure.badRequest("address_id \(id) not found: use the code of a district or street/township")
            }
            if unit.kind == .street {
                location.streetCode = unit.code
                location.districtCode = unit.parentCode
            } else {
                location.districtCode = unit.code
            }
        }
        if location.latitude == nil && location.address == nil && location.streetCode == nil && location.districtCode == nil {
            throw Failure.badRequest("a location is required: lat and long, address_string or address_id")
        }
        return location
    }

    /// The answers to the service's attributes, each checked; the variable ones are kept.
    static func answers(to service: Open311Service, in form: Open311Form, timeZone: TimeZone) throws -> [String: [String]] {
        var problems: [String] = []
        var answers: [String: [String]] = [:]
        for attribute in service.attributes {
            let given = form.attributes[attribute.code] ?? []
            if let problem = attribute.problem(with: given, timeZone: timeZone) { problems.append(problem) }
            if attribute.variable, !given.isEmpty { answers[attribute.code] = given }
        }
        if !problems.isEmpty { throw Failure.badRequest(problems.joined(separator: "; ")) }
        return answers
    }

    /// What the resident learns at once: where the request went and when the reply is due.
    func serviceNotice(_ ticket: Ticket, _ call: Call) async throws -> String {
        if let parent = ticket.mergedInto { return "The same problem was already reported as \(parent); this request joins it." }
        guard let lead = ticket.leadUnit else { return "Received; a dispatcher will send it to the unit responsible." }
        let unit = try await store.unit(code: lead, tenantID: call.tenant.id)?.name ?? lead
        guard let due = ticket.deadlines.resolution else { return "Sent to \(unit)." }
        return "Sent to \(unit); reply due by \(Open311Document.w3cDate(due, timeZone: call.timeZone))."
    }

    @Sendable func postUpdate(_ call: Call, _ request: Request) async throws -> (HTTPResponse.Status, Open311Document) {
        guard let identity = call.identity else { throw Failure.forbidden("api_key was not provided") }
        guard identity.role.allows(.comment) else { throw Failure.forbidden("this key may not post updates") }
        let form = call.form
        guard let number = form["service_request_id"] else { throw Failure.badRequest("service_request_id was not provided") }
        guard let text = form["description"] else { throw Failure.badRequest("description was not provided") }
        if text.exceeds(4_000) { throw Failure.badRequest("description is longer than 4000 characters") }
        let status = form["status"]?.lowercased()
        if let status, !Open311Status.accepted.contains(status) {
            throw Failure.badRequest("status must be open or closed, or an extended status such as fixed or in_progress")
        }
        if let url = form["media_url"], !NewTicket.isValidMediaURL(url) {
            throw Failure.badRequest("media_url must be an http or https URL")
        }
        guard let ticket = try await store.ticket(number: number, tenantID: call.tenant.id) else {
            throw Failure.notFound("service_request_id \(number) not found")
        }
        // A resident saying "still not solved" about an answered request sends it back to the
        // unit as a redo; anything else is a remark for the unit's timeline.
        let action: TicketAction
        if let status, Open311Status.reopening.contains(status), [.replied, .evaluated, .closed].contains(ticket.status), identity.role.allows(.reopen) {
            action = .reopen(reason: "Reported not solved through Open311: \(text)")
        } else {
            var details = ["channel": Channel.open311.rawValue]
            if let status { details["requestedStatus"] = status }
            if let url = form["media_url"] { details["mediaURL"] = url }
            action = .comment(text: text, details: details)
        }
        // Through the one access rule, in the update's transaction: a key remarks on, or
        // reopens, only the requests it filed.
        let (_, event) = try await desk.act(action, on: number, by: identity, version: nil)
        return (.ok, Open311Document(root: "service_request_updates", item: "request_update", items: [
            .object([("update_id", .string(Self.updateID(number, event.sequence)))]),
        ]))
    }

    static func updateID(_ number: String, _ sequence: Int) -> String { "\(number)-\(sequence)" }
}

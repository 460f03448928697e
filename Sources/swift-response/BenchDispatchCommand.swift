import ArgumentParser
import Foundation
import ResponseCore
import ResponseDispatch

/// `swift-response bench dispatch`: the whole decision (classify + locate + pick the unit) on
/// real 311 data: trained on 80 % of the rows, timed and scored on the other 20 %.
struct BenchDispatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dispatch",
        abstract: "Time and score the dispatch decision (classify + locate + pick unit) on a labelled CSV."
    )

    @Option(help: "CSV (.csv or .csv.gz).") var input: String
    @Option(help: "Text column(s), comma-separated.") var text: String
    @Option(help: "The column naming the responsible unit (agency, queue, department).") var unit: String
    @Option(help: "Latitude column (with --lon and --layer: text + location).") var lat: String?
    @Option(help: "Longitude column.") var lon: String?
    @Option(help: "GeoJSON layer of districts/neighbourhoods.") var layer: String?
    @Option(help: "Property naming each polygon of --layer.") var key: String?
    @Option(help: "Use at most this many rows (a random sample).") var limit: Int?

    func run() async throws {
        var layers: [GeoLayer] = []
        if let layer {
            guard let key, lat != nil, lon != nil else { throw ValidationError("--layer needs --key, --lat and --lon") }
            do { layers = [try GeoLayer.parse(try Data(contentsOf: URL(fileURLWithPath: layer)), level: "district", keyProperty: key)] } catch {
                throw ValidationError("\(layer): \(error)")
            }
        }
        let start = Date(timeIntervalSince1970: 1_700_000_000)
        let (news, tickets) = try rows(geo: GeoIndex(layers: layers), start: start)
        let cut = tickets.count * 4 / 5
        guard cut > 0, cut < tickets.count else { throw ValidationError("\(input) has too few usable rows (\(tickets.count))") }
        var units = Set(tickets.compactMap(\.leadUnit)).map { OrgUnit(code: $0, tenantID: "bench", name: $0, kind: .department) }
        for region in layers.first?.regions ?? [] { units.append(OrgUnit(code: "d-" + region.key, tenantID: "bench", name: "d-" + region.key, kind: .district)) }
        say("bench dispatch: \(tickets.count) rows of \(input); training on \(cut), deciding \(tickets.count - cut); \(units.count) units, \(layers.count) layer(s)")
        var settings = DispatchSettings()
        settings.trainingTickets = cut
        let (city, trainSeconds) = timed { CityDispatcher(units: units, categories: [], layers: layers, history: Array(tickets[..<cut]), settings: settings) }

        decideAndReport(city: city, news: Array(news[cut...]), truths: Array(tickets[cut...]), start: start, trainSeconds: trainSeconds, rows: tickets.count)
    }

    /// Decides every held-out ticket, then prints how often the unit was right, the automatic
    /// share and the decision latency.
    func decideAndReport(city: CityDispatcher, news: [NewTicket], truths: [Ticket], start: Date, trainSeconds: Double, rows: Int) {
        var micros: [Double] = []
        var right = 0, decided = 0, automatic = 0, automaticRight = 0
        let clock = ContinuousClock()
        for (new, truth) in zip(news, truths) {
            var decision: DispatchDecision? = nil
            let elapsed = clock.measure { decision = city.decide(new, now: start) }
            micros.append(elapsed.seconds * 1e6)
            guard let decision else { continue }
            decided += 1
            if decision.leadUnit == truth.leadUnit { right += 1 }
            if decision.automatic {
                automatic += 1
                if decision.leadUnit == truth.leadUnit { automaticRight += 1 }
            }
        }
        micros.sort()
        func p(_ q: Double) -> Double { micros[min(micros.count - 1, Int(Double(micros.count) * q))] }
        let accuracy = Double(right) / Double(max(decided, 1))
        let automaticAccuracy = Double(automaticRight) / Double(max(automatic, 1))
        say(String(format: "unit picked right for %.2f %% of %d tickets; %.1f %% would be dispatched automatically, %.2f %% of those to the right unit",
                   accuracy * 100, decided, Double(automatic) * 100 / Double(max(decided, 1)), automaticAccuracy * 100))
        say(String(format: "decision latency µs: p50 %.1f, p95 %.1f, p99 %.1f, max %.1f; training %.2f s; peak RSS %d MB",
                   p(0.5), p(0.95), p(0.99), micros.last ?? 0, trainSeconds, BenchCommand.Intake.peakRSSMegabytes()))
        printJSONLine([
            "command": "bench dispatch", "rows": rows, "decided": decided, "unitAccuracy": rounded(accuracy),
            "automaticShare": rounded(Double(automatic) / Double(max(decided, 1))), "automaticAccuracy": rounded(automaticAccuracy), "p50Micros": rounded(p(0.5)), "p95Micros": rounded(p(0.95)),
            "p99Micros": rounded(p(0.99)), "trainSeconds": rounded(trainSeconds), "peakRSSMegabytes": BenchCommand.Intake.peakRSSMegabytes(),
        ])
    }

    /// The file's usable rows, shuffled: each as a new ticket (what intake sees) and as the
    /// ticket it became (with the unit that owned it, the truth to learn from and to check).
    func rows(geo: GeoIndex, start: Date) throws -> (news: [NewTicket], tickets: [Ticket]) {
        let textColumns = columnList(text)
        let table = try readTable(input, columns: textColumns + [unit] + [lat, lon].compactMap { $0 })
        var tickets: [Ticket] = []
        var news: [NewTicket] = []
        var rng = SplitMix64(seed: 3)
        var rows = table.rows.shuffled(using: &rng)
        if let limit { rows = Array(rows.prefix(limit)) }
        for (i, row) in rows.enumerated() {
            guard let owner = table.value(row, unit) else { continue }
            let body = textColumns.compactMap { table.value(row, $0) }.joined(separator: "\n")
            guard !body.isEmpty else { continue }
            var location = Location()
            if let la = lat.flatMap({ table.value(row, $0) }).flatMap(Double.init), let lo = lon.flatMap({ table.value(row, $0) }).flatMap(Double.init),
               la != 0 || lo != 0 {
                location.latitude = la
                location.longitude = lo
                location.districtCode = geo.locate(GeoPoint(latitude: la, longitude: lo)).first.map { "d-" + $0.key }
            }
            let lines = body.split(separator: "\n", maxSplits: 1).map(String.init)
            let new = NewTicket(kind: .complaint, channel: .phone, title: String((lines.first ?? body).prefix(NewTicket.maxTitle)), description: lines.count > 1 ? lines[1] : "",
                                location: Location(latitude: location.latitude, longitude: location.longitude))
            news.append(new)
            tickets.append(Ticket(id: "\(i)", tenantID: "bench", number: "\(i)", kind: .complaint, channel: .phone, title: new.title, description: new.description,
                                  location: location, leadUnit: unitCode(owner), status: .closed, createdAt: start.addingTimeInterval(Double(i))))
        }
        return (news, tickets)
    }

    /// Unit codes must be short identifiers; agency names are folded into one.
    private func unitCode(_ name: String) -> String {
        let folded = name.lowercased().unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? String($0) : "-" }.joined()
        return String(folded.prefix(60))
    }
}

import ArgumentParser
import Foundation
import ResponseCore
import ResponseInsight

/// `swift-response eval warning FILE`: runs the spike detector over a real 311 year, as it is and
/// with bursts injected, and prints alarms per day, detection delays and events per second.
struct EvalWarningCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "warning",
        abstract: "Measure the early-warning detector on a 311 file: false alarms per day, detection delay, speed."
    )

    @Argument(help: "A 311 open-data CSV (NYC, SF, Boston or LA layout; .csv or .csv.gz).") var file: String
    @Option(help: "Category level of the streams: 1 (type) or 2 (type and descriptor).") var level = 1
    @Option(help: "Burst sizes to inject, in tickets (one run per size).") var bursts = "5,10,20"
    @Option(help: "Bursts injected per run.") var count = 200
    @Option(help: "Minutes over which a burst's tickets arrive.") var minutes = 30
    @Option(help: "Seed of the burst placement.") var seed: UInt64 = 1
    @Option(help: "Detector settings as JSON (keys of SpikeDetector.Settings; missing keys keep their defaults).") var settings: String?
    @Option(help: "Timing rounds of the clean run (the median is reported).") var rounds = 3
    @Flag(help: "List every alert of the clean run.") var list = false
    @Flag(help: "Count staff-filed tickets (channel `other`: worker apps, employee-generated) too; by default only residents' channels feed the detector, as in `serve`.") var allChannels = false

    func run() async throws {
        let tuned = try detectorSettings(settings)
        let sizes = columnList(bursts).compactMap { Int($0) }.filter { $0 > 0 }
        guard !sizes.isEmpty else { throw ValidationError("--bursts must list positive sizes, e.g. 5,10,20") }
        let table = CSVTable(text: try ImportCommand.read(file))
        guard let format = OpenDataRecord.Format.detect(table.header) else { throw ValidationError("\(file): unknown layout") }
        let dates = OpenDataDateParser(timeZone: format.timeZone)
        var events: [SpikeEvaluation.Event] = []
        for row in table.rows {
            guard let r = OpenDataRecord.make(row, table: table, format: format, dates: dates) else { continue }
            if !allChannels && !SpikeDetector.watchedChannels.contains(r.channel) { continue }
            var category = OpenDataRecord.slug(r.type)
            if level >= 2, let d = r.descriptor, d != r.type { category += "." + OpenDataRecord.slug(d) }
            events.append(.init(category: category, district: r.area.map(OpenDataRecord.slug) ?? "", at: r.created))
        }
        events.sort { $0.at < $1.at }
        guard let first = events.first, let last = events.last else { throw ValidationError("\(file): no readable rows") }
        let zone = TimeZone(identifier: format.timeZone) ?? .gmt
        let located = events.filter { !$0.district.isEmpty }.count
        say("eval warning: \(events.count) tickets of \(file) from \(first.at) to \(last.at); \(located) with a district; level \(level) streams")

        var outcomes: [SpikeEvaluation.Outcome] = []
        for _ in 0..<max(1, rounds) { outcomes.append(SpikeEvaluation.run(events, settings: tuned, timeZone: zone)) }
        let clean = outcomes[0]
        let speeds = outcomes.map { Double($0.events) / max($0.seconds, 1e-9) }.sorted()
        let speed = speeds[speeds.count / 2]
        let perDay = clean.days > 0 ? Double(clean.alerts.count) / clean.days : 0
        say("clean run: \(clean.streams) streams, \(clean.alerts.count) alerts over \(String(format: "%.0f", clean.days)) days after the \(tuned.warmUpDays)-day warm-up = \(String(format: "%.2f", perDay)) alerts/day; \(Int(speed)) events/s (median of \(outcomes.count))")
        let shown = list ? clean.alerts : Array(clean.alerts.sorted { $0.probability < $1.probability }.prefix(10))
        if !shown.isEmpty { say(list ? "alerts:" : "strongest alerts:") }
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = zone
        for a in shown {
            let place = a.stream.district.isEmpty ? "whole city" : a.stream.district
            say("  \(formatter.string(from: a.detectedAt))  \(a.stream.category) in \(place): \(a.observed) in \(a.windowMinutes) min, expected \(String(format: "%.2f", a.expected)), p=\(String(format: "%.1e", a.probability))")
        }

        let warm = first.at.addingTimeInterval(Double(tuned.warmUpDays) * 86_400)
        var runs: [[String: Any]] = []
        for size in sizes {
            let (mixed, injected) = SpikeEvaluation.inject(into: events, count: count, size: size, minutes: minutes, after: warm, seed: seed)
            let outcome = SpikeEvaluation.run(mixed, settings: tuned, timeZone: zone, bursts: injected)
            let delays = outcome.delays.compactMap { $0 }.sorted()
            let caught = Double(delays.count) / Double(max(injected.count, 1))
            let median = delays.isEmpty ? Double.nan : delays[delays.count / 2] / 60
            let p90 = delays.isEmpty ? Double.nan : delays[min(delays.count - 1, Int(Double(delays.count) * 0.9))] / 60
            say("bursts of \(size) in \(minutes) min: \(delays.count)/\(injected.count) detected (\(String(format: "%.1f", caught * 100)) %), delay median \(String(format: "%.1f", median)) min, p90 \(String(format: "%.1f", p90)) min; \(outcome.unmatched) other alerts")
            runs.append(["size": size, "bursts": injected.count, "detected": delays.count, "medianDelayMinutes": median.isNaN ? -1 : median, "p90DelayMinutes": p90.isNaN ? -1 : p90, "otherAlerts": outcome.unmatched])
        }
        printJSONLine([
            "file": file, "tickets": events.count, "streams": clean.streams, "alerts": clean.alerts.count, "days": clean.days,
            "alertsPerDay": perDay, "eventsPerSecond": Int(speed), "bursts": runs, "level": level,
        ])
    }
}

/// The detector settings of a `--settings` option: the defaults, with the keys the JSON gives.
/// - Throws: A validation error naming the bad JSON or the bad values.
func detectorSettings(_ json: String?) throws -> SpikeDetector.Settings {
    var settings = SpikeDetector.Settings()
    if let json {
        do { settings = try JSONDecoder().decode(SpikeDetector.Settings.self, from: Data(json.utf8)) } catch {
            throw ValidationError("--settings is not valid JSON for the detector: \(error)")
        }
    }
    guard settings.problems.isEmpty else { throw ValidationError(settings.problems.joined(separator: "; ")) }
    return settings
}

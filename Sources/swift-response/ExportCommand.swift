import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer
import ResponseStore

/// `swift-response export`: every ticket of a city as CSV or JSON lines.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "export", abstract: "Export tickets as CSV or JSON lines (includes personal data: handle with care).")

    enum Format: String, ExpressibleByArgument { case csv, jsonl }

    @OptionGroup var database: DatabaseOptions
    @Option(help: "csv or jsonl.") var format: Format = .csv
    @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?
    @Option(help: "City id (default: the configured city).") var tenant: String?
    @Flag(help: "The anonymised public open data (NYC 311 shape, docs/open-data.md) instead of full tickets.") var openData = false
    @Option(help: "With --open-data: first local day, yyyy-MM-dd (default: yesterday).") var from: String?
    @Option(help: "With --open-data: day after the last (default: the day after --from).") var to: String?
    @Option(help: "With --open-data: write one file per day into this folder (DAY.csv or DAY.jsonl).") var daily: String?

    func run() async throws {
        let settings = try Settings(database: database).configuration
        if openData { return try await exportOpenData(settings) }
        if from != nil || to != nil || daily != nil { throw ValidationError("--from, --to and --daily go with --open-data") }
        try await withStore(settings) { store in
            let sink = try OutputSink(path: output)
            let format = self.format
            if format == .csv { sink.write(Self.csvHeader + "\n") }
            let encoder = JSONEncoder.api
            let counter = Counter()
            let tenantID = try await cityID(tenant, configured: settings.tenant, in: store)
            try await store.forEachTicket(tenantID: tenantID, batchSize: 500) { tickets in
                for t in tickets {
                    switch format {
                    case .jsonl: sink.write(String(decoding: try encoder.encode(t), as: UTF8.self) + "\n")
                    case .csv: sink.write(Self.csvRow(t) + "\n")
                    }
                }
                counter.add(tickets.count)
            }
            sink.close()
            // A full export holds every complainant's contacts: one record in the access log.
            let who = Actor(name: "cli:" + (ProcessInfo.processInfo.environment["USER"] ?? "unknown"), role: .system)
            try await store.recordAccess([AccessRecord(tenantID: tenantID, at: Date(), actor: who, ticket: "*",
                                                       route: "swift-response export (\(counter.value) tickets)")])
            FileHandle.standardError.write(Data("exported \(counter.value) tickets\n".utf8))
        }
    }

    func exportOpenData(_ settings: ServerConfiguration) async throws {
        try await withStore(settings) { store in
            let tenantID = try await cityID(tenant, configured: settings.tenant, in: store)
            let city = try await store.tenant(tenantID) ?? settings.tenant
            let zone = TimeZone(identifier: city.timeZone) ?? .gmt
            let keys = DayKeys(timeZone: zone)
            func day(_ text: String?, _ flag: String) throws -> Date? {
                guard let text else { return nil }
                guard let d = keys.start(ofValidDay: text) else { throw ValidationError("\(flag) must be a day such as 2026-11-25") }
                return d
            }
            let today = keys.startOfDay(Date())
            let start = try day(from, "--from") ?? keys.adding(days: -1, to: today) ?? today
            let end = try day(to, "--to") ?? keys.adding(days: 1, to: start) ?? start
            guard end > start else { throw ValidationError("--to must be after --from") }
            let names = try await OpenDataExport.names(store: store, tenantID: tenantID)
            // One file per day with --daily, else one output.
            var days: [(Date, Date)] = []
            var cursor = start
            while cursor < end, let next = keys.adding(days: 1, to: cursor) {
                days.append((cursor, min(next, end)))
                cursor = next
            }
            if daily == nil { days = [(start, end)] }
            if let folder = daily { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            var total = 0
            for (dayStart, dayEnd) in days {
                let key = keys.key(dayStart)
                let path = daily.map { "\($0)/\(key).\(format == .csv ? "csv" : "jsonl")" } ?? output
                let sink = try OutputSink(path: path)
                if format == .csv { sink.write(PublicRecord.columns.joined(separator: ",") + "\n") }
                let written = try await OpenDataExport.write(store: store, tenantID: tenantID, from: dayStart, to: dayEnd, names: names,
                                                            policy: settings.disclosure, timeZone: zone, csv: format == .csv) { sink.write($0) }
                sink.close()
                total += written
                if let path, daily != nil { FileHandle.standardError.write(Data("\(path): \(written) records\n".utf8)) }
            }
            FileHandle.standardError.write(Data("exported \(total) open-data records\n".utf8))
        }
    }

    static let csvHeader = "number,created_at,closed_at,kind,channel,status,urgency,category_code,lead_unit,district_code,street_code,latitude,longitude,address,title,description,reply,resolved,satisfaction"

    static func csvRow(_ t: Ticket) -> String {
        let iso = { (d: Date?) in d.map { $0.formatted(.iso8601) } ?? "" }
        // Numbers as numbers; every text cell neutralised against spreadsheet formulas.
        let number = { (v: Double?) in CSVTable.field(v.map { String($0) } ?? "") }
        let text = [
            t.number, iso(t.createdAt), iso(t.closedAt), t.kind.rawValue, t.channel.rawValue, t.status.rawValue, t.urgency.rawValue,
            t.categoryCode ?? "", t.leadUnit ?? "", t.location.districtCode ?? "", t.location.streetCode ?? "",
        ].map(CSVTable.textField)
        let rest = [t.location.address ?? "", t.title, t.description, t.reply ?? "", t.evaluation.map { String($0.resolved) } ?? "", t.evaluation?.satisfaction.rawValue ?? ""]
            .map(CSVTable.textField)
        return (text + [number(t.location.latitude), number(t.location.longitude)] + rest).joined(separator: ",")
    }
}

/// Standard output or a file, written through one handle.
final class OutputSink: @unchecked Sendable {
    // Used from one task at a time (the export loop).
    private let handle: FileHandle

    init(path: String?) throws {
        if let path {
            guard FileManager.default.createFile(atPath: path, contents: nil), let h = FileHandle(forWritingAtPath: path) else {
                throw ValidationError("cannot write \(path)")
            }
            handle = h
        } else {
            handle = .standardOutput
        }
    }

    func write(_ text: String) { handle.write(Data(text.utf8)) }
    func close() { if handle !== FileHandle.standardOutput { try? handle.close() } }
}

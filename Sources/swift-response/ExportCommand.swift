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

    func run() async throws {
        let settings = try Settings(database: database).configuration
        try await withStore(settings) { store in
            let sink = try OutputSink(path: output)
            let format = self.format
            if format == .csv { sink.write(Self.csvHeader + "\n") }
            let encoder = JSONEncoder.api
            let counter = Counter()
            try await store.forEachTicket(tenantID: tenant ?? settings.tenant.id, batchSize: 500) { tickets in
                for t in tickets {
                    switch format {
                    case .jsonl: sink.write(String(decoding: try encoder.encode(t), as: UTF8.self) + "\n")
                    case .csv: sink.write(Self.csvRow(t) + "\n")
                    }
                }
                counter.add(tickets.count)
            }
            sink.close()
            FileHandle.standardError.write(Data("exported \(counter.value) tickets\n".utf8))
        }
    }

    static let csvHeader = "number,created_at,closed_at,kind,channel,status,urgency,category_code,lead_unit,district_code,street_code,latitude,longitude,address,title,description,reply,resolved,satisfaction"

    static func csvRow(_ t: Ticket) -> String {
        let iso = { (d: Date?) in d.map { $0.formatted(.iso8601) } ?? "" }
        return [
            t.number, iso(t.createdAt), iso(t.closedAt), t.kind.rawValue, t.channel.rawValue, t.status.rawValue, t.urgency.rawValue,
            t.categoryCode ?? "", t.leadUnit ?? "", t.location.districtCode ?? "", t.location.streetCode ?? "",
            t.location.latitude.map { String($0) } ?? "", t.location.longitude.map { String($0) } ?? "", t.location.address ?? "",
            t.title, t.description, t.reply ?? "", t.evaluation.map { String($0.resolved) } ?? "", t.evaluation?.satisfaction.rawValue ?? "",
        ].map(CSVTable.field).joined(separator: ",")
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

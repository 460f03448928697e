import ArgumentParser
import Foundation
import ResponseCore
import ResponseServer
import ResponseStore

/// `swift-response import FILE…`: files 311 open-data rows (NYC, SF, Boston, LA) as tickets,
/// through the same state machine as live tickets: created, dispatched to the agency's unit,
/// and replied and closed when the source says it was closed.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Import 311-style CSV files (.csv or .csv.gz).")

    @OptionGroup var database: DatabaseOptions
    @Argument(help: "CSV files (NYC, SF, Boston or LA open-data layout; detected from the header).") var files: [String]
    @Option(help: "Stop after this many rows per file.") var limit: Int?
    @Option(help: "City id to import into (default: the configured city).") var tenant: String?

    func run() async throws {
        let settings = try Settings(database: database).configuration
        try await withStore(settings) { store in
            var city = settings.tenant
            if let tenant { city = try await store.tenant(tenant) ?? Tenant(id: tenant, name: tenant, timeZone: settings.tenant.timeZone) }
            try await store.saveTenant(city)
            for file in files { try await importFile(file, store: store, city: settings.city(city)) }
            try await store.refreshStatistics()
        }
    }

    func importFile(_ path: String, store: SQLTicketStore, city: City) async throws {
        let tenant = city.tenant
        let table = CSVTable(text: try Self.read(path))
        guard let format = OpenDataRecord.Format.detect(table.header) else {
            throw ValidationError("\(path): unknown layout (expected the NYC, SF, Boston or LA 311 open-data header)")
        }
        let start = Date()
        let rows = limit.map { Array(table.rows.prefix($0)) } ?? table.rows
        let (items, skipped) = try await Self.prepare(rows, table: table, format: format, store: store, tenant: tenant)
        try await Self.file(items, store: store, city: city, importer: Actor(name: "import:\(format.rawValue)", role: .system), label: path)
        print("\(path): imported \(items.count) \(format.rawValue) tickets, skipped \(skipped) rows without an id, type or readable date, in \(String(format: "%.1f", Date().timeIntervalSince(start))) s")
    }

    /// One row made ready to file: the ticket and what later happened to it.
    struct Item: Sendable {
        var ticket: NewTicket
        var created: Date
        var closed: Date?
        var unit: String?
        var resolution: String?
    }

    /// Pass 1, in order: reads the rows and creates the categories (type, then descriptor), the
    /// agencies' units and the neighbourhoods' district units they need.
    /// - Returns: The rows as tickets, in file order, and how many rows were skipped.
    static func prepare(_ rows: [[String]], table: CSVTable, format: OpenDataRecord.Format, store: SQLTicketStore, tenant: Tenant) async throws -> (items: [Item], skipped: Int) {
        let dates = OpenDataDateParser(timeZone: format.timeZone)
        var knownUnits = Set(try await store.units(tenantID: tenant.id).map(\.code))
        var knownCategories = Set(try await store.categories(tenantID: tenant.id).map(\.code))
        var prepared: [Item] = []
        var skipped = 0
        for row in rows {
            guard let record = OpenDataRecord.make(row, table: table, format: format, dates: dates) else {
                skipped += 1
                continue
            }
            let typeCode = OpenDataRecord.slug(record.type)
            if !knownCategories.contains(typeCode) {
                try await store.saveCategory(Category(code: typeCode, tenantID: tenant.id, name: String(record.type.prefix(200)), level: 1, parentCode: nil))
                knownCategories.insert(typeCode)
            }
            var categoryCode = typeCode
            if let d = record.descriptor, d != record.type {
                let code = typeCode + "." + OpenDataRecord.slug(d)
                if !knownCategories.contains(code) {
                    try await store.saveCategory(Category(code: code, tenantID: tenant.id, name: String(d.prefix(200)), level: 2, parentCode: typeCode))
                    knownCategories.insert(code)
                }
                categoryCode = code
            }
            var unitCode: String? = nil
            if let agency = record.agency {
                let code = format.rawValue + "-" + OpenDataRecord.slug(agency)
                if !knownUnits.contains(code) {
                    try await store.saveUnit(OrgUnit(code: code, tenantID: tenant.id, name: String((record.agencyName ?? agency).prefix(200)), kind: .department))
                    knownUnits.insert(code)
                }
                unitCode = code
            }
            // The file's own neighbourhood becomes the district, so demand can be counted by place.
            var districtCode: String? = nil
            if let area = record.area, !area.isEmpty {
                let code = format.rawValue + "-" + OpenDataRecord.slug(area)
                if !knownUnits.contains(code) {
                    try await store.saveUnit(OrgUnit(code: code, tenantID: tenant.id, name: String(area.prefix(200)), kind: .district))
                    knownUnits.insert(code)
                }
                districtCode = code
            }
            let title = [record.type, record.descriptor].compactMap { $0 }.joined(separator: " — ")
            let new = NewTicket(
                kind: .complaint, channel: record.channel, title: String(title.prefix(NewTicket.maxTitle)),
                description: ([record.descriptor, record.address.map { "at \($0)" }, "(\(format.rawValue) 311 #\(record.sourceID))"].compactMap { $0 }).joined(separator: " "),
                categoryCode: categoryCode,
                location: Location(latitude: record.latitude, longitude: record.longitude, address: record.address.map { String($0.prefix(500)) }, districtCode: districtCode)
            )
            if !new.validationErrors().isEmpty {
                skipped += 1
                continue
            }
            prepared.append(Item(ticket: new, created: record.created, closed: record.closed, unit: unitCode, resolution: record.resolution.map { String($0.prefix(10_000)) }))
        }
        return (prepared, skipped)
    }

    /// Pass 2, 32 at a time so the store files them in batches: each ticket is created,
    /// dispatched to its agency and accepted, and replied and closed when the source closed it,
    /// through the same state machine as live tickets.
    static func file(_ items: [Item], store: SQLTicketStore, city: City, importer: Actor, label: String) async throws {
        let next = Counter(), done = Counter()
        let total = items.count, start = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    while true {
                        let i = next.next()
                        if i >= total { return }
                        let item = items[i]
                        var steps: [(TicketAction, Date)] = []
                        if let unit = item.unit {
                            steps += [(.dispatch(leadUnit: unit, coUnits: [], note: nil), item.created), (.accept, item.created)]
                            if let closed = item.closed {
                                let text = (item.resolution ?? "").isEmpty ? "Closed." : (item.resolution ?? "Closed.")
                                steps += [(.reply(text: text, resolved: true), closed), (.close(note: "imported"), closed)]
                            }
                        }
                        // The whole history in the ticket's own intake transaction (one commit per
                        // batch of tickets instead of one per step: measured 5× fewer commits).
                        _ = try await store.createTicket(item.ticket, tenant: city.tenant, actor: importer, now: item.created, followUps: steps.map {
                            IntakeFollowUp($0.0, context: city.context(now: $0.1, actor: importer))
                        }, idempotency: nil)
                        let n = done.next() + 1
                        if n % 1000 == 0 || n == total {
                            let rate = Double(n) / max(Date().timeIntervalSince(start), 0.001)
                            FileHandle.standardError.write(Data("\r\(label): \(n)/\(total) tickets filed, \(Int(rate)) tickets/s   ".utf8))
                        }
                    }
                }
            }
            try await group.waitForAll()
        }
        if total > 0 { FileHandle.standardError.write(Data("\n".utf8)) }
    }

    /// The file's text; `.gz` files are decompressed with the system's gzip.
    static func read(_ path: String) throws -> String {
        guard FileManager.default.isReadableFile(atPath: path) else { throw ValidationError("cannot read \(path)") }
        if path.hasSuffix(".gz") {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["gzip", "-dc", path]
            let pipe = Pipe()
            process.standardOutput = pipe
            try process.run()
            let data = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw ValidationError("gzip could not decompress \(path)") }
            return String(decoding: data, as: UTF8.self)
        }
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("cannot read \(path)") }
        return String(decoding: data, as: UTF8.self)
    }
}

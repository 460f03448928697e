import ArgumentParser
import Foundation
import ResponseCore
import ResponseInsight
import ResponseServer
import ResponseStore

/// `swift-response report monthly`: the monthly assessment of every unit; `report daily` (or `report brief`): a day or a month of demand in one page.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Reports.", subcommands: [Monthly.self, BriefReport.self])

    struct BriefReport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "daily",
            abstract: "A day (or with --month a month) in one page: volume against the periods before, top 10 problems, new hotspots, spike alerts, units most overdue, topics.",
            aliases: ["brief"]
        )

        enum Format: String, ExpressibleByArgument { case html, json }

        @OptionGroup var database: DatabaseOptions
        @Option(help: "City day, yyyy-MM-dd (default: today in the city's zone).") var day: String?
        @Option(help: "A month, yyyy-MM, instead of a day: the monthly brief.") var month: String?
        @Option(help: "html or json.") var format: Format = .html
        @Option(help: "City id (default: the configured city; the demo city is 'demo').") var city: String?
        @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?

        func run() async throws {
            let settings = try Settings(database: database).configuration
            try await withStore(settings) { store in
                let chosen = try await cityID(city, configured: settings.tenant, in: store)
                guard let tenant = try await store.tenant(chosen) else { throw ValidationError("no city '\(chosen)' in the database (the demo city is 'demo')") }
                let days = DayKeys(identifier: tenant.timeZone)
                if day != nil && month != nil { throw ValidationError("give --day or --month, not both") }
                let key = month ?? day ?? days.key(Date())
                if let month { guard DayRange.month(month) != nil else { throw ValidationError("--month must be a month such as 2026-11") } }
                else { guard DayRange.number(key) != nil else { throw ValidationError("--day must be a day such as 2026-11-25") } }
                let service = InsightService(store: store)
                let (brief, seconds) = try await timedAsync {
                    try await service.brief(tenant: tenant, period: key, days: days, now: Date(), reference: try await service.reference(tenantID: tenant.id))
                }
                FileHandle.standardError.write(Data("\(brief.span.rawValue) brief of \(tenant.id) for \(key): \(brief.tickets) tickets, built in \(String(format: "%.3f", seconds)) s\n".utf8))
                let text: String
                switch format {
                case .html: text = BriefPage.html(brief)
                case .json:
                    let encoder = JSONEncoder.api
                    encoder.outputFormatting.insert(.prettyPrinted)
                    text = String(decoding: try encoder.encode(brief), as: UTF8.self) + "\n"
                }
                let sink = try OutputSink(path: output)
                sink.write(text)
                sink.close()
            }
        }
    }

    struct Monthly: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Every unit's three rates, composite, rank and class for a month, with the bottom list and month-over-month change."
        )

        enum Format: String, ExpressibleByArgument { case html, csv, json }

        @OptionGroup var database: DatabaseOptions
        @Option(help: "Month, yyyy-MM (default: the current month in the city's zone).") var period: String?
        @Option(help: "html, csv or json.") var format: Format = .html
        @Option(help: "street, department, district or all.") var level: String = "all"
        @Option(help: "City id (default: the configured city; the demo city is 'demo').") var city: String?
        @Option(name: .shortAndLong, help: "Output file (default: standard output).") var output: String?
        @Flag(help: "Also recompute the figures from the event log alone and fail if they differ from the live counters.") var verify = false

        func run() async throws {
            let settings = try Settings(database: database).configuration
            let levelFilter: AssessmentLevel?
            if level == "all" { levelFilter = nil } else {
                guard let l = AssessmentLevel(rawValue: level) else { throw ValidationError("--level must be street, department, district or all") }
                levelFilter = l
            }
            try await withStore(settings) { store in
                let chosen = try await cityID(city, configured: settings.tenant, in: store)
                guard let tenant = try await store.tenant(chosen) else { throw ValidationError("no city '\(chosen)' in the database (the demo city is 'demo')") }
                let month = period ?? String(DayKeys(identifier: tenant.timeZone).key(Date()).prefix(7))
                guard let assessed = AssessmentPeriod(month: month) else { throw ValidationError("--period must be a month such as 2026-11") }
                let policy = settings.accountability(for: tenant.id).assessment
                let service = AssessmentService(store: store)
                let (report, seconds) = try await timedAsync { try await service.report(tenantID: tenant.id, period: assessed, settings: policy) }
                FileHandle.standardError.write(Data("assessed \(report.units.count) units for \(assessed) in \(String(format: "%.3f", seconds)) s\n".utf8))
                if verify {
                    let (replayed, replaySeconds) = try await timedAsync {
                        try await service.replay(tenantID: tenant.id, period: assessed, timeZone: tenant.timeZone, settings: policy)
                    }
                    guard replayed == report else { throw ValidationError("the event-log replay does not match the live counters for \(assessed)") }
                    FileHandle.standardError.write(Data("verified: the replay of the event log matches, \(String(format: "%.2f", replaySeconds)) s\n".utf8))
                }
                let shown = report.filtered(level: levelFilter)
                let text: String
                switch format {
                case .html:
                    let days = DayKeys(identifier: tenant.timeZone), range = DayRange(from: assessed.from, to: assessed.to)
                    guard let from = days.start(of: range.from), let to = days.start(of: range.to) else { throw ValidationError("--period must be a month such as 2026-11") }
                    let access = try await store.accessSummary(tenantID: tenant.id, from: from, to: to, days: range, top: 10)
                    text = AssessmentTable.html(shown, cityName: tenant.name, access: access)
                case .csv: text = AssessmentTable.csv(shown)
                case .json:
                    let encoder = JSONEncoder.api
                    encoder.outputFormatting.insert(.prettyPrinted)
                    text = String(decoding: try encoder.encode(shown), as: UTF8.self) + "\n"
                }
                let sink = try OutputSink(path: output)
                sink.write(text)
                sink.close()
            }
        }
    }
}

import ArgumentParser

/// `swift-response`: the hotline server and its operator tools.
@main
struct SwiftResponseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swift-response",
        abstract: "SwiftResponse — a public-complaint hotline (12345 / 311) server.",
        subcommands: [ServeCommand.self, MigrateCommand.self, UserCommand.self, APIKeyCommand.self, CategoriesCommand.self, ImportCommand.self, ExportCommand.self, EvalCommand.self, SweepCommand.self, ReportCommand.self, BenchCommand.self, ReplayCommand.self, InsightCommand.self, KeysCommand.self, PrivacyCommand.self, BackupCommand.self, RestoreCommand.self],
        defaultSubcommand: ServeCommand.self
    )
}

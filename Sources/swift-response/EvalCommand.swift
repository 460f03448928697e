import ArgumentParser
import Foundation
import ResponseCore
import ResponseDispatch

/// `swift-response eval …`: measure the dispatcher's parts on real, labelled data.
struct EvalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "eval",
        abstract: "Measure classification and location on real data (human summary, then one JSON line).",
        subcommands: [EvalClassifyCommand.self, EvalLocateCommand.self, EvalWarningCommand.self]
    )
}

/// Prints `object` as the one JSON line that closes every eval and bench command.
func printJSONLine(_ object: [String: Any]) {
    if let data = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
       let line = String(data: data, encoding: .utf8) {
        print(line)
    }
}

/// Splits `a,b,c` column lists.
func columnList(_ value: String) -> [String] {
    value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// Reads a CSV file (plain or .gz) and checks that the named columns exist.
func readTable(_ path: String, columns: [String]) throws -> CSVTable {
    let table = CSVTable(text: try ImportCommand.read(path))
    let missing = columns.filter { table.index(of: $0) == nil }
    guard missing.isEmpty else {
        throw ValidationError("\(path) has no column \(missing.joined(separator: ", ")); it has: \(table.header.joined(separator: ", "))")
    }
    return table
}

func timedAsync<T>(_ body: () async throws -> T) async rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let value = try await body()
    return (value, (ContinuousClock.now - start).seconds)
}

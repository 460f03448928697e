import Foundation
import Hummingbird
import ResponseCore

/// Reads a request's query: text, integers and flags, days and day ranges, each checked, the
/// problems collected so that one 400 names every bad field (``check()``).
struct QueryReader {
    let params: Hummingbird.Parameters
    var errors: [FieldError] = []

    func text(_ name: String) -> String? { params[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 } }

    mutating func int(_ name: String, default value: Int, in bounds: ClosedRange<Int>) -> Int {
        guard let raw = text(name) else { return value }
        guard let n = Int(raw), bounds.contains(n) else {
            errors.append(FieldError(field: name, message: "a whole number from \(bounds.lowerBound) to \(bounds.upperBound)"))
            return value
        }
        return n
    }

    /// `true` or `false` (the default); anything else is an error.
    mutating func flag(_ name: String) -> Bool {
        guard let raw = text(name) else { return false }
        guard raw == "true" || raw == "false" else {
            errors.append(FieldError(field: name, message: "true or false"))
            return false
        }
        return raw == "true"
    }

    mutating func range(today: String, defaultDays: Int = 7) -> DayRange {
        let tomorrow = DayRange.key(number: (DayRange.number(today) ?? 0) + 1)
        let to = text("to") ?? tomorrow
        let count = int("days", default: defaultDays, in: 1...366)
        let from = text("from") ?? DayRange.days(count, endingBefore: to).from
        let range = DayRange(from: from, to: to)
        if DayRange.number(from) == nil { errors.append(FieldError(field: "from", message: "a day, yyyy-MM-dd")) }
        if DayRange.number(to) == nil { errors.append(FieldError(field: "to", message: "a day, yyyy-MM-dd")) }
        if errors.isEmpty && !range.isValid { errors.append(FieldError(field: "to", message: "must be after from")) }
        if errors.isEmpty && range.count > 366 { errors.append(FieldError(field: "to", message: "at most 366 days after from")) }
        return range
    }

    /// A calendar month (`month=yyyy-MM`) when asked for; otherwise a rolling window (``range(today:defaultDays:)``),
    /// so that on the 2nd of a month last week is still in view.
    mutating func window(today: String, defaultDays: Int) -> (range: DayRange, month: String?) {
        guard let month = text("month") else { return (range(today: today, defaultDays: defaultDays), nil) }
        let range = DayRange.month(month) ?? DayRange(from: "", to: "")
        if !range.isValid { errors.append(FieldError(field: "month", message: "a month, yyyy-MM")) }
        return (range, month)
    }

    /// The query parameters ``window(today:defaultDays:)`` reads, for the OpenAPI document.
    static func windowParameters(defaultDays: Int) -> [APIRoute.QueryParameter] {
        [
            .init(name: "days", description: "a rolling window: this many days up to and including today, 1–366 (default \(defaultDays))", schemaType: "integer"),
            .init(name: "from", description: "first city day, yyyy-MM-dd, instead of days", schemaType: "string"),
            .init(name: "to", description: "day after the last, yyyy-MM-dd (default: tomorrow)", schemaType: "string"),
            .init(name: "month", description: "a calendar month, yyyy-MM, instead of a window", schemaType: "string"),
        ]
    }

    /// The start of the city day named `name` (`yyyy-MM-dd`), or `nil` when absent.
    mutating func day(_ name: String, in days: DayKeys) -> Date? {
        guard let raw = text(name) else { return nil }
        guard let date = days.start(ofValidDay: raw) else {
            errors.append(FieldError(field: name, message: "a day, yyyy-MM-dd"))
            return nil
        }
        return date
    }

    /// One of `E`'s raw values, or `nil` when absent.
    mutating func option<E: RawRepresentable & CaseIterable>(_ name: String, _: E.Type) -> E? where E.RawValue == String {
        guard let raw = text(name) else { return nil }
        guard let value = E(rawValue: raw) else {
            errors.append(FieldError(field: name, message: "one of \(E.allCases.map(\.rawValue).joined(separator: ", "))"))
            return nil
        }
        return value
    }

    /// A comma-separated list of `E`'s raw values; empty when absent.
    mutating func options<E: RawRepresentable & CaseIterable>(_ name: String, _: E.Type) -> [E] where E.RawValue == String {
        guard let raw = text(name) else { return [] }
        var out: [E] = []
        for part in raw.split(separator: ",") {
            if let value = E(rawValue: String(part)) { out.append(value) } else {
                errors.append(FieldError(field: name, message: "'\(part)' is not one of \(E.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        return out
    }

    /// An ISO 8601 time, or a day `yyyy-MM-dd` taken at 00:00 UTC; `nil` when absent.
    mutating func time(_ name: String) -> Date? {
        guard let raw = text(name) else { return nil }
        if let date = try? Date(raw, strategy: .iso8601) { return date }
        if let date = try? Date(raw + "T00:00:00Z", strategy: .iso8601) { return date }
        errors.append(FieldError(field: name, message: "expected an ISO 8601 time or yyyy-MM-dd"))
        return nil
    }

    func check() throws {
        if !errors.isEmpty { throw Problem.badRequest("invalid query parameters", errors: errors) }
    }
}

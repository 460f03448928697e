// libFuzzer target: a 311 open-data CSV file as `swift-response import` reads it (the CSV
// reader, the format's detection and every row's mapping). Built against ResponseCore.
import Foundation
import ResponseCore

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = start.map { UnsafeRawBufferPointer(start: $0, count: count) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
    let table = CSVTable(text: String(decoding: bytes, as: UTF8.self))
    // Rows written back as CSV read back the same.
    let written = table.rows.filter { $0 != [""] }.map { $0.map(CSVTable.field).joined(separator: ",") }.joined(separator: "\n")
    let reread = CSVTable(text: "h\n" + written)
    let before = table.rows.filter { $0 != [""] }, after = reread.rows.filter { $0 != [""] }
    if before != after, let i = zip(before, after).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset ?? Optional(min(before.count, after.count)) {
        FileHandle.standardError.write(Data("row \(i) of \(before.count) (now \(after.count)): \(before.dropFirst(i).first.map { "\($0)" } ?? "-") → \(after.dropFirst(i).first.map { "\($0)" } ?? "-")\n".utf8))
    }
    precondition(before == after, "rows written as CSV read back differently")
    guard let format = OpenDataRecord.Format.detect(table.header) else { return 0 }
    let dates = OpenDataDateParser(timeZone: format.timeZone)
    for row in table.rows {
        guard let record = OpenDataRecord.make(row, table: table, format: format, dates: dates) else { continue }
        precondition(record.closed.map { $0 >= record.created } ?? true, "closed before it was created")
        precondition((record.latitude == nil) == (record.longitude == nil), "half a location")
        precondition(OpenDataRecord.slug(record.type).count <= 30)
    }
    return 0
}

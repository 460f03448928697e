// libFuzzer target: an Open311 form body (application/x-www-form-urlencoded) as clients send it.
// Built with Sources/ResponseServer/Open311/Open311Form.swift alone by scripts/fuzz-parsers.sh.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = start.map { UnsafeRawBufferPointer(start: $0, count: count) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
    let form = Open311Form(bytes: bytes)
    // Empty values are absent, never kept.
    precondition(form.fields.values.allSatisfy { !$0.isEmpty && $0.allSatisfy { !$0.isEmpty } })
    precondition(form.attributes.values.allSatisfy { !$0.isEmpty && $0.allSatisfy { !$0.isEmpty } })
    // The retry key's body: the same fields in another order give the same text.
    let reordered = Open311Form(bytes: Array(bytes).split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: false).reversed().joined(separator: [UInt8(ascii: "&")]))
    if reordered.fields.values.allSatisfy({ $0.count == 1 }) && reordered.attributes.isEmpty && form.attributes.isEmpty {
        precondition(reordered.canonical == form.canonical, "canonical text depends on the order of single-valued fields")
    }
    return 0
}

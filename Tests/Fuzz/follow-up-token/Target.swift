// libFuzzer target: a follow-up token as a complainant's link carries it (before its signature
// is checked). Built with Sources/ResponseServer/Auth/FollowUpToken.swift alone.

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let bytes = start.map { UnsafeRawBufferPointer(start: $0, count: count) } ?? UnsafeRawBufferPointer(start: nil, count: 0)
    let text = String(decoding: bytes, as: UTF8.self)
    guard let token = FollowUpToken(text) else { return 0 }
    // What is read writes back to a token that reads the same.
    precondition(token.text.utf8.count <= text.utf8.count)
    precondition(FollowUpToken(token.text) == token, "a token read and written back reads differently")
    // The fields of a payload written from read fields read the same.
    if let fields = token.fields {
        let written = FollowUpToken(payload: FollowUpToken.payload(tenantID: fields.tenantID, number: fields.number, expiresMilliseconds: fields.expiresMilliseconds), mac: token.mac)
        precondition(written.fields.map { [$0.tenantID, $0.number, String($0.expiresMilliseconds)] } == [fields.tenantID, fields.number, String(fields.expiresMilliseconds)])
    }
    return 0
}

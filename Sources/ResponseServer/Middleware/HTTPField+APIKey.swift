import HTTPTypes

extension HTTPField.Name {
    /// `X-API-Key`: how integrations authenticate.
    public static let apiKey: HTTPField.Name = {
        guard let name = HTTPField.Name("X-API-Key") else { preconditionFailure("X-API-Key is a valid header name") }
        return name
    }()

    /// `X-Requested-With`: the console sends it with every change (a cross-site form cannot).
    static let requestedWith = known("X-Requested-With")
    /// `X-Next-Cursor`: the next page of a CSV answer.
    static let nextCursor = known("X-Next-Cursor")
    static let contentSecurityPolicy = known("Content-Security-Policy")
    static let contentTypeOptions = known("X-Content-Type-Options")
    static let referrerPolicy = known("Referrer-Policy")
    static let xFrameOptions = known("X-Frame-Options")

    /// A header name written in this source, so always valid.
    private static func known(_ name: String) -> HTTPField.Name {
        guard let field = HTTPField.Name(name) else { preconditionFailure("\(name) is a valid header name") }
        return field
    }
}

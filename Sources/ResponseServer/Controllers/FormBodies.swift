import Hummingbird

/// The follow-up page's form: a plain HTML form (no script), so every field arrives as text and
/// is checked by the page.
struct RatingForm: Decodable, Sendable {
    var contacted: String?
    var resolved: String?
    var satisfaction: String?
    var comment: String?
}

/// The console's sign-in form.
struct SignInForm: Decodable, Sendable {
    var username: String?
    var password: String?
    var next: String?
}

extension Request {
    /// The body as an `application/x-www-form-urlencoded` form, decoded by Hummingbird's
    /// `URLEncodedFormDecoder`; `nil` when it is not one (the page then asks again).
    func decodeForm<Form: Decodable>(_ type: Form.Type, upTo limit: Int = 16_384) async throws -> Form? {
        let buffer = try await body.collect(upTo: limit)
        return try? URLEncodedFormDecoder().decode(Form.self, from: String(buffer: buffer))
    }
}

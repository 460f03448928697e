import Foundation

/// One problem with one input field, reported back to the client as is.
public struct FieldError: Codable, Sendable, Equatable, Error {
    /// A dotted path to the field (`location.latitude`).
    public var field: String
    /// What is wrong, for a person.
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// A request that failed validation on one or more fields.
public struct ValidationError: Error, Sendable, Equatable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}

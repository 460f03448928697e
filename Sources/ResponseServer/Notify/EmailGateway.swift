import Logging
import ResponseCore

/// Sends e-mail; a deployment connects its mail service behind this interface.
public protocol EmailGateway: Sendable {
    func send(to address: String, subject: String, text: String) async throws
}

/// An e-mail gateway that writes each message to the log instead of sending it, the address masked.
public struct LogEmailGateway: EmailGateway {
    let logger: Logger

    public init(logger: Logger = Logger(label: "swift-response.email")) { self.logger = logger }

    public func send(to address: String, subject: String, text: String) async throws {
        logger.info("e-mail", metadata: ["to": "\(Complainant.maskEmail(address))", "subject": "\(LogSafeText.of(subject))", "text": "\(LogSafeText.of(text))"])
    }
}

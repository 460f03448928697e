import Logging
import ResponseCore

/// Sends text messages; a deployment connects its SMS provider behind this interface.
public protocol SMSGateway: Sendable {
    func send(to phone: String, text: String) async throws
}

/// An SMS gateway that writes each message to the log instead of sending it. The number is
/// masked and the text made safe for a log (``LogSafeText``): logs are read by more people than
/// complainants' data may be.
public struct LogSMSGateway: SMSGateway {
    let logger: Logger

    public init(logger: Logger = Logger(label: "swift-response.sms")) { self.logger = logger }

    public func send(to phone: String, text: String) async throws {
        logger.info("SMS", metadata: ["to": "\(Complainant.maskPhone(phone))", "text": "\(LogSafeText.of(text))"])
    }
}

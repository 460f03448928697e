import ResponseCore

/// Sends each message on its channel: SMS to a phone, e-mail to an address.
public struct ChannelNotifier: Notifier {
    let sms: any SMSGateway
    let email: any EmailGateway

    public init(sms: any SMSGateway = LogSMSGateway(), email: any EmailGateway = LogEmailGateway()) {
        self.sms = sms
        self.email = email
    }

    public func deliver(_ message: OutgoingMessage) async throws {
        let r = message.record
        guard let recipient = r.recipient else { return }
        switch r.channel {
        case .sms: try await sms.send(to: recipient, text: message.body)
        case .email: try await email.send(to: recipient, subject: "12345 · \(r.number)", text: message.body)
        case .none: break
        }
    }
}

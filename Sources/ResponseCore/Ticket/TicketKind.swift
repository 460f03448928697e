import Foundation

/// What the caller wants: the first axis of classification.
public enum TicketKind: String, Codable, Sendable, CaseIterable {
    case consultation, help, complaint, report, suggestion, praise
}

/// How the request reached the hotline.
public enum Channel: String, Codable, Sendable, CaseIterable {
    case phone, web, app, open311, wechat, sms, other
}

/// Urgency decides the deadline column of the policy.
public enum Urgency: String, Codable, Sendable, CaseIterable {
    case normal, urgent
}

import Foundation

/// A filtered, sorted, paginated listing of tickets. Every filter is optional and they combine
/// with AND. Pagination is by keyset (the `after` cursor), so deep pages cost what the first does.
public struct TicketQuery: Sendable, Equatable {
    public enum Sort: String, Sendable, CaseIterable {
        /// Newest first.
        case createdDesc = "-created"
        case createdAsc = "created"
        /// Soonest resolution deadline first (tickets without one last).
        case dueAsc = "due"
    }

    /// Only these public numbers (at most 1,000).
    public var numbers: [String] = []
    public var statuses: [TicketStatus] = []
    public var unit: String?
    public var district: String?
    /// Matches the category and everything below it.
    public var categoryPrefix: String?
    /// Only these exact category codes.
    public var categories: [String] = []
    public var kinds: [TicketKind] = []
    public var channels: [Channel] = []
    public var createdFrom: Date?
    public var createdTo: Date?
    /// Only tickets whose resolution deadline has passed while work is owed, at `now`.
    public var overdueAt: Date?
    /// Words that must all occur in the title or description (any language).
    public var text: String?
    /// Only tickets waiting in one of the accountability queues.
    public var queue: Queue?
    public var sort: Sort = .createdDesc
    /// Page size; stores serve at most 1,000.
    public var limit: Int = 50
    public var after: Cursor?
    /// Rows to skip before the page, for clients that page by number (Open311 `page`). Keyset
    /// pagination with ``after`` is cheaper for deep pages.
    public var offset: Int = 0

    public init() {}

    /// The work queues of the accountability loop.
    public enum Queue: String, Sendable, CaseIterable {
        /// Waiting for the follow-up call (回访).
        case followUp = "follow-up"
        /// An extension request waits for a supervisor.
        case `extension`
        /// Escalated to supervision and not yet given a new deadline.
        case escalated
    }

    /// Where the previous page stopped: the sort key and id of its last ticket.
    public struct Cursor: Sendable, Equatable {
        public var key: Int64
        public var id: String

        public init(key: Int64, id: String) {
            self.key = key
            self.id = id
        }

        /// The opaque form sent to clients: `key.id`, base64url.
        public var token: String {
            Data("\(key).\(id)".utf8).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }

        /// Parses a token made by ``token``; `nil` when it is not one.
        public init?(token: String) {
            var b64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while b64.count % 4 != 0 { b64 += "=" }
            guard token.count <= 200, let data = Data(base64Encoded: b64), let text = String(data: data, encoding: .utf8),
                let dot = text.firstIndex(of: "."), let key = Int64(text[..<dot])
            else { return nil }
            let id = String(text[text.index(after: dot)...])
            guard !id.isEmpty else { return nil }
            self.key = key
            self.id = id
        }
    }

    /// The sort key of `ticket` under this query's sort.
    public func key(of ticket: Ticket) -> Int64 {
        switch sort {
        case .createdDesc, .createdAsc: ticket.createdAt.millisecondsSince1970
        case .dueAsc: ticket.deadlines.resolution?.millisecondsSince1970 ?? Int64.max
        }
    }
}

/// One page of a listing.
public struct TicketPage: Sendable {
    public var tickets: [Ticket]
    /// Pass as `after` to get the next page; `nil` on the last page.
    public var next: TicketQuery.Cursor?

    public init(tickets: [Ticket], next: TicketQuery.Cursor?) {
        self.tickets = tickets
        self.next = next
    }
}

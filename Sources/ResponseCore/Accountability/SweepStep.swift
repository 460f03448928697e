import Foundation

/// The deadlines a unit owes on a ticket.
public enum DeadlineName: String, Codable, Sendable, CaseIterable {
    case accept
    case firstContact = "first_contact"
    case resolution
}

/// One thing the deadline sweeper does to a ticket. Each is recorded as an event and marked on
/// the ticket with the deadline it acted on, so a second sweep finds nothing left to do.
public enum SweepStep: Sendable, Equatable {
    /// Urge the lead unit before its resolution deadline (催办).
    case remind(due: Date)
    /// A deadline has passed: the urging notice after a breach. A passed resolution deadline
    /// also puts the ticket in the follow-up queue.
    case breach(DeadlineName, due: Date)
    /// The resolution deadline is long past: escalate to supervision (督办).
    case escalate(due: Date)
    /// A summoned unit did not acknowledge by its arrival deadline.
    case summonsLate(unit: String, arriveBy: Date)

    /// The mark this step leaves in ``Oversight/marks``.
    public var key: String {
        switch self {
        case .remind: "remind.resolution"
        case .breach(let name, _): "breach." + name.rawValue
        case .escalate: "escalate.resolution"
        case .summonsLate(let unit, _): "late.summons." + unit
        }
    }

    /// The deadline the step acts on.
    public var due: Date {
        switch self {
        case .remind(let d), .breach(_, let d), .escalate(let d): d
        case .summonsLate(_, let d): d
        }
    }
}

/// The sweeper's rules as pure functions of a ticket, a clock reading and the city's policy.
public enum DeadlineSweep {
    /// Every step not yet taken, with the instant from which it is due.
    /// - Parameters:
    ///   - ticket: The ticket as stored.
    ///   - policy: The city's accountability rules.
    ///   - calendar: The business calendar (escalation may be counted in working days).
    /// - Returns: Pending steps with their trigger instants, in trigger order.
    public static func pending(_ ticket: Ticket, policy: AccountabilityPolicy, calendar: BusinessCalendar) -> [(at: Date, step: SweepStep)] {
        guard ticket.status.isOpenWork else { return [] }
        let marks = ticket.oversight.marks
        var out: [(Date, SweepStep)] = []
        func add(_ at: Date, _ step: SweepStep) {
            if marks[step.key] != step.due { out.append((at, step)) }
        }
        // "Passed" means strictly after the deadline instant; one millisecond is the store's resolution.
        let justAfter: (Date) -> Date = { Date(millisecondsSince1970: $0.millisecondsSince1970 + 1) }
        if ticket.status == .dispatched, let due = ticket.deadlines.accept { add(justAfter(due), .breach(.accept, due: due)) }
        if [.dispatched, .accepted, .reopened].contains(ticket.status), let due = ticket.deadlines.firstContact {
            add(justAfter(due), .breach(.firstContact, due: due))
        }
        if let due = ticket.deadlines.resolution {
            if case .hours(let h) = policy.remindBefore, h > 0 {
                // Never earlier than halfway through the assignment: a 24-hour urgent ticket is
                // urged after 12 hours, not the moment it arrives.
                var at = due.addingTimeInterval(-h * 3600)
                if let assigned = ticket.oversight.assignedAt, assigned < due {
                    at = max(at, assigned.addingTimeInterval(due.timeIntervalSince(assigned) / 2))
                }
                add(at, .remind(due: due))
            }
            add(justAfter(due), .breach(.resolution, due: due))
            add(justAfter(policy.escalateAfter.end(from: due, calendar: calendar)), .escalate(due: due))
        }
        for s in ticket.oversight.summons where s.acknowledgedAt == nil && !s.lateRecorded {
            add(justAfter(s.arriveBy), .summonsLate(unit: s.unit, arriveBy: s.arriveBy))
        }
        return out.sorted { $0.0 < $1.0 }
    }

    /// The steps due at `now`. A reminder whose deadline has already passed is dropped: the
    /// breach notice says more (its mark is still set, so it never comes later).
    public static func due(_ ticket: Ticket, at now: Date, policy: AccountabilityPolicy, calendar: BusinessCalendar) -> [SweepStep] {
        let steps = pending(ticket, policy: policy, calendar: calendar).filter { $0.at <= now }.map(\.step)
        let resolutionBreached = steps.contains { if case .breach(.resolution, _) = $0 { true } else { false } }
        return steps.filter { if case .remind = $0 { !resolutionBreached } else { true } }
    }

    /// The earliest instant at which ``due(_:at:policy:calendar:)`` returns something, or `nil`.
    public static func nextCheck(_ ticket: Ticket, policy: AccountabilityPolicy, calendar: BusinessCalendar) -> Date? {
        pending(ticket, policy: policy, calendar: calendar).first?.at
    }
}

import Foundation

/// The deadline sweeper's steps: reminder, breach notice, escalation, late summons.
extension Transition {
    /// Takes a sweeper step if it is still due; refuses otherwise, so a second sweeper that read
    /// the ticket before the first committed changes nothing.
    mutating func sweep(_ step: SweepStep) throws(TransitionError) -> EventDetail {
        guard DeadlineSweep.due(ticket, at: now, policy: context.accountability, calendar: context.policy.calendar).contains(step) else {
            throw Self.invalid("step", "\(step.key) is not due")
        }
        next.oversight.marks[step.key] = step.due
        switch step {
        case .remind(let due):
            return .urged(note: nil, unit: unit, reminderDue: due)
        case .breach(let name, let due):
            var queued = false
            if name == .resolution {
                next.oversight.marks[SweepStep.remind(due: due).key] = due
                if ticket.oversight.followUp == nil {
                    // Expired: the hotline asks the complainant whether anything happened.
                    next.oversight.followUp = FollowUp(since: now, reason: .expired)
                    queued = true
                }
            }
            return .overdue(deadline: name, due: due, followUpQueued: queued, unit: unit)
        case .escalate(let due):
            next.oversight.marks[SweepStep.remind(due: due).key] = due
            next.oversight.escalatedAt = now
            return .escalated(due: due, unit: unit)
        case .summonsLate(let summoned, let due):
            if let i = ticket.oversight.summons.lastIndex(where: { $0.unit == summoned && $0.acknowledgedAt == nil }) {
                next.oversight.summons[i].lateRecorded = true
            }
            return .summonsOverdue(summoned: summoned, due: due, unit: unit)
        }
    }
}

extension TicketStateMachine {
    /// What a sweeper pass does to one claimed ticket.
    public enum SweepOutcome: Sendable {
        /// The steps due now were taken: the ticket after them, their events, the steps.
        case stepped(Ticket, [TicketEvent], [SweepStep])
        /// Nothing was due after all (the rules changed, or an old row): look again then, never
        /// in the same pass (`nil`: nothing will ever be due).
        case recheck(at: Date?)
    }

    /// Takes every sweeper step due on `ticket` now, in order, through ``apply(_:to:context:)``.
    /// The store only claims the rows whose next look has come and writes what this returns.
    public static func sweep(_ ticket: Ticket, context: Context) -> SweepOutcome {
        var current = ticket
        var events: [TicketEvent] = []
        var taken: [SweepStep] = []
        for step in DeadlineSweep.due(ticket, at: context.now, policy: context.accountability, calendar: context.policy.calendar) {
            // A step refused as no longer due (an earlier step of this pass settled it) is skipped, never forced.
            guard let (next, event) = try? apply(.sweep(step), to: current, context: context) else { continue }
            current = next
            events.append(event)
            taken.append(step)
        }
        guard events.isEmpty else { return .stepped(current, events, taken) }
        let check = DeadlineSweep.nextCheck(ticket, policy: context.accountability, calendar: context.policy.calendar)
        return .recheck(at: check.map { $0 <= context.now ? context.now.addingTimeInterval(60) : $0 })
    }
}

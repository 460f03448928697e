import Foundation

/// A city as its rules see it: who it is, the zone its days are counted in, its business
/// calendar, deadlines, accountability and retention rules.
///
/// Built once per city (the server's ``CityDirectory``, the command line's settings) and handed to
/// everything that needs a date or a deadline, so that a city's ticket numbers, live counters,
/// deadlines and replays all read one calendar: the deadline policy's calendar always runs in the
/// city's own zone, whatever zone a shared policy was written in.
public struct City: Sendable, Identifiable {
    public let tenant: Tenant
    /// Deadlines by kind, urgency and category, on the city's business calendar.
    public let deadlines: DeadlinePolicy
    /// Reminders, escalation, summons, follow-up and assessment rules.
    public let accountability: AccountabilityPolicy
    /// How long contact data is kept after a ticket is finished.
    public let retention: RetentionPolicy
    /// Calendar days in the city's zone, the key of every daily counter.
    public let days: DayKeys

    public var id: String { tenant.id }
    public var name: String { tenant.name }
    public var timeZone: TimeZone { days.timeZone }
    public var calendar: BusinessCalendar { deadlines.calendar }

    public init(
        _ tenant: Tenant,
        deadlines: DeadlinePolicy = .standard(),
        accountability: AccountabilityPolicy = .standard,
        retention: RetentionPolicy = RetentionPolicy()
    ) {
        var deadlines = deadlines
        if deadlines.calendar.timeZone != tenant.timeZone { deadlines.calendar.timeZone = tenant.timeZone }
        self.tenant = tenant
        self.deadlines = deadlines
        self.accountability = accountability
        self.retention = retention
        self.days = DayKeys(identifier: tenant.timeZone)
    }

    /// What the state machine needs to act on one of the city's tickets at `now`.
    public func context(now: Date, actor: Actor) -> TicketStateMachine.Context {
        TicketStateMachine.Context(now: now, actor: actor, city: self)
    }
}

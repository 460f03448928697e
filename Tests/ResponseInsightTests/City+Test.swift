import ResponseCore

extension City {
    /// A city in its deadline calendar's zone, for tests that act on tickets by the rules alone.
    static func test(_ deadlines: DeadlinePolicy, accountability: AccountabilityPolicy = .standard) -> City {
        City(Tenant(id: "test", name: "Test City", timeZone: deadlines.calendar.timeZone), deadlines: deadlines, accountability: accountability)
    }
}

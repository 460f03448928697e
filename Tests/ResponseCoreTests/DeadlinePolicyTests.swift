import Foundation
import Testing
@testable import ResponseCore

@Suite("Deadlines and the business calendar")
struct DeadlinePolicyTests {
    static func date(_ text: String, _ tz: String = "Asia/Shanghai") -> Date {
        let f = DateFormatter()
        f.locale = Locale(identifier: "en_US_POSIX")
        f.timeZone = TimeZone(identifier: tz)
        f.dateFormat = "yyyy-MM-dd HH:mm"
        return f.date(from: text)!
    }

    let shanghai = BusinessCalendar(timeZone: "Asia/Shanghai")

    @Test func workingDaysSkipWeekends() {
        // Friday 2026-11-20 10:00 + 2 working days = Tuesday 2026-11-24 10:00.
        #expect(shanghai.adding(workingDays: 2, to: Self.date("2026-11-20 10:00")) == Self.date("2026-11-24 10:00"))
        // Filed on Saturday: the days that count start Monday.
        #expect(shanghai.adding(workingDays: 1, to: Self.date("2026-11-21 09:00")) == Self.date("2026-11-23 09:00"))
        #expect(shanghai.adding(workingDays: 0, to: Self.date("2026-11-21 09:00")) == Self.date("2026-11-21 09:00"))
    }

    @Test func holidaysAndSwappedWorkingWeekends() {
        // National Day week 2026: Oct 1–7 off; Sunday Sep 27 and Saturday Oct 10 are working days.
        var cal = shanghai
        cal.holidays = Set((1...7).map { String(format: "2026-10-%02d", $0) })
        cal.extraWorkingDays = ["2026-09-27", "2026-10-10"]
        #expect(cal.isWorkingDay(Self.date("2026-09-27 12:00")))
        #expect(!cal.isWorkingDay(Self.date("2026-10-05 12:00")))
        #expect(cal.isWorkingDay(Self.date("2026-10-10 12:00")))
        // Wednesday Sep 30 + 1 working day jumps the whole holiday to Thursday Oct 8.
        #expect(cal.adding(workingDays: 1, to: Self.date("2026-09-30 15:00")) == Self.date("2026-10-08 15:00"))
        // Oct 9 (Fri) + 1 = Oct 10 (the swapped Saturday).
        #expect(cal.adding(workingDays: 1, to: Self.date("2026-10-09 15:00")) == Self.date("2026-10-10 15:00"))
    }

    @Test func dayBoundaryIsLocal() {
        // 2026-11-20 23:30 in Shanghai is a Friday, 15:30 UTC; +1 working day is Monday 23:30 local.
        #expect(shanghai.adding(workingDays: 1, to: Self.date("2026-11-20 23:30")) == Self.date("2026-11-23 23:30"))
        // The same instant in a calendar on UTC is still Friday too, but in New York it is Friday morning.
        let ny = BusinessCalendar(timeZone: "America/New_York")
        #expect(ny.isWorkingDay(Self.date("2026-11-21 01:00")))  // Friday 12:00 in New York
        #expect(!shanghai.isWorkingDay(Self.date("2026-11-21 01:00")))  // Saturday in Shanghai
    }

    @Test func defaultsFollowDomainFacts() {
        let policy = DeadlinePolicy.standard(calendar: shanghai)
        let start = Self.date("2026-11-23 09:00")  // Monday
        let complaint = policy.deadlines(kind: .complaint, urgency: .normal, category: nil, start: start)
        #expect(complaint.accept == start.addingTimeInterval(2 * 3600))
        #expect(complaint.firstContact == start.addingTimeInterval(24 * 3600))
        #expect(complaint.resolution == Self.date("2026-12-14 09:00"))  // 15 working days
        let consultation = policy.deadlines(kind: .consultation, urgency: .normal, category: nil, start: start)
        #expect(consultation.resolution == Self.date("2026-11-25 09:00"))
        let help = policy.deadlines(kind: .help, urgency: .normal, category: nil, start: start)
        #expect(help.resolution == Self.date("2026-12-07 09:00"))
        let urgent = policy.deadlines(kind: .complaint, urgency: .urgent, category: nil, start: start)
        #expect(urgent.firstContact == start.addingTimeInterval(2 * 3600))
        #expect(urgent.resolution == start.addingTimeInterval(24 * 3600))
    }

    @Test func mostSpecificRuleWins() {
        var policy = DeadlinePolicy.standard()
        policy.rules.append(DeadlineRule(categoryPrefix: "03.02", accept: .hours(1), firstContact: .hours(1), resolution: .hours(24)))
        policy.rules.append(DeadlineRule(categoryPrefix: "03", accept: .hours(1.5), firstContact: .hours(3), resolution: .workingDays(3)))
        #expect(policy.rule(kind: .complaint, urgency: .normal, category: "03.02.07").resolution == .hours(24))
        #expect(policy.rule(kind: .complaint, urgency: .normal, category: "03.05").resolution == .workingDays(3))
        #expect(policy.rule(kind: .complaint, urgency: .normal, category: "030").resolution == .workingDays(15))
        #expect(policy.rule(kind: .complaint, urgency: .urgent, category: "01").resolution == .hours(24))
    }

    @Test func timeLimitText() throws {
        #expect(TimeLimit("2h") == .hours(2))
        #expect(TimeLimit("30m") == .hours(0.5))
        #expect(TimeLimit("15wd") == .workingDays(15))
        #expect(TimeLimit("soon") == nil)
        #expect(TimeLimit("-2h") == nil)
        let json = #"{"rules":[{"kinds":["complaint"],"accept":"2h","firstContact":"24h","resolution":"15wd"}],"returnWindow":"2h","calendar":{"timeZone":"UTC","weekendDays":[1,7],"holidays":["2026-12-25"],"extraWorkingDays":[]}}"#
        let policy = try JSONDecoder().decode(DeadlinePolicy.self, from: Data(json.utf8))
        #expect(policy.rules.first?.resolution == .workingDays(15))
        #expect(policy.calendar.holidays.contains("2026-12-25"))
        let again = try JSONDecoder().decode(DeadlinePolicy.self, from: JSONEncoder().encode(policy))
        #expect(again == policy)
    }

    @Test("a city's deadlines and days run in its own zone, whatever zone a shared policy was written in")
    func cityZone() {
        let shared = DeadlinePolicy.standard(calendar: BusinessCalendar(timeZone: "Asia/Shanghai", holidays: ["2026-08-03"]))
        let newYork = City(Tenant(id: "ny", name: "New York", timeZone: "America/New_York"), deadlines: shared)
        #expect(newYork.calendar.timeZone == "America/New_York")
        #expect(newYork.calendar.holidays == ["2026-08-03"], "only the zone is the city's; the rules stay the policy's")
        // Friday 2026-07-31 23:10 in New York is Saturday 1 August in Shanghai.
        let friday = Date(timeIntervalSince1970: 1_785_553_800)
        #expect(newYork.days.key(friday) == "2026-07-31")
        #expect(City(Tenant(id: "sh", name: "Shanghai", timeZone: "Asia/Shanghai"), deadlines: shared).days.key(friday) == "2026-08-01")
        let context = newYork.context(now: friday, actor: .system)
        #expect(context.policy.calendar.timeZone == "America/New_York" && context.city.id == "ny")
    }
}

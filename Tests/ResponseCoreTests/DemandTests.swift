import Foundation
import Testing
@testable import ResponseCore

@Suite("Demand aggregates: grid cells, day ranges, a ticket's facts")
struct DemandTests {
    @Test("a point's cell holds it, ids round-trip, and neighbouring cells are about 200 m apart")
    func gridCells() throws {
        for (lat, lon) in [(39.9042, 116.4074), (42.3504, -71.0867), (-33.86, 151.21), (64.1, -21.9)] {
            let cell = try #require(GridCell(latitude: lat, longitude: lon))
            #expect(GridCell(id: cell.id) == cell)
            let centre = cell.centre
            #expect(GridCell.distance(centre, (lat, lon)) < 150, "the centre is within half a diagonal")
            let east = GridCell(row: cell.row, column: cell.column + 1)
            let north = try #require(GridCell(latitude: centre.latitude + 0.0018, longitude: centre.longitude))
            #expect(north.row == cell.row + 1)
            let near = Set(cell.candidates(within: 300))
            #expect(near.contains(east) && near.contains(north) && near.contains(cell))
            #expect(abs(GridCell.distance(centre, east.centre) - 200) < 5)
            // The next row's columns have their own width: its cell may sit up to half a cell aside.
            #expect((195..<230).contains(GridCell.distance(centre, north.centre)))
        }
        #expect(GridCell(latitude: 91, longitude: 0) == nil)
        #expect(GridCell(latitude: .nan, longitude: 0) == nil)
    }

    @Test("day ranges: whole months apart from ragged ends, the period before, a year before")
    func dayRanges() {
        let r = DayRange(from: "2026-01-15", to: "2026-04-10")
        let (days, months) = r.split()
        #expect(days == [DayRange(from: "2026-01-15", to: "2026-02-01"), DayRange(from: "2026-04-01", to: "2026-04-10")])
        #expect(months?.from == "2026-02" && months?.to == "2026-04")
        #expect(DayRange(from: "2026-03-01", to: "2026-04-01").split().days.isEmpty)
        #expect(DayRange(from: "2026-03-01", to: "2026-04-01").split().months?.from == "2026-03")
        #expect(DayRange(from: "2026-03-05", to: "2026-03-20").split().months == nil)
        #expect(r.count == 85)
        #expect(DayRange(from: "2026-11-18", to: "2026-11-25").previous == DayRange(from: "2026-11-11", to: "2026-11-18"))
        #expect(DayRange(from: "2024-02-29", to: "2024-03-01").yearEarlier == DayRange(from: "2023-02-28", to: "2023-03-01"))
        #expect(DayRange.month(before: "2026-01") == "2025-12" && DayRange.month(before: "2026-03-15") == "2026-02")
        #expect(DayRange.month(before: "March") == nil)
        #expect(DayRange.key(number: DayRange.number("2026-12-31")! + 1) == "2027-01-01")
        #expect(DayRange.number("1970-01-01") == 0)
        #expect(DayRange.number("2026-02-30") == nil)
        #expect(!DayRange(from: "2026-03-05", to: "2026-03-05").isValid)
        #expect(DayRange.days(7, endingBefore: "2026-11-26") == DayRange(from: "2026-11-19", to: "2026-11-26"))
    }

    @Test("a ticket's facts: city day, cell, caller as a hash with a masked label, normalised address")
    func facts() {
        var ticket = Ticket(
            id: "x", tenantID: "t", number: "20261125-000001", kind: .complaint, channel: .phone, title: "t", description: "",
            categoryCode: "01.01", urgency: .normal,
            location: Location(latitude: 39.9, longitude: 116.4, address: " 12 Main St. ", districtCode: "cy", streetCode: "cy-01"),
            complainant: Complainant(name: "李四", phone: "139-1234-5678"), createdAt: Date(timeIntervalSince1970: 1_795_622_400) // 2026-11-25 16:00 UTC
        )
        let days = DayKeys(identifier: "Asia/Shanghai")
        let f = DemandFacts.of(ticket, days: days, callers: { "k\($0.count)" })
        #expect(f.day == "2026-11-26", "midnight has passed in Beijing")
        #expect(f.month == "2026-11")
        #expect(f.category == "01.01" && f.district == "cy" && f.street == "cy-01")
        #expect(f.cell == GridCell(latitude: 39.9, longitude: 116.4))
        #expect(f.callerLabel == "*******5678")
        #expect(f.caller != nil && !(f.caller ?? "").contains("1234"))
        #expect(f.address == "12 main st")
        ticket.location.address = "12 main  ST"
        #expect(DemandFacts.of(ticket, days: days, callers: { "k\($0.count)" }).address == f.address)
        ticket.complainant.anonymous = true
        ticket.location.address = nil
        let anonymous = DemandFacts.of(ticket, days: days, callers: { "k\($0.count)" })
        #expect(anonymous.caller == nil && anonymous.callerLabel == nil)
        #expect(anonymous.address == "@39.9000,116.4000")
        #expect(anonymous.sameKeys(as: f))
        ticket.categoryCode = "02"
        #expect(!DemandFacts.of(ticket, days: days, callers: { "k\($0.count)" }).sameKeys(as: f))
    }
}

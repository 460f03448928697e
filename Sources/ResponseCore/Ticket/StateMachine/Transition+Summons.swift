import Foundation

/// "The street blows the whistle, the departments report": summons, arrival, report, rating.
extension Transition {
    mutating func summon(_ units: [String], _ note: String?) throws(TransitionError) {
        guard !units.isEmpty else { throw Self.invalid("units", "name at least one unit to summon") }
        for (i, unit) in units.enumerated() {
            let field = "units[\(i)]"
            guard OrgUnit.isValidCode(unit) else { throw Self.invalid(field, "not a unit code") }
            if unit == ticket.leadUnit { throw Self.invalid(field, "the lead unit cannot summon itself") }
            if units[..<i].contains(unit) { throw Self.invalid(field, "named twice") }
            if ticket.oversight.openSummons(of: unit) != nil { throw Self.invalid(field, "\(unit) is already summoned") }
        }
        let arriveBy = context.accountability.arrivalLimit.end(from: now, calendar: context.policy.calendar)
        for unit in units {
            next.oversight.summons.append(Summons(unit: unit, summonedAt: now, arriveBy: arriveBy, note: note))
        }
        payload["units"] = units.joined(separator: ",")
        payload["arriveBy"] = Self.stamp(arriveBy)
        record(note: note)
        recordUnit()
    }

    mutating func acknowledgeSummons(_ unit: String) throws(TransitionError) {
        let i = try summonsIndex(unit)
        guard ticket.oversight.summons[i].acknowledgedAt == nil else { throw Self.invalid("unit", "\(unit) has already acknowledged") }
        next.oversight.summons[i].acknowledgedAt = now
        payload["onTime"] = String(now <= ticket.oversight.summons[i].arriveBy)
        payload["summoned"] = unit
        recordUnit()
    }

    mutating func reportSummons(_ unit: String, _ text: String) throws(TransitionError) {
        try Self.require(text, "text")
        let i = try summonsIndex(unit)
        if ticket.oversight.summons[i].acknowledgedAt == nil {
            // Reporting what it did shows the unit came: it counts as the acknowledgement.
            next.oversight.summons[i].acknowledgedAt = now
            payload["acknowledged"] = "true"
            payload["onTime"] = String(now <= ticket.oversight.summons[i].arriveBy)
        }
        next.oversight.summons[i].report = text
        next.oversight.summons[i].reportedAt = now
        payload["text"] = text
        payload["summoned"] = unit
        recordUnit()
    }

    mutating func rateSummons(_ unit: String, _ score: Int, _ note: String?) throws(TransitionError) {
        let i = try summonsIndex(unit)
        guard ticket.oversight.summons[i].reportedAt != nil else { throw Self.invalid("unit", "\(unit) has not reported yet; rate it after its report") }
        guard (1...5).contains(score) else { throw Self.invalid("score", "a whole number from 1 to 5") }
        next.oversight.summons[i].rating = score
        payload["score"] = String(score)
        payload["summoned"] = unit
        record(note: note)
        recordUnit()
    }

    func summonsIndex(_ unit: String) throws(TransitionError) -> Int {
        guard let i = ticket.oversight.openSummons(of: unit) else { throw Self.invalid("unit", "\(unit) has not been summoned to this ticket") }
        return i
    }
}

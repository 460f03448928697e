import Foundation

/// "The street blows the whistle, the departments report": summons, arrival, report, rating.
extension Transition {
    mutating func summon(_ units: [String], _ note: String?) throws(TransitionError) -> EventDetail {
        guard !units.isEmpty else { throw Self.invalid("units", "name at least one unit to summon") }
        for (i, summoned) in units.enumerated() {
            let field = "units[\(i)]"
            guard OrgUnit.isValidCode(summoned) else { throw Self.invalid(field, "not a unit code") }
            if summoned == unit { throw Self.invalid(field, "the lead unit cannot summon itself") }
            if units[..<i].contains(summoned) { throw Self.invalid(field, "named twice") }
            if ticket.oversight.openSummons(of: summoned) != nil { throw Self.invalid(field, "\(summoned) is already summoned") }
        }
        let arriveBy = context.accountability.arrivalLimit.end(from: now, calendar: context.policy.calendar)
        for summoned in units {
            next.oversight.summons.append(Summons(unit: summoned, summonedAt: now, arriveBy: arriveBy, note: note))
        }
        return .summoned(units: units, arriveBy: arriveBy, note: note, unit: unit)
    }

    mutating func acknowledgeSummons(_ summoned: String) throws(TransitionError) -> EventDetail {
        let i = try summonsIndex(summoned)
        guard ticket.oversight.summons[i].acknowledgedAt == nil else { throw Self.invalid("unit", "\(summoned) has already acknowledged") }
        next.oversight.summons[i].acknowledgedAt = now
        return .summonsAcknowledged(summoned: summoned, onTime: now <= ticket.oversight.summons[i].arriveBy, unit: unit)
    }

    mutating func reportSummons(_ summoned: String, _ text: String) throws(TransitionError) -> EventDetail {
        try Self.require(text, "text")
        let i = try summonsIndex(summoned)
        var onTime: Bool?
        let acknowledgedNow = ticket.oversight.summons[i].acknowledgedAt == nil
        if acknowledgedNow {
            // Reporting what it did shows the unit came: it counts as the acknowledgement.
            next.oversight.summons[i].acknowledgedAt = now
            onTime = now <= ticket.oversight.summons[i].arriveBy
        }
        next.oversight.summons[i].report = text
        next.oversight.summons[i].reportedAt = now
        return .summonsReported(summoned: summoned, text: text, acknowledgedNow: acknowledgedNow, onTime: onTime, unit: unit)
    }

    mutating func rateSummons(_ summoned: String, _ score: Int, _ note: String?) throws(TransitionError) -> EventDetail {
        let i = try summonsIndex(summoned)
        guard ticket.oversight.summons[i].reportedAt != nil else { throw Self.invalid("unit", "\(summoned) has not reported yet; rate it after its report") }
        guard (1...5).contains(score) else { throw Self.invalid("score", "a whole number from 1 to 5") }
        next.oversight.summons[i].rating = score
        return .summonsRated(summoned: summoned, score: score, note: note, unit: unit)
    }

    func summonsIndex(_ summoned: String) throws(TransitionError) -> Int {
        guard let i = ticket.oversight.openSummons(of: summoned) else { throw Self.invalid("unit", "\(summoned) has not been summoned to this ticket") }
        return i
    }
}

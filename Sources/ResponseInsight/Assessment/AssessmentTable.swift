import Foundation
import ResponseCore

/// The assessment as text: CSV for spreadsheets, HTML for the monthly report.
public enum AssessmentTable {
    static let levelTitles: [AssessmentLevel: String] = [
        .street: "Streets and townships · 街乡镇", .department: "Departments and companies · 委办局与公共服务企业", .district: "Districts · 区",
    ]

    /// One line per unit with every rate, the composite, rank, classes and change. Rates are
    /// percentages with one decimal; an empty cell means insufficient data.
    public static func csv(_ report: AssessmentReport) -> String {
        var lines = [
            "period,level,rank,ranked_of,unit,name,composite,response_rate,resolution_rate,satisfaction_rate,on_time_rate,return_rate,redo_rate,requests_per_10k,whistle_score,arrival_rate,assigned,rated,replied,not_evaluated,overdue,escalated,classes,previous_composite,change,insufficient_data"
        ]
        for u in report.units {
            let cells: [String] = [
                report.period.description, u.level.rawValue, u.rank.map(String.init) ?? "", u.rankedOf.map(String.init) ?? "", u.unit, u.name,
                number(u.composite), percent(u.responseRate), percent(u.resolutionRate), percent(u.satisfactionRate), percent(u.onTimeRate),
                percent(u.returnRate), percent(u.redoRate), number(u.requestsPer10k), number(u.whistleScore, digits: 2), percent(u.arrivalRate),
                String(u.counts[.assigned]), String(u.counts[.rated]), String(u.counts[.replied]), String(u.counts[.notEvaluated]),
                String(u.counts[.overdue]), String(u.counts[.escalated]), u.classes.map(\.rawValue).joined(separator: " "),
                number(u.previousComposite), number(u.change), u.insufficientData ? "true" : "false",
            ]
            lines.append(cells.map(CSVTable.field).joined(separator: ","))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A readable, self-contained monthly report: per level, every unit's rates and rank, the
    /// bottom list and the month-over-month change.
    public static func html(_ report: AssessmentReport, cityName: String, access: AccessSummary? = nil) -> String {
        var out = """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(cityName)) · 接诉即办月度考评 \(report.period) · Monthly assessment</title>
        <style>
        body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#111;max-width:80rem}
        table{border-collapse:collapse;width:100%;margin:1rem 0 2rem;font-size:.9rem}
        th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:right}
        th:nth-child(2),td:nth-child(2){text-align:left}
        caption{text-align:left;font-weight:600;padding:.5rem 0}
        .bad{color:#a40000}.good{color:#0b6b0b}.na{color:#666}
        </style></head><body>
        <h1>\(escape(cityName)) · 接诉即办月度考评 Monthly assessment \(report.period)</h1>
        <p>Rates: response (first contact within the limit), resolution (rated resolved), satisfaction (satisfied or basically satisfied).
        Composite = \(weights(report.settings)). Units with fewer than \(report.settings.minimumSample) tickets in a rate show “—” (insufficient data) and are not ranked.
        Change is against \(report.previousPeriod?.description ?? "the previous period").</p>

        """
        for level in AssessmentLevel.allCases {
            let rows = report.units.filter { $0.level == level }
            guard !rows.isEmpty else { continue }
            out += "<h2>\(levelTitles[level] ?? level.rawValue)</h2>\n"
            let bottom = report.bottom(level: level)
            if !bottom.isEmpty {
                out += "<p class=\"bad\">Rectification list · 整改: " + bottom.map { "\(escape($0.name)) (\(number($0.composite)))" }.joined(separator: ", ") + "</p>\n"
            }
            let priority = rows.filter { $0.classes.contains(.governancePriority) }
            if !priority.isEmpty {
                out += "<p>Governance priorities · 治理类重点: " + priority.map { "\(escape($0.name)) (\(number($0.requestsPer10k)) per 10,000)" }.joined(separator: ", ") + "</p>\n"
            }
            out += """
            <table><caption>\(rows.filter { $0.rank != nil }.count) ranked of \(rows.count)</caption>
            <thead><tr><th scope="col">Rank</th><th scope="col">Unit</th><th scope="col">Composite</th><th scope="col">Change</th><th scope="col">Response</th><th scope="col">Resolution</th><th scope="col">Satisfaction</th><th scope="col">On time</th><th scope="col">Returns</th><th scope="col">Redos</th><th scope="col">Per 10k</th><th scope="col">Whistle</th><th scope="col">Tickets</th><th scope="col">Classes</th></tr></thead><tbody>

            """
            for u in rows {
                let change = u.change.map { ($0 >= 0 ? "+" : "") + String(format: "%.1f", $0) } ?? "—"
                let changeClass = (u.change ?? 0) < 0 ? "bad" : "good"
                out += "<tr><td>\(u.rank.map(String.init) ?? "—")</td><td>\(escape(u.name)) <span class=\"na\">\(escape(u.unit))</span></td>"
                out += "<td>\(number(u.composite))</td><td class=\"\(u.change == nil ? "na" : changeClass)\">\(change)</td>"
                for r in [u.responseRate, u.resolutionRate, u.satisfactionRate, u.onTimeRate, u.returnRate, u.redoRate] { out += "<td>\(percent(r, dash: true))</td>" }
                out += "<td>\(number(u.requestsPer10k))</td><td>\(number(u.whistleScore, digits: 2))</td><td>\(u.counts[.assigned])</td>"
                out += "<td>\(u.classes.map(\.rawValue).joined(separator: " "))</td></tr>\n"
            }
            out += "</tbody></table>\n"
        }
        if let access { out += accessSection(access) }
        return out + "</body></html>\n"
    }

    /// Who saw complainants' contact data in the month (Art. 8, 35): disclosures by role and face,
    /// and the people who saw most.
    static func accessSection(_ a: AccessSummary) -> String {
        var out = "<h2>个人信息查看 · Access to contact data</h2>\n"
        out += "<p>\(a.records) disclosures of unmasked contact data from \(a.from) to \(a.to) (the day after the last), each in the access log.</p>\n"
        guard !a.lines.isEmpty else { return out }
        out += "<table><thead><tr><th scope=\"col\">Role</th><th scope=\"col\">Face</th><th scope=\"col\">Disclosures</th><th scope=\"col\">People</th><th scope=\"col\">Tickets</th></tr></thead><tbody>\n"
        for l in a.lines {
            out += "<tr><td>\(l.role.rawValue)</td><td>\(escape(l.route))</td><td>\(l.records)</td><td>\(l.people)</td><td>\(l.tickets)</td></tr>\n"
        }
        out += "</tbody></table>\n<table><caption>The people who saw most</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">Person</th><th scope=\"col\">Disclosures</th><th scope=\"col\">Tickets</th></tr></thead><tbody>\n"
        for (i, p) in a.topPeople.enumerated() {
            out += "<tr><td>\(i + 1)</td><td>\(escape(p.actor)) <span class=\"na\">\(p.role.rawValue)\(p.unit.map { " · " + escape($0) } ?? "")</span></td><td>\(p.records)</td><td>\(p.tickets)</td></tr>\n"
        }
        return out + "</tbody></table>\n"
    }

    static func weights(_ s: AssessmentSettings) -> String {
        let total = s.responseWeight + s.resolutionWeight + s.satisfactionWeight
        func w(_ x: Double) -> String { String(format: "%.0f%%", 100 * x / total) }
        return "\(w(s.responseWeight)) response + \(w(s.resolutionWeight)) resolution + \(w(s.satisfactionWeight)) satisfaction"
    }

    static func percent(_ rate: Double?, dash: Bool = false) -> String {
        guard let rate else { return dash ? "—" : "" }
        return String(format: "%.1f", rate * 100) + (dash ? "%" : "")
    }

    static func number(_ value: Double?, digits: Int = 1) -> String {
        guard let value else { return "" }
        return String(format: "%.\(digits)f", value)
    }

    static func escape(_ text: String) -> String { text.htmlEscaped }
}

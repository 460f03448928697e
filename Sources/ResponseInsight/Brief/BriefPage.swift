import Foundation
import ResponseCore
import ResponseStore

/// A brief as one printable HTML page, in Chinese and English like the monthly report.
public enum BriefPage {
    public static func html(_ brief: Brief) -> String {
        func e(_ s: String) -> String { s.htmlEscaped }
        func pct(_ x: Double?) -> String {
            guard let x else { return "new · 新" }
            return (x >= 0 ? "+" : "") + String(format: "%.0f %%", x * 100)
        }
        func change(_ now: Int, _ then: Int) -> String { then == 0 ? "—" : pct(Double(now - then) / Double(then)) }
        var lines: [String] = []
        let daily = brief.span == .day
        let (this, before) = daily ? ("today · 今日受理", "yesterday · 昨日") : ("this month · 本月受理", "last month · 上月")
        var volume = "<p class=\"lead\"><strong>\(brief.tickets)</strong> tickets \(this) \(brief.tickets) 件: \(change(brief.tickets, brief.previous)) against \(before) (\(brief.previous))"
        if let week = brief.sameDayLastWeek { volume += ", \(change(brief.tickets, week)) against the same day last week (\(week))" }
        volume += ", \(change(brief.tickets, brief.yearEarlier)) against a year before (\(brief.yearEarlier))"
        if let average = brief.weekAverage { volume += "; 7-day average \(String(format: "%.0f", average))" }
        lines.append(volume + ".</p>")
        if let top = brief.problems.first {
            lines.append("<p>Most frequent · 最高频: <strong>\(e(top.categoryName ?? top.category))</strong> (\(top.tickets), \(pct(top.change)) against \(before)).</p>")
        }
        lines.append("<p>\(brief.alerts.isEmpty ? "No volume spike · 无突发激增。" : "<strong class=\"bad\">\(brief.alerts.count) volume spike(s) · 突发激增 \(brief.alerts.count) 起</strong>: " + brief.alerts.prefix(3).map { "\(e($0.categoryName ?? $0.category)) in \(e($0.districtName ?? ($0.district.isEmpty ? "the whole city" : $0.district)))" }.joined(separator: "; ") + ".")</p>")
        if let worst = brief.overdue.first {
            lines.append("<p>Most overdue · 超期最多: <strong>\(e(worst.unitName ?? worst.unit))</strong>, \(worst.overdue) open tickets past their deadline.</p>")
        }
        var out = """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(brief.cityName)) · \(daily ? "每日简报 Daily brief" : "月度简报 Monthly brief") \(brief.period)</title>
        <style>
        body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#111;max-width:60rem}
        .lead{font-size:1.2rem}.bad{color:#a40000}.muted{color:#555}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.9rem}
        th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}
        h2{font-size:1.1rem;margin-top:1.5rem}
        </style></head><body>
        <h1>\(e(brief.cityName)) · \(daily ? "每日简报 Daily brief" : "月度简报 Monthly brief") · \(brief.period)</h1>
        \(lines.joined(separator: "\n"))

        """
        out += "<h2>Top problems · 高频问题</h2>\n"
        out += table(["Category · 类别", "Tickets · 件数", "Share · 占比", daily ? "Yesterday · 昨日" : "Last month · 上月", "Change · 变化"], brief.problems.map { p in
            [e(p.categoryName ?? (p.category.isEmpty ? "uncategorised · 未分类" : p.category)), "\(p.tickets)", String(format: "%.1f %%", p.share * 100), "\(p.previous)", pct(p.change)]
        })
        out += daily ? "<h2>New and growing hotspots (7 days) · 新增与扩大热点（7 天）</h2>\n" : "<h2>New and growing hotspots · 新增与扩大热点</h2>\n"
        out += table(["Category · 类别", "Tickets · 件数", daily ? "Week before · 前一周" : "Month before · 上月", "Unit · 责任单位", "Centre · 中心", "Radius · 半径"], brief.hotspots.map { h in
            [e(h.categoryName ?? h.category), "\(h.tickets)", "\(h.previous)", e(h.unitName ?? h.unit ?? "—"), String(format: "%.4f, %.4f", h.latitude, h.longitude), String(format: "%.0f m", h.radius)]
        })
        out += "<h2>Spike alerts · 突发激增预警</h2>\n"
        out += table(["Category · 类别", "Place · 区域", "Detected · 发现", "Tickets · 件数", "Expected · 预期", "Status · 状态"], brief.alerts.map { a in
            [e(a.categoryName ?? a.category), e(a.districtName ?? (a.district.isEmpty ? "whole city · 全市" : a.district)), e(isoMinute(a.detectedAt)),
             "\(a.observed) / \(a.windowMinutes) min", String(format: "%.1f", a.expected), a.status.rawValue]
        })
        out += "<h2>Topics of the month · 每月一题</h2>\n"
        out += table(["Theme · 主题", "Lead unit · 牵头单位", "Status · 状态", "Tasks done · 任务完成", "Outcome · 成效"], brief.topics.map { t in
            [e(t.title), e(t.leadUnit), t.status.rawValue, "\(t.tasks.filter(\.done).count)/\(t.tasks.count)", e(t.outcome ?? "—")]
        })
        out += "<h2>Most overdue units · 超期最多的单位</h2>\n"
        out += table(["Unit · 单位", "Overdue now · 当前超期"], brief.overdue.map { [e($0.unitName ?? $0.unit), "\($0.overdue)"] })
        out += "<p class=\"muted\">Generated \(e(isoMinute(brief.generatedAt))) UTC by SwiftResponse from the live demand aggregates.</p>\n</body></html>\n"
        return out
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        guard !rows.isEmpty else { return "<p class=\"muted\">None · 无</p>\n" }
        return "<table><thead><tr>" + header.map { "<th>\($0)</th>" }.joined() + "</tr></thead><tbody>\n"
            + rows.map { "<tr>" + $0.map { "<td>\($0)</td>" }.joined() + "</tr>" }.joined(separator: "\n") + "\n</tbody></table>\n"
    }

    static func isoMinute(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withSpaceBetweenDateAndTime]
        return String(f.string(from: date).prefix(16))
    }
}

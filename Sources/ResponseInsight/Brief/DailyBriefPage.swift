import Foundation
import ResponseCore
import ResponseStore

/// The daily brief as one printable HTML page, in Chinese and English like the monthly report.
public enum DailyBriefPage {
    public static func html(_ brief: DailyBrief) -> String {
        func e(_ s: String) -> String { s.htmlEscaped }
        func pct(_ x: Double?) -> String {
            guard let x else { return "new · 新" }
            return (x >= 0 ? "+" : "") + String(format: "%.0f %%", x * 100)
        }
        func change(_ now: Int, _ then: Int) -> String { then == 0 ? "—" : pct(Double(now - then) / Double(then)) }
        var lines: [String] = []
        lines.append("<p class=\"lead\"><strong>\(brief.tickets)</strong> tickets today · 今日受理 \(brief.tickets) 件: \(change(brief.tickets, brief.previousDay)) against yesterday (\(brief.previousDay)), \(change(brief.tickets, brief.sameDayLastWeek)) against the same day last week (\(brief.sameDayLastWeek)); 7-day average \(String(format: "%.0f", brief.weekAverage)).</p>")
        if let top = brief.problems.first {
            lines.append("<p>Most frequent · 最高频: <strong>\(e(top.categoryName ?? top.category))</strong> (\(top.tickets), \(pct(top.change)) against yesterday).</p>")
        }
        lines.append("<p>\(brief.alerts.isEmpty ? "No volume spike today · 今日无突发激增。" : "<strong class=\"bad\">\(brief.alerts.count) volume spike(s) · 突发激增 \(brief.alerts.count) 起</strong>: " + brief.alerts.prefix(3).map { "\(e($0.categoryName ?? $0.category)) in \(e($0.districtName ?? ($0.district.isEmpty ? "the whole city" : $0.district)))" }.joined(separator: "; ") + ".")</p>")
        if let worst = brief.overdue.first {
            lines.append("<p>Most overdue · 超期最多: <strong>\(e(worst.unitName ?? worst.unit))</strong>, \(worst.overdue) open tickets past their deadline.</p>")
        }
        var out = """
        <!doctype html>
        <html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(brief.cityName)) · 每日简报 Daily brief \(brief.day)</title>
        <style>
        body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;margin:2rem;color:#111;max-width:60rem}
        .lead{font-size:1.2rem}.bad{color:#a40000}.muted{color:#555}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1.5rem;font-size:.9rem}
        th,td{border-bottom:1px solid #ccc;padding:.3rem .5rem;text-align:right}th:first-child,td:first-child{text-align:left}
        h2{font-size:1.1rem;margin-top:1.5rem}
        </style></head><body>
        <h1>\(e(brief.cityName)) · 每日简报 Daily brief · \(brief.day)</h1>
        \(lines.joined(separator: "\n"))

        """
        out += "<h2>Top problems · 高频问题</h2>\n"
        out += table(["Category · 类别", "Tickets · 件数", "Share · 占比", "Yesterday · 昨日", "Change · 变化"], brief.problems.map { p in
            [e(p.categoryName ?? (p.category.isEmpty ? "uncategorised · 未分类" : p.category)), "\(p.tickets)", String(format: "%.1f %%", p.share * 100), "\(p.previous)", pct(p.change)]
        })
        out += "<h2>New and growing hotspots (7 days) · 新增与扩大热点（7 天）</h2>\n"
        out += table(["Category · 类别", "Tickets · 件数", "Week before · 前一周", "Unit · 责任单位", "Centre · 中心", "Radius · 半径"], brief.hotspots.map { h in
            [e(h.categoryName ?? h.category), "\(h.tickets)", "\(h.previous)", e(h.unitName ?? h.unit ?? "—"), String(format: "%.4f, %.4f", h.latitude, h.longitude), String(format: "%.0f m", h.radius)]
        })
        out += "<h2>Spike alerts · 突发激增预警</h2>\n"
        out += table(["Category · 类别", "Place · 区域", "Detected · 发现", "Tickets · 件数", "Expected · 预期", "Status · 状态"], brief.alerts.map { a in
            [e(a.categoryName ?? a.category), e(a.districtName ?? (a.district.isEmpty ? "whole city · 全市" : a.district)), e(isoMinute(a.detectedAt)),
             "\(a.observed) / \(a.windowMinutes) min", String(format: "%.1f", a.expected), a.status.rawValue]
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

import Foundation
import ResponseCore

/// The small, script-free pages behind a follow-up link (bilingual; the full portal is the console's).
enum FollowUpPage {
    static func form(_ t: Ticket, token: String, error: String?) -> String {
        let reply = t.reply.map { "<p><strong>答复 Reply:</strong> \(escape(Redactor.redact($0, name: t.complainant.name)))</p>" } ?? ""
        let err = error.map { "<p role=\"alert\" class=\"err\">\(escape($0))</p>" } ?? ""
        func radio(_ name: String, _ value: String, _ label: String) -> String {
            "<label><input type=\"radio\" name=\"\(name)\" value=\"\(value)\" required> \(label)</label>"
        }
        return page("评价您的诉求 · Rate your request", """
        <h1>评价您的诉求 · Rate your request \(escape(t.number))</h1>
        <p>\(escape(Redactor.redact(t.title, name: t.complainant.name)))</p>
        \(reply)\(err)
        <form method="post">
        <fieldset><legend>承办单位是否与您联系？Did the unit contact you?</legend>\(radio("contacted", "true", "是 Yes")) \(radio("contacted", "false", "否 No"))</fieldset>
        <fieldset><legend>问题是否已解决？Is the problem resolved?</legend>\(radio("resolved", "true", "已解决 Resolved")) \(radio("resolved", "false", "未解决 Not resolved"))</fieldset>
        <fieldset><legend>您是否满意？Are you satisfied?</legend>\(radio("satisfaction", "satisfied", "满意 Satisfied")) \(radio("satisfaction", "basically_satisfied", "基本满意 Basically satisfied")) \(radio("satisfaction", "dissatisfied", "不满意 Dissatisfied"))</fieldset>
        <p><label for="comment">意见 Comment</label><br><textarea id="comment" name="comment" rows="3" maxlength="2000"></textarea></p>
        <p><button type="submit">提交 Submit</button></p>
        </form>
        """)
    }

    static func thanks(_ t: Ticket) -> String {
        let redo = t.status == .reopened ? "<p>您的诉求已重新交办。Your request has gone back to the unit to be redone.</p>" : ""
        return page("感谢评价 · Thank you", "<h1>感谢您的评价 · Thank you</h1><p>诉求 \(escape(t.number))：\(escape(t.status.rawValue))</p>\(redo)")
    }

    static func message(_ text: String) -> String {
        page("12345", "<h1>12345</h1><p>\(escape(text))</p>")
    }

    static func page(_ title: String, _ body: String) -> String {
        """
        <!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(escape(title))</title>
        <style>body{font-family:system-ui,"Noto Sans CJK SC",sans-serif;max-width:40rem;margin:1.5rem auto;padding:0 1rem;color:#111;line-height:1.5}
        fieldset{margin:0 0 1rem;border:1px solid #888}label{display:inline-block;margin:.3rem 1rem .3rem 0}
        button{font-size:1rem;padding:.5rem 1.5rem}.err{color:#a40000}textarea{width:100%}</style></head>
        <body><main>\(body)</main></body></html>
        """
    }

    static func escape(_ text: String) -> String { text.htmlEscaped }
}

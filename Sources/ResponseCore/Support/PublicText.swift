import Foundation

/// Text written by or about a complainant, made fit for a public response: runs of seven or
/// more digits (phone and ID numbers) and e-mail addresses are replaced, and so is the
/// complainant's own name where it appears. Contact fields themselves are never published.
public enum PublicText {
    public static func redact(_ text: String, name: String?) -> String {
        var out = text
        if let name = name?.trimmingCharacters(in: .whitespaces), name.count >= 2 {
            out = out.replacingOccurrences(of: name, with: "[name]")
        }
        out = out.replacing(/[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}/, with: "[email]")
        // Seven or more digits, allowing the spaces and dashes people type inside phone numbers.
        out = out.replacing(/\+?\d(?:[ \-]?\d){6,}/, with: "[number]")
        return out
    }
}

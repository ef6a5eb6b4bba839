import Content
import Foundation
import HTTPServer

/// The editor's form: front-matter fields and the Markdown body, turned into a page source and back.
struct PageForm: Sendable, Equatable {
    var title = ""
    var slug = ""
    var kind = "offer"
    var lang = "nb"
    var audience = "all"
    var publishAt = ""
    var expireAt = ""
    var body = ""

    /// The front-matter keys in the order they are written, so an error's line names its field.
    static let fieldOrder = ["title", "slug", "kind", "lang", "audience", "publish_at", "expire_at"]

    init() {}

    init(_ form: URLEncodedForm) {
        func line(_ name: String) -> String {
            (form[name] ?? "").replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ").trimmingCharacters(
                in: .whitespaces)
        }
        title = line("title")
        slug = line("slug")
        kind = line("kind")
        lang = line("lang")
        audience = line("audience")
        // A date picker sends `2026-12-03T08:00`; front matter says `2026-12-03 08:00` (Oslo time).
        publishAt = Self.frontMatterValue(line("publish_at"))
        expireAt = Self.frontMatterValue(line("expire_at"))
        body = (form["body"] ?? "").replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// Reads the fields back out of a saved source (for editing, restoring, variants).
    init(source: String) {
        guard let frontMatter = try? FrontMatter.parse(source) else {
            body = source
            return
        }
        body = frontMatter.body
        for line in source.split(separator: "\n").dropFirst() {
            if line.trimmingCharacters(in: .whitespaces) == "---" { break }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            switch line[..<colon].trimmingCharacters(in: .whitespaces) {
            case "title": title = value.count >= 2 && value.first == "\"" && value.last == "\"" ? String(value.dropFirst().dropLast()) : value
            case "slug": slug = value
            case "kind": kind = value
            case "lang": lang = value
            case "audience": audience = value
            case "publish_at": publishAt = value
            case "expire_at": expireAt = value
            default: break
            }
        }
    }

    var source: String {
        let values = [title.contains(":") || title.hasPrefix("\"") ? "\"\(title)\"" : title, slug, kind, lang, audience, publishAt, expireAt]
        let lines = zip(Self.fieldOrder, values).map { "\($0): \($1)" }
        return (["---"] + lines + ["---"]).joined(separator: "\n") + "\n" + body
    }

    /// Where an error at `line` of `source` is in the form: a field's name, or the body's own line.
    static func location(ofLine line: Int) -> (field: String, bodyLine: Int?) {
        if (2...8).contains(line) { return (fieldOrder[line - 2], nil) }
        if line <= 1 { return ("title", nil) }
        return ("body", line - 9)
    }

    /// The audiences marketing picks from, by name; a page's own other value stays selectable as it is.
    static let audiences = ["all", "first-visit", "returning", "sms", "email", "digital", "personal"]

    /// A date picker's value (`2026-12-03T08:00`, exactly) as front matter writes it; anything else as typed.
    static func frontMatterValue(_ text: String) -> String {
        let bytes = Array(text.utf8)
        guard bytes.count == 16, bytes[10] == UInt8(ascii: "T") else { return text }
        return String(text.prefix(10)) + " " + String(text.suffix(5))
    }

    /// A front-matter time as a date picker's value (`2026-12-03T08:00`); a date alone starts at midnight.
    static func pickerValue(_ text: String) -> String {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return "" }
        let parts = trimmed.split(separator: " ", maxSplits: 1)
        if parts.count == 2, parts[1].count == 5 { return "\(parts[0])T\(parts[1])" }
        return parts.count == 1 && trimmed.count == 10 ? "\(trimmed)T00:00" : trimmed
    }

    /// Whether the page goes live later than `now` (then publishing schedules it).
    func isScheduled(now: Date = Date()) -> Bool {
        guard !publishAt.isEmpty, let date = (try? Page.parse(source))?.publishAt else { return false }
        return date > now
    }

    func context(label: (String) -> String, now: Date = Date()) -> [String: Any] {
        var audiences = Self.audiences
        if !audiences.contains(audience) { audiences.append(audience) }
        return [
            "title": title, "slug": slug, "audience": audience, "publishAt": Self.pickerValue(publishAt), "expireAt": Self.pickerValue(expireAt),
            // A value the picker cannot show (an ISO time with an offset) keeps a text field, so it is never lost.
            "publishAtType": Self.pickerValue(publishAt).count == 16 || publishAt.isEmpty ? "datetime-local" : "text",
            "expireAtType": Self.pickerValue(expireAt).count == 16 || expireAt.isEmpty ? "datetime-local" : "text",
            "body": body, "scheduled": isScheduled(now: now),
            "kindOptions": ["welcome", "offer"].map { ["value": $0, "label": label("editor_kind_" + $0), "selected": $0 == kind] },
            "langOptions": ["nb", "en"].map { ["value": $0, "label": label("editor_lang_" + $0), "selected": $0 == lang] },
            "audienceOptions": audiences.map { value -> [String: Any] in
                let key = "editor_audience_" + value
                let named = label(key)
                return ["value": value, "label": named == key ? value : named, "selected": value == audience]
            },
        ]
    }
}

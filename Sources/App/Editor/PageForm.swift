import Content
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
        publishAt = line("publish_at")
        expireAt = line("expire_at")
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

    var context: [String: Any] {
        [
            "title": title, "slug": slug, "audience": audience, "publishAt": publishAt, "expireAt": expireAt, "body": body,
            "kindOptions": ["welcome", "offer"].map { ["value": $0, "selected": $0 == kind] },
            "langOptions": ["nb", "en"].map { ["value": $0, "selected": $0 == lang] },
        ]
    }
}

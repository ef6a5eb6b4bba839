import Foundation

/// A welcome or offer page: its front matter, read and checked, and its Markdown body.
public struct Page: Sendable, Equatable {
    public var title: String
    public var slug: String
    public var kind: PageKind
    public var lang: Language
    public var audience: Audience
    public var publishAt: Date?
    public var expireAt: Date?
    /// The Markdown after the front matter.
    public var body: String

    public init(
        title: String, slug: String, kind: PageKind, lang: Language, audience: Audience = .all,
        publishAt: Date? = nil, expireAt: Date? = nil, body: String
    ) {
        self.title = title
        self.slug = slug
        self.kind = kind
        self.lang = lang
        self.audience = audience
        self.publishAt = publishAt
        self.expireAt = expireAt
        self.body = body
    }

    /// Reads a page from its source (front matter, then Markdown). Every problem is an error naming its line.
    public static func parse(_ source: String) throws(FrontMatterError) -> Page {
        let frontMatter = try FrontMatter.parse(source)
        let title = try frontMatter.required(.title)
        guard title.value.count <= 200 else {
            throw FrontMatterError(
                line: title.line, .invalidValue(key: "title", value: String(title.value.prefix(20)) + "…", expected: "at most 200 characters"))
        }
        let slug = try frontMatter.required(.slug)
        guard PageSlug.isValid(slug.value) else {
            throw FrontMatterError(line: slug.line, .invalidValue(key: "slug", value: slug.value, expected: "lower-case letters, digits and dashes"))
        }
        let kind = try frontMatter.required(.kind)
        guard let pageKind = PageKind(rawValue: kind.value) else {
            throw FrontMatterError(line: kind.line, .invalidValue(key: "kind", value: kind.value, expected: "welcome or offer"))
        }
        let lang = try frontMatter.required(.lang)
        guard let language = Language(rawValue: lang.value) else {
            throw FrontMatterError(line: lang.line, .invalidValue(key: "lang", value: lang.value, expected: "nb or en"))
        }
        var audience = Audience.all
        if let entry = frontMatter.optional(.audience) {
            guard let parsed = Audience(entry.value) else {
                throw FrontMatterError(
                    line: entry.line,
                    .invalidValue(key: "audience", value: entry.value, expected: "all, first-visit, returning or a consent id such as sms"))
            }
            audience = parsed
        }
        let publishAt = try date(frontMatter, .publishAt)
        let expireAt = try date(frontMatter, .expireAt)
        if let publishAt, let expireAt, expireAt <= publishAt {
            throw FrontMatterError(line: frontMatter.optional(.expireAt)!.line, .expiresBeforePublish)
        }
        try checkPlaceholders(in: frontMatter.body, firstLine: frontMatter.bodyLine)
        return Page(
            title: title.value, slug: slug.value, kind: pageKind, lang: language, audience: audience,
            publishAt: publishAt, expireAt: expireAt, body: frontMatter.body)
    }

    /// Whether the page is shown at `time`: from `publish_at` (inclusive) until `expire_at` (exclusive).
    public func isVisible(at time: Date) -> Bool {
        if let publishAt, time < publishAt { return false }
        if let expireAt, time >= expireAt { return false }
        return true
    }

    private static func date(_ frontMatter: FrontMatter, _ key: FrontMatter.Key) throws(FrontMatterError) -> Date? {
        guard let entry = frontMatter.optional(key) else { return nil }
        guard let date = PublishDate.parse(entry.value) else {
            throw FrontMatterError(
                line: entry.line, .invalidValue(key: key.rawValue, value: entry.value, expected: "a date such as 2026-12-01 or 2026-12-01 08:00"))
        }
        return date
    }

    /// A `{{name}}` that is not a placeholder would reach customers as literal braces: refuse it.
    private static func checkPlaceholders(in body: String, firstLine: Int) throws(FrontMatterError) {
        for (offset, line) in body.lines.enumerated() {
            let bytes = Array(line.utf8)
            var index = 0
            while index + 1 < bytes.count {
                if let found = PlaceholderSyntax.name(in: bytes, at: index) {
                    guard Placeholder(rawValue: found.name) != nil else {
                        throw FrontMatterError(line: firstLine + offset, .unknownPlaceholder(found.name))
                    }
                    index = found.end
                } else {
                    index += 1
                }
            }
        }
    }
}

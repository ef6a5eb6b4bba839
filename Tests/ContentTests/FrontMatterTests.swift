import Content
import Foundation
import Testing

@Suite("Pages: front matter and publish windows")
struct FrontMatterTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func fixture(_ name: String) throws -> String {
        try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
    }

    static func source(_ frontMatter: String, body: String = "Body") -> String {
        "---\n\(frontMatter)\n---\n\(body)"
    }

    @Test("a valid page reads every key; dates without an offset are Oslo time")
    func valid() throws {
        let page = try Page.parse(try Self.fixture("offer-valid.md"))
        #expect(page.title == "Julegrøt: gratis i desember")
        #expect(page.slug == "christmas-porridge")
        #expect(page.kind == .offer)
        #expect(page.lang == .nb)
        #expect(page.audience == .consent("sms"))
        #expect(page.publishAt == ISO8601DateFormatter().date(from: "2026-11-30T23:00:00Z"))
        #expect(page.expireAt == ISO8601DateFormatter().date(from: "2026-12-24T17:00:00Z"))
        #expect(page.body == "Hei {{given_name}}! **Gratis grøt** hele desember.\n")
    }

    @Test("an unknown key is an error naming its line")
    func unknownKey() throws {
        let error = try #require(throws: FrontMatterError.self) { try Page.parse(try Self.fixture("offer-unknown-key.md")) }
        #expect(error == FrontMatterError(line: 6, .unknownKey("colour")))
        #expect(error.description.hasPrefix("line 6: unknown key “colour”"))
    }

    @Test(
        "each bad front matter is refused with its line",
        arguments: [
            ("title: T\nslug: s\nkind: offer", FrontMatterError(line: 1, .missingKey("lang"))),
            ("title: T\ntitle: U\nslug: s\nkind: offer\nlang: nb", FrontMatterError(line: 3, .duplicateKey("title"))),
            (
                "title: T\nslug: s\nkind: banner\nlang: nb",
                FrontMatterError(line: 4, .invalidValue(key: "kind", value: "banner", expected: "welcome or offer"))
            ),
            ("title: T\nslug: s\nkind: offer\nlang: sv", FrontMatterError(line: 5, .invalidValue(key: "lang", value: "sv", expected: "nb or en"))),
            (
                "title: T\nslug: Not A Slug\nkind: offer\nlang: nb",
                FrontMatterError(line: 3, .invalidValue(key: "slug", value: "Not A Slug", expected: "lower-case letters, digits and dashes"))
            ),
            ("title:\nslug: s\nkind: offer\nlang: nb", FrontMatterError(line: 2, .emptyValue("title"))),
            ("title T\nslug: s", FrontMatterError(line: 2, .notKeyValue)),
            (
                "title: T\nslug: s\nkind: offer\nlang: nb\naudience: Everyone!",
                FrontMatterError(
                    line: 6, .invalidValue(key: "audience", value: "Everyone!", expected: "all, first-visit, returning or a consent id such as sms"))
            ),
            (
                "title: T\nslug: s\nkind: offer\nlang: nb\npublish_at: 2026-02-30",
                FrontMatterError(
                    line: 6, .invalidValue(key: "publish_at", value: "2026-02-30", expected: "a date such as 2026-12-01 or 2026-12-01 08:00"))
            ),
            (
                "title: T\nslug: s\nkind: offer\nlang: nb\npublish_at: next week",
                FrontMatterError(
                    line: 6, .invalidValue(key: "publish_at", value: "next week", expected: "a date such as 2026-12-01 or 2026-12-01 08:00"))
            ),
            (
                "title: T\nslug: s\nkind: offer\nlang: nb\npublish_at: 2026-12-02\nexpire_at: 2026-12-01",
                FrontMatterError(line: 7, .expiresBeforePublish)
            ),
        ])
    func refused(frontMatter: String, expected: FrontMatterError) {
        #expect(throws: expected) { try Page.parse(Self.source(frontMatter)) }
    }

    @Test("a page without fences is refused")
    func fences() {
        #expect(throws: FrontMatterError(line: 1, .missingOpeningFence)) { try Page.parse("title: T\n\nBody") }
        #expect(throws: FrontMatterError(line: 3, .missingClosingFence)) { try Page.parse("---\ntitle: T\nslug: s") }
    }

    @Test("an unknown placeholder in the body is refused with its line")
    func unknownPlaceholder() {
        let source = Self.source("title: T\nslug: s\nkind: offer\nlang: nb", body: "Line one\nHei {{given_name}} og {{phone}}")
        #expect(throws: FrontMatterError(line: 8, .unknownPlaceholder("phone"))) { try Page.parse(source) }
    }

    @Test("Windows line endings and quoted values are read")
    func crlf() throws {
        let page = try Page.parse("---\r\ntitle: 'Hei: du'\r\nslug: s\r\nkind: welcome\r\nlang: en\r\n---\r\nBody")
        #expect(page.title == "Hei: du")
        #expect(page.kind == .welcome)
        #expect(page.audience == .all)
    }

    @Test("a page is visible from publish_at until, not including, expire_at")
    func publishWindow() throws {
        let page = try Page.parse(
            Self.source("title: T\nslug: s\nkind: offer\nlang: nb\npublish_at: 2026-12-01T10:00:00Z\nexpire_at: 2026-12-02T10:00:00Z"))
        let publish = try #require(page.publishAt)
        let expire = try #require(page.expireAt)
        #expect(!page.isVisible(at: publish.addingTimeInterval(-1)))
        #expect(page.isVisible(at: publish))
        #expect(page.isVisible(at: expire.addingTimeInterval(-1)))
        #expect(!page.isVisible(at: expire))
    }

    @Test("the seed pages all parse")
    func seedPages() throws {
        let folder = URL(fileURLWithPath: TemplatesFolder.path).appendingPathComponent("seed")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".md") }
        #expect(files.count == 8)
        let pages = try files.map { try Page.parse(String(contentsOf: folder.appendingPathComponent($0), encoding: .utf8)) }
        #expect(Set(pages.map(\.lang)) == [.nb, .en])
        #expect(pages.filter { $0.kind == .welcome }.count == 4)
    }
}

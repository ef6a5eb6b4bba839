import Content
import Foundation
import Testing

@Suite("Choosing pages for a visitor")
struct PageCatalogTests {
    private func catalog(_ pages: [Page]) -> PageCatalog {
        let catalog = PageCatalog()
        catalog.replace(with: pages.enumerated().map { (Int64($0.offset + 1), $0.element) })
        return catalog
    }

    private func welcome(_ slug: String, _ lang: Language, _ audience: Audience) -> Page {
        Page(title: slug, slug: slug, kind: .welcome, lang: lang, audience: audience, body: slug)
    }

    @Test("the most specific welcome page for the visitor wins, in their language")
    func welcomeChoice() {
        let catalog = catalog([
            welcome("all", .nb, .all), welcome("first", .nb, .firstVisit), welcome("back", .nb, .returning),
            welcome("sms", .nb, .consent("sms")), welcome("first-en", .en, .firstVisit),
        ])
        #expect(catalog.welcome(for: .anonymous, in: .nb)?.page.slug == "first")
        #expect(catalog.welcome(for: Visitor(isFirstVisit: false), in: .nb)?.page.slug == "back")
        #expect(catalog.welcome(for: Visitor(isFirstVisit: false, consents: ["sms"]), in: .nb)?.page.slug == "sms")
        #expect(catalog.welcome(for: .anonymous, in: .en)?.page.slug == "first-en")
        #expect(catalog.welcome(for: Visitor(isFirstVisit: false), in: .en)?.page.slug == "back", "no English page: fall back")
    }

    @Test("offers outside their publish window are hidden, listed and by slug")
    func offerWindows() {
        let now = Date()
        let catalog = catalog([
            Page(title: "Now", slug: "now", kind: .offer, lang: .nb, body: "a"),
            Page(title: "Later", slug: "later", kind: .offer, lang: .nb, publishAt: now.addingTimeInterval(3600), body: "b"),
            Page(title: "Over", slug: "over", kind: .offer, lang: .nb, expireAt: now.addingTimeInterval(-1), body: "c"),
            Page(title: "SMS", slug: "sms", kind: .offer, lang: .nb, audience: .consent("sms"), body: "d"),
        ])
        #expect(catalog.offers(for: .anonymous, in: .nb, at: now).map(\.page.slug) == ["now"])
        #expect(catalog.offers(for: Visitor(consents: ["sms"]), in: .nb, at: now).map(\.page.slug).sorted() == ["now", "sms"])
        #expect(catalog.offer(slug: "later", in: .nb, at: now) == nil)
        #expect(catalog.offer(slug: "later", in: .nb, at: now.addingTimeInterval(7200))?.page.title == "Later")
        #expect(catalog.offer(slug: "over", in: .nb, at: now) == nil)
        #expect(catalog.offer(slug: "now", in: .en, at: now)?.page.lang == .nb, "a page only in nb is shown in nb")
    }

    @Test("a revision is rendered once and reused when the set is replaced")
    func renderedOnce() {
        let catalog = PageCatalog()
        let page = Page(title: "T", slug: "t", kind: .offer, lang: .nb, body: "**bold**")
        catalog.replace(with: [(7, page)])
        #expect(catalog.all.first?.html.render([:]) == "<p><strong>bold</strong></p>\n")
        catalog.replace(with: [(7, page), (8, Page(title: "U", slug: "u", kind: .offer, lang: .nb, body: "u"))])
        #expect(catalog.all.map(\.revisionID) == [7, 8])
    }
}

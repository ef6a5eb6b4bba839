import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("Customer pages: welcome, offers, languages, publish windows")
struct CustomerPagesTests {
    /// GET `path` with extra header lines; returns the response.
    func get(_ app: TestApp, _ path: String, _ headers: String = "") async throws -> RawClient.Response {
        let client = try RawClient(port: app.port)
        client.send("GET \(path) HTTP/1.1\r\nHost: t\r\n\(headers)Connection: close\r\n\r\n")
        return try await client.readResponse()
    }

    @Test("the welcome page speaks Norwegian by default and offers an anonymous visitor the way in, with no stray placeholders")
    func welcomeNorwegian() async throws {
        try await TestApp.with { app in
            let response = try await get(app, "/welcome")
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/html; charset=utf-8")
            #expect(response.text.contains("<html lang=\"nb\">"))
            #expect(response.text.contains("<h1>Velkommen til kundeklubben</h1>"))
            #expect(response.text.contains("Logg inn med"))
            #expect(!response.text.contains("{{"))
            #expect(response.header("Content-Language") == "nb")
        }
    }

    @Test("Accept-Language picks English; ?lang= switches and is remembered in a cookie")
    func languages() async throws {
        try await TestApp.with { app in
            let english = try await get(app, "/welcome", "Accept-Language: en-GB,en;q=0.9\r\n")
            #expect(english.text.contains("<html lang=\"en\">"))
            #expect(english.text.contains("Welcome to the customer club"))

            let switched = try await get(app, "/welcome?lang=en", "Accept-Language: nb\r\n")
            #expect(switched.text.contains("<html lang=\"en\">"))
            let cookie = try #require(switched.header("Set-Cookie"))
            #expect(cookie.hasPrefix("lang=en;"))
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"))

            let remembered = try await get(app, "/offers", "Accept-Language: nb\r\nCookie: lang=en\r\n")
            #expect(remembered.text.contains("<h1>Offers</h1>"))
            let ignored = try await get(app, "/welcome?lang=xx", "Cookie: lang=zz\r\n")
            #expect(ignored.text.contains("<html lang=\"nb\">"), "unknown languages fall back to Norwegian")
        }
    }

    @Test("the offer list shows what the visitor may see; an offer has its own page")
    func offers() async throws {
        try await TestApp.with { app in
            let list = try await get(app, "/offers")
            #expect(list.status == 200)
            #expect(list.text.contains("href=\"/offers/coffee\""))
            #expect(!list.text.contains("sms-bonus"), "an SMS-consent offer is not listed for anonymous visitors")
            let offer = try await get(app, "/offers/coffee", "Accept-Language: en\r\n")
            #expect(offer.status == 200)
            #expect(offer.text.contains("<h1>Coffee and a bun for 39 kroner</h1>"))
            #expect(offer.text.contains("<strong>coffee and a cinnamon bun for NOK 39</strong>"))
        }
    }

    @Test("an unknown offer gets a 404 page in the visitor's language")
    func unknownOffer() async throws {
        try await TestApp.with { app in
            let english = try await get(app, "/offers/no-such-offer", "Accept-Language: en\r\n")
            #expect(english.status == 404)
            #expect(english.text.contains("<html lang=\"en\">"))
            #expect(english.text.contains("Page not found"))
            let norwegian = try await get(app, "/nowhere")
            #expect(norwegian.status == 404)
            #expect(norwegian.text.contains("Fant ikke siden"))
        }
    }

    @Test("a wrong method gets a 405 page with Allow")
    func wrongMethod() async throws {
        try await TestApp.with { app in
            let client = try RawClient(port: app.port)
            client.send("DELETE /welcome HTTP/1.1\r\nHost: t\r\nAccept-Language: en\r\n\r\n")
            let response = try await client.readResponse()
            #expect(response.status == 405)
            #expect(response.header("Allow")?.contains("GET") == true)
            #expect(response.text.contains("That does not work"))
        }
    }

    @Test("offers outside their publish window are neither listed nor shown")
    func publishWindows() async throws {
        try await TestApp.with { app in
            let future = "---\ntitle: Snart\nslug: soon\nkind: offer\nlang: nb\npublish_at: 2099-01-01\n---\nKommer."
            let past = "---\ntitle: Over\nslug: gone\nkind: offer\nlang: nb\nexpire_at: 2001-01-01\n---\nFerdig."
            let open = "---\ntitle: Åpen\nslug: open-now\nkind: offer\nlang: nb\npublish_at: 2001-01-01\nexpire_at: 2099-01-01\n---\nNå."
            for source in [future, past, open] { _ = try await app.app.pages.save(source: source, author: "test", publish: true) }
            let list = try await get(app, "/offers")
            #expect(list.text.contains("/offers/open-now"))
            #expect(!list.text.contains("/offers/soon"))
            #expect(!list.text.contains("/offers/gone"))
            #expect(try await get(app, "/offers/soon").status == 404)
            #expect(try await get(app, "/offers/gone").status == 404)
            let shown = try await get(app, "/offers/open-now")
            #expect(shown.status == 200)
            #expect(shown.text.contains("Gjelder til 31. desember 2098"))
        }
    }

    @Test("script in a page's Markdown never reaches the visitor")
    func markdownSafety() async throws {
        try await TestApp.with { app in
            let source = "---\ntitle: Hack\nslug: hack\nkind: offer\nlang: nb\n---\n<script>alert(1)</script>\n\n[klikk](javascript:alert(1))"
            _ = try await app.app.pages.save(source: source, author: "test", publish: true)
            let page = try await get(app, "/offers/hack")
            #expect(page.status == 200)
            #expect(!page.text.contains("<script"))
            #expect(!page.text.contains("javascript:"))
        }
    }

    @Test("the seed is loaded into an empty database once; a restart keeps what marketing changed")
    func seeding() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("velkommen-seed-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let configuration = TestApp.configuration(folder: folder)
        let first = try await VelkommenApp.start(configuration)
        #expect(try await first.pages.store.pageCount() == 8)
        _ = try await first.pages.save(source: "---\ntitle: Ny kaffe\nslug: coffee\nkind: offer\nlang: nb\n---\nNy.", author: "m", publish: true)
        let second = try await VelkommenApp.start(configuration)
        #expect(try await second.pages.store.pageCount() == 8)
        #expect(second.pages.catalog.offer(slug: "coffee", in: .nb)?.page.title == "Ny kaffe")
    }

    @Test("every page has one h1 before any h2, a lang attribute and a main landmark")
    func accessibleStructure() async throws {
        try await TestApp.with { app in
            for path in ["/welcome", "/offers", "/offers/coffee", "/missing"] {
                let html = try await get(app, path).text
                let h1 = try #require(html.range(of: "<h1"), "\(path) has no h1")
                #expect(html.components(separatedBy: "<h1").count == 2, "\(path) has one h1")
                if let h2 = html.range(of: "<h2") { #expect(h1.lowerBound < h2.lowerBound, "\(path): h2 before h1") }
                #expect(html.contains("<main id=\"main\">"))
                #expect(html.contains("<html lang=\""))
            }
        }
    }
}

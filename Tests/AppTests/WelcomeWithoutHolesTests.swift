import Content
import Foundation
import TestSupport
import Testing

@testable import App

@Suite("A welcome that never renders a hole", .serialized)
struct WelcomeWithoutHolesTests {
    static let seedFolder = TestApp.repository.appendingPathComponent("Templates/seed").path

    static var seedPages: [Page] {
        get throws {
            try FileManager.default.contentsOfDirectory(atPath: seedFolder).filter { $0.hasSuffix(".md") }.sorted().map { name in
                try Page.parse(String(contentsOfFile: seedFolder + "/" + name, encoding: .utf8))
            }
        }
    }

    @Test("every seed page renders without an empty placeholder for every persona it is shown to")
    func seedPages() throws {
        let pages = try Self.seedPages
        #expect(pages.count >= 8)
        for page in pages {
            #expect(Persona.holes(in: page).isEmpty, "\(page.slug).\(page.lang): \(Persona.holes(in: page))")
            let html = RenderedPage(revisionID: 0, page: page).html
            for persona in Persona.all where persona.sees(page) {
                let text = html.render(persona.values)
                #expect(!text.contains(", !") && !text.contains(" i .") && !text.contains(" at ."), "\(page.slug) for \(persona.id): \(text)")
            }
        }
    }

    @Test("an anonymous visitor gets the way in, never a greeting with a hole")
    func anonymous() async throws {
        try await OnboardingHarness.with { harness in
            for path in ["/welcome", "/welcome?lang=en"] {
                let page = try await Browser(port: harness.app.port).get(path).text
                #expect(page.contains("href=\"/login\"") && page.contains("vipps-login"))
                #expect(!page.contains(", !") && !page.contains("ble med"))
            }
        }
    }

    @Test("a returning member reads the store's display name, or the fallback when it has none")
    func storeNames() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            for _ in 0..<2 {
                let (_, authReqID) = try await harness.startLogin()
                _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            }
            let page = try await browser.get("/welcome").text
            #expect(page.contains("klare til deg i Oslo sentrum"), "oslo-1 by its name")
            try await harness.app.app.database.write { try $0.execute("UPDATE members SET first_store = 'kiosk-9'") }
            harness.app.app.signedInCache.forget(sub: "c06c4afe-d9e1-4c5d-939a-177d752a0944")
            let unnamed = try await browser.get("/welcome").text
            #expect(unnamed.contains("klare til deg i butikken vår") && !unnamed.contains("kiosk"))
        }
    }

    @Test("the editor saves a page with a hole but says which placeholder, and how to give it a fallback")
    func editorWarns() async throws {
        try await OnboardingHarness.with { harness in
            let marketing = try await harness.staff("marketing", msisdn: "4798765432")
            let edit = try await marketing.get("/admin/pages/edit")
            let csrf = try #require(Browser.hidden("csrf", in: edit.text))
            let saved = try await marketing.post(
                "/admin/pages/save",
                form: [
                    ("csrf", csrf), ("title", "Hei"), ("slug", "hei"), ("kind", "offer"), ("lang", "nb"), ("audience", "all"),
                    ("body", "Hei {{given_name}}, velkommen til {{store|butikken}}!"), ("action", "draft"),
                ])
            #expect(saved.status == 303)
            let location = try #require(saved.header("Location"))
            #expect(location.contains("holes=given_name") && !location.contains("store"))
            let history = try await marketing.get(location).text
            #expect(history.contains("{{given_name}}") && history.contains("{{given_name|du}}"))
        }
    }
}

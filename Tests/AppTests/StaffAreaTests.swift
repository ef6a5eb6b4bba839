import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("Staff area: login, roles, audit, the content editor", .serialized)
struct StaffAreaTests {
    static let staffPhones = ["admin": "4712345678", "marketing": "4798765432", "merchant": "4741111111", "pos": "4791234567"]

    @Test("every staff route checks the role on the server")
    func roles() async throws {
        try await OnboardingHarness.with { harness in
            let routes: [(String, Set<String>)] = [
                ("/admin", ["admin", "marketing", "merchant", "pos"]), ("/admin/staff", ["admin"]), ("/admin/audit", ["admin"]),
                ("/admin/pages", ["admin", "marketing"]), ("/admin/pages/edit", ["admin", "marketing"]),
                ("/admin/pages/history?slug=coffee&lang=nb", ["admin", "marketing"]), ("/admin/questions", ["admin", "marketing"]),
                ("/admin/stats", ["admin", "merchant"]), ("/admin/stats.csv", ["admin", "merchant"]),
                ("/admin/stats/members.csv?consent=sms", ["admin"]), ("/pos", ["admin", "pos"]),
            ]
            for (role, phone) in Self.staffPhones {
                let browser = try await harness.staff(role, msisdn: phone)
                for (path, allowed) in routes {
                    let response = try await browser.get(path)
                    // The till answers other roles with its API-key form rather than a 403: nothing of the till is shown.
                    let refused = path == "/pos" ? response.text.contains("name=\"key\"") : response.status == 403
                    #expect(allowed.contains(role) ? response.status == 200 && !refused : refused, "\(role) on \(path): \(response.status)")
                }
                // Every staff form carries the CSRF token: a POST without it changes nothing.
                for path in ["/admin/staff", "/admin/pages/save", "/admin/pages/restore", "/admin/pages/unpublish", "/admin/questions"] {
                    let response = try await browser.post(path, form: [("id", "x")])
                    #expect(response.status == 403, "\(role) POST \(path) without CSRF: \(response.status)")
                }
            }
            let anonymous = Browser(port: harness.app.port)
            #expect(try await anonymous.get("/admin/pages").header("Location") == "/admin/login")
        }
    }

    @Test("someone who is not staff cannot log in; the staff session is not a member session")
    func notStaff() async throws {
        try await OnboardingHarness.with { harness in
            let outsider = try await harness.staff(nil, msisdn: "4791234567")
            #expect(outsider.lastResponse?.text.contains("Du står ikke på ansattlisten") == true)
            #expect(outsider.cookies["velkommen_staff"] == nil)
            let member = try await harness.staff("admin", msisdn: "4712345678")
            #expect(member.cookies["velkommen_session"] == nil)
            #expect(try await member.get("/me").status == 303, "staff are not logged in as members")
        }
    }

    @Test("admins add staff with CSRF, and every change is in the audit log")
    func staffAndAudit() async throws {
        try await OnboardingHarness.with { harness in
            let admin = try await harness.staff("admin", msisdn: "4712345678")
            let page = try await admin.get("/admin/staff")
            let csrf = try #require(Browser.hidden("csrf", in: page.text))
            #expect(try await admin.post("/admin/staff", form: [("phone", "41234567"), ("role", "merchant")]).status == 403)
            #expect(try await admin.post("/admin/staff", form: [("csrf", csrf), ("phone", "123"), ("role", "merchant")]).status == 422)
            #expect(try await admin.post("/admin/staff", form: [("csrf", csrf), ("phone", "41234567"), ("role", "merchant")]).status == 303)
            let audit = try await admin.get("/admin/audit")
            #expect(audit.text.contains("staff.add"))
            #expect(audit.text.contains("4741234567 as merchant"))
            #expect(audit.text.contains("login"))
        }
    }

    @Test("the editor saves drafts and publishes revisions, keeps history, diffs, restores and unpublishes")
    func editor() async throws {
        try await OnboardingHarness.with { harness in
            let editor = try await harness.staff("marketing", msisdn: "4798765432")
            let form = try await editor.get("/admin/pages/edit?slug=coffee&lang=nb")
            let csrf = try #require(Browser.hidden("csrf", in: form.text))
            #expect(form.text.contains("Kaffe og bolle for 39 kroner"))
            func fields(_ title: String, body: String, action: String) -> [(String, String)] {
                [
                    ("csrf", csrf), ("title", title), ("slug", "coffee"), ("kind", "offer"), ("lang", "nb"), ("audience", "all"),
                    ("publish_at", ""), ("expire_at", ""), ("body", body), ("action", action),
                ]
            }
            #expect(try await editor.post("/admin/pages/save", form: fields("Kaffe for 29", body: "Billigere nå.", action: "draft")).status == 303)
            let customer = Browser(port: harness.app.port)
            #expect(try await customer.get("/offers/coffee").text.contains("Kaffe og bolle for 39 kroner"), "a draft is not live")
            #expect(
                try await editor.post("/admin/pages/save", form: fields("Kaffe for 29", body: "Billigere nå, {{given_name}}.", action: "publish"))
                    .status == 303)
            #expect(try await customer.get("/offers/coffee").text.contains("Kaffe for 29"), "published at once")

            let history = try await editor.get("/admin/pages/history?slug=coffee&lang=nb")
            let ids = history.text.components(separatedBy: "name=\"revision\" value=\"").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
            #expect(ids.count == 3)
            let diff = try await editor.get("/admin/pages/diff?from=\(ids[1])&to=\(ids[0])")
            #expect(diff.text.contains("diff-removed\">− Billigere nå."))
            #expect(diff.text.contains("diff-added\">+ Billigere nå, {{given_name}}."))

            #expect(
                try await editor.post("/admin/pages/restore", form: [("csrf", csrf), ("revision", String(ids[2])), ("publish", "yes")]).status == 303)
            #expect(try await customer.get("/offers/coffee").text.contains("Kaffe og bolle for 39 kroner"), "restored and live again")
            #expect(try await editor.post("/admin/pages/unpublish", form: [("csrf", csrf), ("slug", "coffee"), ("lang", "nb")]).status == 303)
            #expect(try await customer.get("/offers/coffee").status == 200, "the English variant is still there")
            let list = try await editor.get("/admin/pages")
            #expect(list.text.contains("<td>utkast</td>"), "the unpublished page shows as a draft, in Norwegian")
        }
    }

    @Test("a bad front matter or placeholder is shown at its line and the input is kept")
    func editorErrors() async throws {
        try await OnboardingHarness.with { harness in
            let editor = try await harness.staff("marketing", msisdn: "4798765432")
            let csrf = try #require(Browser.hidden("csrf", in: try await editor.get("/admin/pages/edit").text))
            let badDate = try await editor.post(
                "/admin/pages/save",
                form: [
                    ("csrf", csrf), ("title", "Jul"), ("slug", "jul"), ("kind", "offer"),
                    ("lang", "nb"), ("audience", "all"), ("publish_at", "i morgen"), ("body", "Tekst"), ("action", "draft"),
                ])
            #expect(badDate.status == 422)
            #expect(badDate.text.contains("publish_at (linje 7): «i morgen» er ingen dato"), "in the marketer's language, at its line")
            #expect(badDate.text.contains("value=\"i morgen\""), "what was typed is kept")
            let badPlaceholder = try await editor.post(
                "/admin/pages/save",
                form: [
                    ("csrf", csrf), ("title", "Jul"), ("slug", "jul"), ("kind", "offer"),
                    ("lang", "nb"), ("audience", "all"), ("body", "Hei\n{{telefon}}"), ("action", "publish"),
                ])
            #expect(badPlaceholder.text.contains("tekstlinje 2: ukjent plassholder {{telefon}}"))
            let pages = try await harness.app.app.pages.store.pageCount()
            #expect(pages == 8, "nothing was saved")
        }
    }

    @Test("the preview renders the page as the customer sees it, for the chosen persona")
    func preview() async throws {
        try await OnboardingHarness.with { harness in
            let editor = try await harness.staff("marketing", msisdn: "4798765432")
            let csrf = try #require(Browser.hidden("csrf", in: try await editor.get("/admin/pages/edit").text))
            let fields: [(String, String)] = [
                ("csrf", csrf), ("title", "Hei"), ("slug", "hei"), ("kind", "welcome"), ("lang", "en"),
                ("audience", "first-visit"), ("body", "Welcome, {{given_name}}!"), ("action", "preview"),
            ]
            let named = try await editor.post("/admin/pages/save", form: fields + [("persona", "first")])
            #expect(named.text.contains("<html lang=\"en\">"))
            #expect(named.text.contains("<h1>Hi, Ada!</h1>"))
            #expect(named.text.contains("Welcome, Ada!"))
            #expect(named.header("X-Velkommen-Preview-Shown") == "yes")
            let anonymous = try await editor.post("/admin/pages/save", form: fields + [("persona", "anonymous")])
            #expect(anonymous.text.contains("<h1>Welcome!</h1>"))
            let returning = try await editor.post("/admin/pages/save", form: fields + [("persona", "sms")])
            #expect(returning.header("X-Velkommen-Preview-Shown") == "no", "a first-visit page is not shown to a returning member")
            #expect(try await harness.app.app.pages.store.pageCount() == 8, "a preview saves nothing")
            #expect(named.header("X-Frame-Options") == "SAMEORIGIN", "framed beside the text, by our own pages only")
            #expect(named.header("Content-Security-Policy")?.contains("frame-ancestors 'self'") == true)
            #expect(named.text.contains("class=\"preview-banner\""))
        }
    }

    @Test("marketing picks named choices and dates, sees 'Planlegg', gets a confirmation, and the list says when")
    func editorForPeople() async throws {
        try await OnboardingHarness.with { harness in
            let editor = try await harness.staff("marketing", msisdn: "4798765432")
            let form = try await editor.get("/admin/pages/edit?slug=coffee&lang=nb")
            #expect(form.text.contains(#"<option value="first-visit">Nye medlemmer (første besøk)</option>"#))
            #expect(form.text.contains(#"<option value="sms">Har sagt ja til SMS</option>"#))
            #expect(form.text.contains(#"<option value="offer" selected>Tilbud</option>"#))
            #expect(form.text.contains(#"name="publish_at" type="datetime-local""#))
            #expect(form.text.contains(#"formtarget="preview-frame""#) && form.text.contains(#"<iframe name="preview-frame""#))
            let csrf = try #require(Browser.hidden("csrf", in: form.text))
            let year = Calendar(identifier: .gregorian).component(.year, from: Date()) + 1
            let fields: [(String, String)] = [
                ("csrf", csrf), ("title", "Julekaffe"), ("slug", "julekaffe"), ("kind", "offer"), ("lang", "nb"), ("audience", "sms"),
                ("publish_at", "\(year)-12-03T08:00"), ("expire_at", ""), ("body", "Kaffe hele desember."),
            ]
            let again = try await editor.post("/admin/pages/save", form: fields + [("action", "draft")])
            #expect(again.status == 303)
            let redisplay = try await editor.get("/admin/pages/edit?slug=julekaffe&lang=nb")
            #expect(redisplay.text.contains(#"value="\#(year)-12-03T08:00""#), "the date comes back into the picker")
            #expect(redisplay.text.contains(">Planlegg</button>"), "a start in the future schedules")
            let saved = try await editor.post("/admin/pages/save", form: fields + [("action", "publish")])
            let history = try await editor.get(try #require(saved.header("Location")))
            #expect(history.text.contains("role=\"status\">Siden er planlagt og vises fra 3. des. kl. 08.00."), "\(history.text)")
            #expect(history.text.contains("(planlagt 3. des. kl. 08.00)"), "the history says when, not 'publisert'")
            let list = try await editor.get("/admin/pages")
            #expect(list.text.contains("<td>planlagt 3. des. kl. 08.00</td>") && list.text.contains("<td>Har sagt ja til SMS</td>"))
            let ids = history.text.components(separatedBy: "name=\"revision\" value=\"").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
            let unchanged = try await editor.get("/admin/pages/diff?from=\(ids[1])&to=\(ids[0])")
            #expect(unchanged.text.contains("Ingen endringer"), "publishing the same text changes nothing")
            let restored = try await editor.post("/admin/pages/restore", form: [("csrf", csrf), ("revision", String(ids[1]))])
            #expect(try await editor.get(try #require(restored.header("Location"))).text.contains("gjenopprettet"))
        }
    }
}

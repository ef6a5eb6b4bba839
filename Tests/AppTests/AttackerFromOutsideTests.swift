import Foundation
import Storage
import TestSupport
import Testing

@testable import App

/// The second security round: what an attacker from outside got through before (issue 13). Each test
/// failed on the code before its fix.
@Suite("Attacker from outside: free text, forged webhooks, shared codes, silent switches, cross-site forms", .serialized)
struct AttackerFromOutsideTests {
    static let ada = "c06c4afe-d9e1-4c5d-939a-177d752a0944"

    /// Signs `browser` in as the simulator's user `msisdn` through a login from the till.
    static func signIn(_ browser: Browser, _ harness: OnboardingHarness, phone: String = "12345678", msisdn: String = "4712345678") async throws {
        let (_, authReqID) = try await harness.startLogin(phone: phone)
        let landed = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(msisdn: msisdn, authReqID: authReqID))")
        #expect(landed.status == 303)
    }

    static func count(_ sql: String, _ harness: OnboardingHarness) async throws -> Int {
        try await harness.app.app.database.read { try $0.scalar(sql, as: Int.self) } ?? 0
    }

    // MARK: 1. Free text in statistics

    @Test("statistics count free-text answers only as answered, and merge small choice values into other")
    func freeTextNeverInStatistics() async throws {
        try await OnboardingHarness.with { harness in
            try await StatsPageTests.seed(harness.app.app.database)
            let day = Date(timeIntervalSince1970: 1_794_312_000)
            try await harness.app.app.database.write { database in
                for index in 0..<9 {
                    try database.execute(
                        "INSERT INTO answers (member_sub, question, value, answered_at) VALUES (?, 'wish', ?, ?)",
                        ["m\(index)", index == 0 ? "Nut allergy - EpiPen in left pocket" : "none \(index)", day])
                    try database.execute(
                        "INSERT INTO answers (member_sub, question, value, answered_at) VALUES (?, 'favourite_store', ?, ?)",
                        ["m\(index)", index < 6 ? "oslo-1" : index < 8 ? "bergen-1" : "online", day])
                    try database.execute(
                        "INSERT INTO answers (member_sub, question, value, answered_at) VALUES (?, 'postcode', ?, ?)",
                        ["m\(index)", "0\(150 + index)", day])
                }
            }
            let merchant = try await harness.staff("merchant", msisdn: "4741111111")
            let page = try await merchant.get("/admin/stats?from=2026-11-01&to=2026-11-30").text
            let csv = try await merchant.get("/admin/stats.csv?from=2026-11-01&to=2026-11-30").text
            for text in [page, csv] {
                #expect(!text.contains("EpiPen") && !text.contains("none 3"), "free text is never shown")
                #expect(!text.contains("0153"), "postcodes are not counted by value")
                #expect(!text.contains("bergen-1</td><td>&lt; 5") && !text.contains("favourite_store;bergen-1"), "small values are merged")
            }
            #expect(csv.contains("answer;wish;answered;9\r\n"))
            #expect(csv.contains("answer;favourite_store;oslo-1;6\r\n"))
            #expect(csv.contains("answer;favourite_store;other;< 5\r\n"))
        }
    }

    // MARK: 2. The unsigned CONSENT_REVOKED webhook

    static func forgedToken(sub: String, extra: String = "") -> String {
        func encode(_ text: String) -> String {
            Data(text.utf8).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
        return encode(#"{"alg":"none","typ":"JWT"}"#) + "." + encode(#"{"sub":"\#(sub)","event":"CONSENT_REVOKED"\#(extra)}"#) + "."
    }

    @Test("a forged CONSENT_REVOKED keeps no text, collapses repeats, ignores unknown ids and members, and is rate-limited")
    func forgedWebhook() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            try await Self.signIn(browser, harness)
            let before = try await Self.count("SELECT count(*) FROM consent_receipts", harness)
            let unknown = try await Browser(port: harness.app.port).postJSON(
                "/webhooks/vipps/consent-revoked",
                json: Self.forgedToken(sub: "nobody-we-know"), bearer: nil)
            #expect(unknown.status == 204)
            #expect(try await Self.count("SELECT count(*) FROM consent_receipts", harness) == before, "an unknown member writes nothing")
            let injected =
                #","consents":[{"id":"sms","accepted":false,"textDisplayedToUser":"INJECTED consent text"},{"id":"made-up","accepted":false}]"#
            let attacker = Browser(port: harness.app.port)
            var statuses: [Int] = []
            for _ in 0..<40 {
                statuses.append(
                    try await attacker.postJSON(
                        "/webhooks/vipps/consent-revoked", json: Self.forgedToken(sub: Self.ada, extra: injected), bearer: nil
                    ).status)
            }
            #expect(statuses.first == 204)
            #expect(statuses.contains(429), "one client is rate-limited")
            let added = try await Self.count("SELECT count(*) FROM consent_receipts", harness) - before
            #expect(added == 1, "repeats within the hour collapse into one receipt, not \(added)")
            let payload =
                try await harness.app.app.database.read {
                    try $0.scalar("SELECT payload FROM consent_receipts WHERE source = 'webhook'", as: String.self)
                } ?? ""
            #expect(!payload.contains("INJECTED") && !payload.contains("made-up"), "only known consent ids, never text: \(payload)")
            #expect(payload.count < 200)
            let page = try await browser.get("/me").text
            #expect(!page.contains("INJECTED"), "the consent text shown is the one given in Vipps")
            let big = String(repeating: "a", count: 9000)
            let oversized = try await Browser(port: harness.app.port).postJSON("/webhooks/vipps/consent-revoked", json: big, bearer: nil)
            #expect(oversized.status == 413)
        }
    }

    // MARK: 3. One code, two browsers

    @Test("two browsers opening the same callback at once: exactly one lands, the others get the used-link page")
    func oneCodeTwoBrowsers() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID)
            let browsers = (0..<4).map { _ in Browser(port: harness.app.port) }
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for browser in browsers { group.addTask { try await browser.get("/callback?code=\(code)").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.sorted() == [303, 400, 400, 400], "\(statuses)")
            #expect(browsers.filter { $0.cookies["velkommen_session"] != nil }.count == 1)
            #expect(try await Self.count("SELECT count(*) FROM sessions", harness) == 1)
        }
    }

    // MARK: 4. Signing a victim in as someone else

    @Test("a browser signed in as A that opens B's callback is asked first, and switches only on a POST with the token")
    func noSilentSwitch() async throws {
        try await OnboardingHarness.with { harness in
            let victim = Browser(port: harness.app.port)
            try await Self.signIn(victim, harness)
            let session = victim.cookies["velkommen_session"]
            let (_, authReqID) = try await harness.startLogin(phone: "98765432")
            let code = try await harness.confirmOnPhone(msisdn: "4798765432", authReqID: authReqID)
            let asked = try await victim.get("/callback?code=\(code)")
            #expect(asked.status == 200)
            #expect(asked.text.contains("Ada") && asked.text.contains("Per"), "names both members")
            #expect(victim.cookies["velkommen_session"] == session, "still signed in as A")
            #expect(try await victim.get("/me").text.contains("Ada Lovelace"))
            let token = try #require(Browser.hidden("csrf", in: asked.text))
            #expect(try await victim.post("/callback/switch", form: [("csrf", "wrong")]).status == 403)
            #expect(try await victim.get("/me").text.contains("Ada Lovelace"), "a wrong token switches nothing")
            let switched = try await victim.post("/callback/switch", form: [("csrf", token)])
            #expect(switched.status == 303)
            let page = try await victim.get("/me").text
            #expect(page.contains("Per Hansen") && !page.contains("Ada"))
            #expect(try await victim.post("/callback/switch", form: [("csrf", token)]).status == 400, "once only")
        }
    }

    // MARK: 5. Logout by any site

    @Test("GET /logout only shows a button; POST /logout needs the session's token")
    func logoutIsAPost() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            try await Self.signIn(browser, harness)
            let shown = try await browser.get("/logout")
            #expect(shown.status == 200)
            #expect(shown.text.contains("action=\"/logout\""))
            #expect(try await browser.get("/me").status == 200, "a GET ends nothing")
            #expect(try await browser.post("/logout", form: [("csrf", "forged")]).status == 403)
            #expect(try await browser.get("/me").status == 200)
            let token = try #require(Browser.hidden("csrf", in: shown.text))
            let out = try await browser.post("/logout", form: [("csrf", token)])
            #expect(out.status == 303)
            #expect(try await browser.get("/me").status == 303, "signed out")
        }
    }

    // MARK: 6. The till's key

    @Test("POST /pos/key without the page's token changes nothing")
    func tillKeyNeedsToken() async throws {
        try await OnboardingHarness.with { harness in
            let till = Browser(port: harness.app.port)
            let forged = try await till.post("/pos/key", form: [("key", harness.apiKey)])
            #expect(forged.status == 403)
            #expect(till.cookies["velkommen_pos"] == nil)
            let page = try await till.get("/pos")
            let token = try #require(Browser.hidden("csrf", in: page.text))
            let saved = try await till.post("/pos/key", form: [("csrf", token), ("key", harness.apiKey)])
            #expect(saved.status == 303)
            #expect(till.cookies["velkommen_pos"] != nil)
        }
    }

    // MARK: 7. Anonymous GET /login

    @Test("anonymous GET /login writes nothing to the database, and its callback still lands")
    func anonymousLoginWritesNothing() async throws {
        try await OnboardingHarness.with(app: { $0.trustedProxies = [IPNetworkFixture.loopback] }) { harness in
            let rows = "SELECT (SELECT count(*) FROM browser_logins) + (SELECT count(*) FROM sessions)"
            // From 50 addresses: one client's login starts are rate-limited (VippsWorkLimitsTests).
            for index in 0..<50 {
                let anonymous = Browser(port: harness.app.port)
                anonymous.extraHeaders = ["X-Forwarded-For": "198.51.100.\(index + 1)"]
                #expect(try await anonymous.get("/login").status == 302)
            }
            #expect(try await Self.count(rows, harness) == 0)
            let staff = try await harness.staff("merchant", msisdn: "4741111111")
            #expect(try await staff.get("/admin/stats").status == 200, "the browser flow still works end to end")
        }
    }

    // MARK: 8. Cross-site POSTs

    @Test("a POST from another site is refused even with a valid token; the Vipps webhook and the POS API are not")
    func crossSitePostsRefused() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            try await Self.signIn(browser, harness)
            let form = try await browser.get("/preferences")
            let token = try #require(Browser.hidden("csrf", in: form.text))
            for headers in [["Origin": "https://evil.example"], ["Sec-Fetch-Site": "cross-site"], ["Origin": "null"]] {
                browser.extraHeaders = headers
                let refused = try await browser.post("/preferences", form: [("csrf", token), ("postcode", "0150"), ("has_children", "no")])
                #expect(refused.status == 403, "\(headers)")
            }
            #expect(try await Self.count("SELECT count(*) FROM answers", harness) == 0)
            browser.extraHeaders = ["Origin": "http://127.0.0.1", "Sec-Fetch-Site": "same-origin"]
            #expect(try await browser.post("/preferences", form: [("csrf", token), ("postcode", "0150"), ("has_children", "no")]).status == 303)
            let api = Browser(port: harness.app.port)
            api.extraHeaders = ["Origin": "https://pos.example", "Sec-Fetch-Site": "cross-site"]
            #expect(try await api.postJSON("/api/v1/logins", json: #"{"phone": "98765432"}"#, bearer: harness.apiKey).status == 201)
        }
    }

    // MARK: 9. CSV

    @Test(
        "CSV cells starting with a formula character, TAB or CR are defused",
        arguments: ["=1+1", "+1", "-1", "@SUM(A1)", "\tcmd", "\rcmd", "\r\ncmd"])
    func csvCells(_ value: String) {
        #expect(StatsPage.csvField(value).hasPrefix("'") || StatsPage.csvField(value).hasPrefix("\"'"), "\(value.debugDescription)")
    }
}

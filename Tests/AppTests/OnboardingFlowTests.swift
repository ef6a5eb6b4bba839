import Foundation
import Storage
import TestSupport
import Testing
import VippsSimulator

@testable import App

// Serialized: each test runs two servers, a database and the simulator; in parallel they compete for
// two cores and the slowest would pass its time limits on a loaded CI machine.
@Suite("Onboarding end to end: till, phone, callback, greeting, preferences, my data", .serialized)
struct OnboardingFlowTests {
    @Test("the whole flow, from the POS API to erasure")
    func wholeFlow() async throws {
        try await OnboardingHarness.with { harness in
            let (id, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID, consents: ["sms", "email"])

            let browser = Browser(port: harness.app.port)
            let landing = try await browser.get("/callback?code=\(code)")
            #expect(landing.status == 303)
            #expect(landing.header("Location") == "/welcome")
            #expect(landing.header("Referrer-Policy") == "no-referrer")
            let cookie = try #require(landing.headers.first { $0.name == "Set-Cookie" }?.value)
            #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Max-Age=2592000"))

            let welcome = try await browser.get("/welcome")
            #expect(welcome.text.contains("<h1>Hei, Ada!</h1>"))
            #expect(welcome.text.contains("Så hyggelig at du ble med, Ada!"))
            let api = Browser(port: harness.app.port)
            let status = api.json(try await api.getJSON("/api/v1/logins/\(id)", bearer: harness.apiKey))
            #expect(status["status"] as? String == "landed")
            #expect(status["phoneMismatch"] as? Bool == false)

            let form = try await browser.get("/preferences")
            let csrf = try #require(Browser.hidden("csrf", in: form.text))
            #expect(form.text.contains("Hvilken butikk handler du oftest i?"))
            #expect(!form.text.contains("Postnummer"), "Vipps gave the address, so the postcode is not asked")
            let saved = try await browser.post(
                "/preferences",
                form: [
                    ("csrf", csrf), ("asked", "favourite_store"), ("asked", "interests"),
                    ("asked", "wish"), ("favourite_store", "oslo-1"),
                    ("interests", "coffee"), ("interests", "events"), ("wish", "nøtter"),
                ])
            #expect(saved.status == 303)
            let completed = api.json(try await api.getJSON("/api/v1/logins/\(id)", bearer: harness.apiKey))
            #expect(completed["status"] as? String == "completed")

            let me = try await browser.get("/me")
            #expect(me.text.contains("Ada Lovelace"))
            #expect(me.text.contains("Receive offers via SMS"))
            #expect(me.text.contains("Hva vil du høre mer om?: <strong>Kaffe, Arrangementer</strong>"), "labels, not ids")
            let export = try await browser.get("/me/export")
            #expect(export.header("Content-Disposition")?.contains("attachment") == true)
            let exported = browser.json(export)
            #expect((exported["answers"] as? [[String: Any]])?.count == 3)
            #expect((exported["consentReceipts"] as? [[String: Any]])?.count == 1)

            let meCSRF = try #require(Browser.hidden("csrf", in: me.text))
            let deleted = try await browser.post("/me/delete", form: [("csrf", meCSRF), ("confirm", "yes")])
            #expect(deleted.text.contains("Dataene dine er slettet"))
            let afterwards = try await browser.get("/me")
            #expect(afterwards.status == 303, "the session ended with the member")
            let left = try await harness.app.app.database.read { database in
                (
                    try database.scalar("SELECT count(*) FROM members", as: Int.self),
                    try database.scalar("SELECT count(*) FROM answers", as: Int.self),
                    try database.scalar("SELECT count(*) FROM consent_receipts WHERE member_sub IS NULL", as: Int.self)
                )
            }
            #expect(left.0 == 0 && left.1 == 0 && left.2 == 1, "profile and answers erased, the consent receipt kept without identity")
        }
    }

    @Test("arrivals at once share one exchange and one of them lands; a reload there lands again; the used code elsewhere lands nobody")
    func replay() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID)
            // Four arrivals at once (a double tap, a link preview): one exchange, one session.
            let browsers = (0..<4).map { _ in Browser(port: harness.app.port) }
            let arrivals = try await withThrowingTaskGroup(of: Int.self) { group in
                for browser in browsers { group.addTask { try await browser.get("/callback?code=\(code)").status } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(arrivals.sorted() == [303, 400, 400, 400])
            let phone = try #require(browsers.first { $0.cookies["velkommen_session"] != nil })
            let reloaded = try await phone.get("/callback?code=\(code)")
            let greeted = try await phone.get("/welcome")
            #expect(reloaded.status == 303)
            #expect(reloaded.header("Set-Cookie") == nil, "a reload keeps the session it has")
            #expect(greeted.text.contains("Hei, Ada!"))
            let copied = try await Browser(port: harness.app.port).get("/callback?code=\(code)")
            #expect(copied.status == 400)
            #expect(copied.text.contains("Lenken er brukt opp eller utløpt"))
            let members = try await harness.app.app.database.read { try $0.scalar("SELECT login_count FROM members", as: Int.self) }
            #expect(members == 1, "one exchange, one login")
        }
    }

    @Test("a cancelled login shows the you-cancelled page; an unknown code the expired one")
    func failures() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            let cancelled = try await browser.get("/callback?error=access_denied&error_description=user%20cancelled")
            #expect(cancelled.text.contains("Du avbrøt innloggingen"))
            browser.acceptLanguage = "en"
            let unknown = try await browser.get("/callback?code=made-up")
            #expect(unknown.status == 400)
            #expect(unknown.text.contains("This link has been used or has expired"))
            let other = try await browser.get("/callback?error=something_new")
            #expect(other.text.contains("The login did not work"))
        }
    }

    @Test("an expired code gets the friendly page")
    func expiredCode() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID)
            await harness.simulator.advanceClock(by: 301)
            let response = try await Browser(port: harness.app.port).get("/callback?code=\(code)")
            #expect(response.status == 400)
            #expect(response.text.contains("Lenken er brukt opp eller utløpt"))
        }
    }

    @Test("an ID token signed by a foreign key, or for a login not started here, lands nobody")
    func untrustedTokens() async throws {
        try await OnboardingHarness.with { harness in
            var hooks = SimulatorHooks()
            hooks.signWithUnknownKey = true
            await harness.simulator.setHooks(hooks)
            let (_, first) = try await harness.startLogin()
            let forged = try await Browser(port: harness.app.port).get("/callback?code=\(try await harness.confirmOnPhone(authReqID: first))")
            #expect(forged.status == 400)
            #expect(forged.text.contains("Vi kunne ikke bekrefte innloggingen"))
            await harness.simulator.setHooks(SimulatorHooks())
            // A login whose auth_req_id we do not hold (as if started elsewhere with our client).
            let (_, second) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: second)
            try await harness.app.app.database.write {
                try $0.execute("UPDATE login_requests SET auth_req_id = 'someone-else' WHERE auth_req_id = ?", [second])
            }
            let response = try await Browser(port: harness.app.port).get("/callback?code=\(code)")
            #expect(response.text.contains("Vi kjenner ikke igjen denne innloggingen"))
        }
    }

    @Test("when Vipps is down, the till gets a clear problem and the landing a 503 page")
    func vippsDown() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID)
            await harness.simulator.shutdown()
            let landing = try await Browser(port: harness.app.port).get("/callback?code=\(code)")
            #expect(landing.status == 503)
            let api = Browser(port: harness.app.port)
            let started = try await api.postJSON("/api/v1/logins", json: #"{"phone": "41234567"}"#, bearer: harness.apiKey)
            #expect(started.status == 503)
            #expect(started.header("Content-Type") == "application/problem+json")
            #expect(api.json(started)["type"] as? String == "https://velkommen.example/problems/vipps-unavailable")
        }
    }

    @Test(
        "the POS API refuses bad input with problems that say what is wrong",
        arguments: [
            (#"{"phone": "12"}"#, 400, "invalid-phone"),
            (#"{"phone": "41234567", "bindingMessage": "no!"}"#, 400, "invalid-binding-message"),
            (#"{"phone": "41234567", "store": "bergen-1"}"#, 403, "wrong-store"),
            (#"not json"#, 400, "invalid-json"),
            (#"{"phone": "4742222222"}"#, 422, "no-vipps-user"),
            (#"{"phone": "+358 40 900 0000"}"#, 422, "no-vipps-user"),
            (#"{"qr": "https://example.com/x"}"#, 422, "foreign-qr"),
            (#"{"phone": "41234567", "consents": null}"#, 400, "invalid-json"),
            (#"{"phone": "41234567", "qr": "https://qr.vipps.no/28/2/01/031/4712345678"}"#, 400, "phone-and-qr"),
            (#"{"phone": "4743333333"}"#, 422, "vipps-old-app"),
        ])
    func apiProblems(body: String, status: Int, type: String) async throws {
        try await OnboardingHarness.with { harness in
            let api = Browser(port: harness.app.port)
            let response = try await api.postJSON("/api/v1/logins", json: body, bearer: harness.apiKey)
            #expect(response.status == status)
            #expect(response.header("Content-Type") == "application/problem+json")
            #expect(api.json(response)["type"] as? String == "https://velkommen.example/problems/\(type)")
        }
    }

    @Test("the POS API needs a valid key")
    func apiKeyRequired() async throws {
        try await OnboardingHarness.with { harness in
            let api = Browser(port: harness.app.port)
            for key in [nil, "vk_nothere0_secret", harness.apiKey + "x"] {
                let response = try await api.postJSON("/api/v1/logins", json: #"{"phone": "41234567"}"#, bearer: key)
                #expect(response.status == 401)
            }
        }
    }

    @Test("preferences without the CSRF token are refused; every invalid value is shown next to its field, typed values kept")
    func preferenceValidation() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin(consents: false)
            let code = try await harness.confirmOnPhone(authReqID: authReqID)
            let browser = Browser(port: harness.app.port)
            _ = try await browser.get("/callback?code=\(code)")
            let form = try await browser.get("/preferences")
            let csrf = try #require(Browser.hidden("csrf", in: form.text))
            let withoutToken = try await browser.post("/preferences", form: [("asked", "has_children"), ("has_children", "yes")])
            #expect(withoutToken.status == 403)
            let invalid = try await browser.post(
                "/preferences",
                form: [
                    ("csrf", csrf), ("asked", "has_children"), ("asked", "favourite_store"), ("asked", "interests"), ("asked", "wish"),
                    ("favourite_store", "mars"), ("interests", "coffee"), ("interests", "gold"), ("wish", String(repeating: "x", count: 300)),
                ])
            #expect(invalid.status == 422)
            for message in ["Velg et av alternativene.", "Teksten er for lang"] {
                #expect(invalid.text.contains(message), "missing: \(message)")
            }
            #expect(invalid.text.contains("value=\"coffee\" checked"), "what was ticked is kept")
            let answers = try await harness.app.app.database.read { try $0.scalar("SELECT count(*) FROM answers", as: Int.self) }
            #expect(answers == 0, "nothing is saved from an invalid form")
        }
    }

    @Test("the CONSENT_REVOKED webhook marks consents as reported revoked; garbage gets 400")
    func consentWebhook() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin()
            _ = try await Browser(port: harness.app.port).get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            let url = URL(string: "http://127.0.0.1:\(harness.app.port)/webhooks/vipps/consent-revoked")!
            let delivered = try await harness.simulator.sendConsentRevoked(sub: "c06c4afe-d9e1-4c5d-939a-177d752a0944", to: url)
            #expect(delivered == 204)
            let revoked = try await harness.app.app.database.read {
                try $0.scalar("SELECT count(*) FROM member_consents WHERE revoked_reported_at IS NOT NULL", as: Int.self)
            }
            #expect(revoked == 4)
            let garbage = try await Browser(port: harness.app.port).postJSON("/webhooks/vipps/consent-revoked", json: "not.a.token", bearer: nil)
            #expect(garbage.status == 400)
        }
    }
}

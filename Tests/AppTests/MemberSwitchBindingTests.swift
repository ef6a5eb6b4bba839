import Foundation
import Testing

@testable import App

/// The "Continue as B?" cookie is good once, for the login it was asked for: the server keeps the
/// answer's token hash on that login request and clears it when the answer is taken.
@Suite("The member switch is bound to its login and used once")
struct MemberSwitchBindingTests {
    /// A browser signed in as Ada that opened Per's callback: the question page and the cookie it set.
    static func asked(_ harness: OnboardingHarness) async throws -> (browser: Browser, token: String, cookie: String, loginID: String) {
        let browser = Browser(port: harness.app.port)
        try await AttackerFromOutsideTests.signIn(browser, harness)
        let (id, authReqID) = try await harness.startLogin(phone: "98765432")
        let code = try await harness.confirmOnPhone(msisdn: "4798765432", authReqID: authReqID)
        let asked = try await browser.get("/callback?code=\(code)")
        #expect(asked.status == 200)
        let token = try #require(Browser.hidden("csrf", in: asked.text))
        let cookie = try #require(browser.cookies[MemberSwitch.cookieName])
        return (browser, token, cookie, id)
    }

    @Test("a switch cookie replayed after it was used is refused with a page, and switches nothing")
    func replayAfterUse() async throws {
        try await OnboardingHarness.with { harness in
            let (browser, token, cookie, _) = try await Self.asked(harness)
            #expect(try await browser.post(MemberSwitch.path, form: [("csrf", token)]).status == 303)
            #expect(try await browser.get("/me").text.contains("Per Hansen"))
            // Someone kept a copy of the cookie and the page's token: in another browser they are a bearer
            // token for Per's session, unless the server's record says the answer was taken.
            let thief = Browser(port: harness.app.port)
            thief.setCookie(MemberSwitch.cookieName, cookie)
            let replay = try await thief.post(MemberSwitch.path, form: [("csrf", token)])
            #expect(replay.status == 400)
            #expect(replay.text.contains("allerede brukt"), "\(replay.text)")
            #expect(thief.cookies["velkommen_session"] == nil, "no session for the replay")
            // And back in the browser that answered, with the cookie put back: the same.
            browser.setCookie(MemberSwitch.cookieName, cookie)
            #expect(try await browser.post(MemberSwitch.path, form: [("csrf", token)]).status == 400)
        }
    }

    @Test("a switch answer for another login than the one asked is refused by the server's record")
    func anotherLogin() async throws {
        try await OnboardingHarness.with { harness in
            let (browser, token, _, loginID) = try await Self.asked(harness)
            // A cookie that opens (sealed with the site's key) but names a login it was not asked for:
            // Ada's own earlier login, for Per.
            let other = try #require(
                try await harness.app.app.database.read { database in
                    try database.scalar("SELECT id FROM login_requests WHERE id <> ? ORDER BY created_at LIMIT 1", [loginID], as: String.self)
                })
            let forged = MemberSwitch.Pending(sub: "2e3f4a5b-6c7d-4e8f-9a0b-1c2d3e4f5a6b", loginRequestID: other, csrf: token)
            browser.setCookie(
                MemberSwitch.cookieName,
                try harness.app.app.sealer.seal(forged, purpose: MemberSwitch.cookieName, lifetime: MemberSwitch.lifetime))
            #expect(try await browser.post(MemberSwitch.path, form: [("csrf", token)]).status == 400)
            #expect(try await browser.get("/me").text.contains("Ada Lovelace"))
        }
    }
}

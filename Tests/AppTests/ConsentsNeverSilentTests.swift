import Foundation
import Storage
import TestSupport
import Testing
import VippsSimulator

@testable import App

@Suite("Consents are never changed silently", .serialized)
struct ConsentsNeverSilentTests {
    static let ada = "c06c4afe-d9e1-4c5d-939a-177d752a0944"

    static func consents(_ harness: OnboardingHarness) async throws -> [String: Bool] {
        Dictionary(
            uniqueKeysWithValues: try await ConsentLedger(pool: harness.app.app.database, hash: Tokens.sha256Hex).current(sub: ada)
                .map { ($0.consentID, $0.accepted) })
    }

    @Test("a second login keeps what the member said: the till does not ask again, and nothing turns from yes to no")
    func secondLoginKeepsConsents() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            let (_, first) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: first, consents: ["sms", "email"]))")
            #expect(try await Self.consents(harness) == ["sms": true, "email": true, "digital": false, "personal": false])

            let (secondID, second) = try await harness.startLogin()
            let request = try #require(try await LoginRequestStore(pool: harness.app.app.database).find(id: secondID))
            #expect(!request.askConsents, "consents on record: not asked again by default")
            let confirmed = try await harness.simulatorHTTP.post("/phone/4712345678/logins/\(second)/confirm", form: [])
            #expect(confirmed.status == 303, "no consent screen")
            _ = try await browser.get(
                "/callback?code=\(try #require(URLComponents(string: confirmed.header("Location") ?? "")?.queryItems?.first?.value))")
            #expect(try await Self.consents(harness) == ["sms": true, "email": true, "digital": false, "personal": false])
            #expect(!(try await browser.get("/welcome").text.contains("Du har nå sagt")))
        }
    }

    @Test("the simulator, like Vipps, does not ask again for a consent accepted before and returns it accepted")
    func simulatorRemembers() async throws {
        try await OnboardingHarness.with { harness in
            let (_, first) = try await harness.startLogin()
            _ = try await Browser(port: harness.app.port).get(
                "/callback?code=\(try await harness.confirmOnPhone(authReqID: first, consents: ["sms"]))")
            // Asked again through the API with the phone number unknown to us: only the consents not accepted before are shown.
            try await harness.app.app.database.write { try $0.execute("UPDATE members SET phone_number = NULL") }
            let (_, second) = try await harness.startLogin()
            let screen = try await harness.simulatorHTTP.post("/phone/4712345678/logins/\(second)/confirm", form: [])
            #expect(screen.text.contains("value=\"email\"") && !screen.text.contains("value=\"sms\""))
        }
    }

    @Test("a login that repeats what Vipps reported before does not undo the member's own later choice")
    func repeatDoesNotUndo() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            let (_, first) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: first, consents: ["sms", "email"]))")
            // The member said no to e-mail on their page; Vipps remembers yes and repeats it in the next login.
            let page = try await browser.get("/me")
            let withdrawn = try await browser.post(
                "/me/consents", form: [("csrf", try #require(Browser.hidden("csrf", in: page.text))), ("consent", "email"), ("accepted", "no")])
            #expect(withdrawn.status == 303)
            try await harness.app.app.database.write { try $0.execute("UPDATE members SET phone_number = NULL") }
            harness.app.app.signedInCache.forget(sub: Self.ada)
            let (_, second) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: second, consents: []))")
            #expect(try await Self.consents(harness)["email"] == false, "Vipps' old yes does not override the member's newer no")
            #expect(!(try await browser.get("/welcome").text.contains("Du har nå sagt")))
        }
    }

    @Test("when a login changes a consent, the welcome page says so once, with a way to change it back")
    func changeIsTold() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            let (_, first) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: first, consents: ["sms"]))")
            // A new consent configuration in the portal: Vipps asks again, and this time the customer says yes to e-mail.
            var hooks = SimulatorHooks()
            hooks.consentConfigurationVersion = 2
            await harness.simulator.setHooks(hooks)
            try await harness.app.app.database.write { try $0.execute("UPDATE members SET phone_number = NULL") }
            harness.app.app.signedInCache.forget(sub: Self.ada)
            let (_, second) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: second, consents: ["sms", "email"]))")
            let welcome = try await browser.get("/welcome").text
            #expect(welcome.contains("Du har nå sagt ja til e-post.") && welcome.contains("href=\"/me#consents\""), "\(welcome)")
            #expect(!(try await browser.get("/welcome").text.contains("Du har nå sagt")), "told once")
        }
    }
}

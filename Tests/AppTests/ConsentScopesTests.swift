import Foundation
import Storage
import TestSupport
import Testing
import VippsSimulator

@testable import App

/// The Vipps Login of 2026 on the consent side: the merchant's own flow (`customFlow`), the terms
/// accepted in every login (`agreement`), and consent memory read both ways.
@Suite("Consents as Vipps asks for them in 2026: customFlow, agreement, consent memory", .serialized)
struct ConsentScopesTests {
    static let ada = "c06c4afe-d9e1-4c5d-939a-177d752a0944"

    static func consents(_ harness: OnboardingHarness) async throws -> [String: ConsentState] {
        Dictionary(
            uniqueKeysWithValues: try await ConsentLedger(pool: harness.app.app.database, hash: Tokens.sha256Hex).current(sub: ada)
                .map { ($0.consentID, $0) })
    }

    static func receipts(_ harness: OnboardingHarness) async throws -> Int {
        try await ConsentLedger(pool: harness.app.app.database, hash: Tokens.sha256Hex).receipts(sub: ada).count
    }

    /// Asks again at the next start, as a till does for a number it has no consents for.
    static func forgetPhone(_ harness: OnboardingHarness) async throws {
        try await harness.app.app.database.write { try $0.execute("UPDATE members SET phone_number = NULL") }
        harness.app.app.signedInCache.forget(sub: ada)
    }

    @Test(
        "customFlow enrols: mapped checkboxes become the club's channels, an unmapped one is kept by its words, and a second login without the object changes nothing",
        arguments: ConsentMemory.allCases)
    func customFlow(memory: ConsentMemory) async throws {
        try await OnboardingHarness.with(simulator: { $0.consentMemory = memory }, app: { $0.consentScope = .customFlow }) { harness in
            let browser = Browser(port: harness.app.port)
            let (_, first) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: first, consents: [], flow: ["cf_accept_terms", "cf_offers_email"])
            _ = try await browser.get("/callback?code=\(code)")
            let enrolled = try await Self.consents(harness)
            #expect(enrolled.mapValues(\.accepted) == ["email": true, "sms": false, "personal": false, "cf_accept_terms": true])
            #expect(enrolled["email"]?.vippsID == "cf_offers_email" && enrolled["email"]?.text == "Ja takk, send meg tilbud på e-post")
            #expect(enrolled["cf_accept_terms"]?.text == "Jeg godtar medlemsvilkårene" && enrolled["cf_accept_terms"]?.vippsID == nil)
            let me = try await browser.get("/me").text
            #expect(me.contains("Ja takk, send meg tilbud på e-post") && me.contains("Jeg godtar medlemsvilkårene"), "the words the customer saw")
            #expect(me.contains("Bli medlem i kundeklubben") && me.contains("https://www.vipps.no/vilkar/vilkar-privat/"), "and where they stood")
            // Accepting the terms stands with the terms: no switch to withdraw it as if it were marketing.
            #expect(me.contains("Du godtok «Jeg godtar medlemsvilkårene»") && !me.contains("value=\"cf_accept_terms\""))
            let withdrawTerms = try await browser.post(
                "/me/consents", form: [("csrf", try #require(Browser.hidden("csrf", in: me))), ("consent", "cf_accept_terms"), ("accepted", "no")])
            #expect(withdrawTerms.status == 400)
            #expect(try await Self.receipts(harness) == 1)

            // The next login asks again; Vipps remembers and shows nothing, and reports the answers again or not at all.
            try await Self.forgetPhone(harness)
            let (_, second) = try await harness.startLogin()
            let confirmed = try await harness.simulatorHTTP.post("/phone/4712345678/logins/\(second)/confirm", form: [])
            #expect(confirmed.status == 303, "no consent screen the second time")
            let again = try #require(URLComponents(string: confirmed.header("Location") ?? "")?.queryItems?.first?.value)
            _ = try await browser.get("/callback?code=\(again)")
            let after = try await Self.consents(harness)
            #expect(after == enrolled, "every consent as it was, times included (\(memory))")
            #expect(try await Self.receipts(harness) == 1, "nothing new to record")
        }
    }

    @Test("the consent scope is a setting: none asks no consents, delegatedConsents and customFlow ask their scope")
    func scopeSetting() async throws {
        var configuration = AppConfiguration()
        #expect(configuration.loginScopes.contains("delegatedConsents") && !configuration.loginScopes.contains("agreement"))
        configuration = try AppConfiguration(settings: ["VIPPS_CONSENT_SCOPE": "customFlow", "VIPPS_AGREEMENT": "true"])
        #expect(configuration.loginScopes.suffix(2) == ["customFlow", "agreement"])
        configuration = try AppConfiguration(settings: ["VIPPS_CONSENT_SCOPE": "none"])
        #expect(!configuration.loginScopes.contains { ["delegatedConsents", "customFlow", "agreement"].contains($0) })
        #expect(throws: ConfigurationError.self) { try AppConfiguration(settings: ["VIPPS_CONSENT_SCOPE": "custom_flow"]) }
        do {
            _ = try AppConfiguration(settings: ["VIPPS_AGREEMENT": "maybe"])
            Issue.record("accepted a nonsense agreement setting")
        } catch {
            #expect(error.description.contains("--vipps-agreement (VIPPS_AGREEMENT)"))
        }
        try await OnboardingHarness.with(app: { $0.consentScope = .none }) { harness in
            let (id, authReqID) = try await harness.startLogin()
            let request = try #require(try await LoginRequestStore(pool: harness.app.app.database).find(id: id))
            #expect(!request.askConsents)
            _ = try await Browser(port: harness.app.port).get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            #expect(try await Self.consents(harness).isEmpty)
        }
    }

    @Test("a mapping to a channel that does not exist, or two checkboxes for one channel, stops start-up naming the file")
    func mappingChecked() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("consents-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("consents.json").path
        try #"{"customFlow": {"cf_a": "email", "cf_b": "e-mail"}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(throws: ConfigurationError.self) { try ConsentMapping.load(path: path) }
        try #"{"customFlow": {"cf_a": "email", "cf_b": "email"}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        do {
            _ = try ConsentMapping.load(path: path)
            Issue.record("two checkboxes for one channel accepted")
        } catch {
            #expect(error.description.contains(path) && error.description.contains("cf_a and cf_b"))
        }
        try #"{"customFlow": {"cf_a": "sms"}}"#.write(toFile: path, atomically: true, encoding: .utf8)
        #expect(try ConsentMapping.load(path: path).channel(forCustomID: "cf_a") == "sms")
        #expect(try ConsentMapping.load(path: folder.appendingPathComponent("none.json").path).channel(forCustomID: "cf_a") == "cf_a")
    }

    @Test("agreement: each login records the version of the terms accepted and when; /me and the statistics show it")
    func agreement() async throws {
        try await OnboardingHarness.with(app: { $0.agreement = true }) { harness in
            let browser = Browser(port: harness.app.port)
            let (_, first) = try await harness.startLogin()
            let screen = try await harness.simulatorHTTP.post("/phone/4712345678/logins/\(first)/confirm", form: [])
            #expect(screen.text.contains("name=\"agreement\""), "the terms are asked in the app")
            let refused = try await harness.simulatorHTTP.post("/phone/4712345678/logins/\(first)/consents", form: [("consent", "sms")])
            #expect(refused.status == 422, "the login cannot complete without accepting")
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: first))")
            let agreements = AgreementStore(pool: harness.app.app.database)
            let accepted = try #require(try await agreements.latest(sub: Self.ada))
            #expect(accepted.accepted && accepted.version.count == 16 && accepted.payload.contains("Medlemsvilkår"))
            let me = try await browser.get("/me").text
            #expect(me.contains("Du godtok vilkårene og personvernerklæringen i Vipps") && me.contains("versjon 1 (\(accepted.version.prefix(8)))"))

            // Asked again in the next login, with consents on record: one more acceptance, the same version.
            let (_, second) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: second))")
            #expect(try await agreements.all(sub: Self.ada).map(\.version) == [accepted.version, accepted.version])
            #expect(try await agreements.versions().map(\.members) == [1])
            let admin = try await harness.staff("merchant", msisdn: "4798765432")
            let stats = try await admin.get("/admin/stats").text
            #expect(stats.contains("Medlemsvilkår godtatt i Vipps") && stats.contains("1 (\(accepted.version.prefix(8)))"))
        }
    }
}

import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("The till reads like a card terminal: one state per screen, a name when done, cancel, a remembered terminal", .serialized)
struct TillScreenTests {
    static func startAtTill(_ till: Browser, phone: String = "12345678", terminal: String? = nil) async throws -> String {
        let page = try await till.get("/pos")
        let csrf = try #require(Browser.hidden("csrf", in: page.text))
        var form = [("csrf", csrf), ("phone", phone), ("consents", "yes")]
        if let terminal { form.append(("terminal", terminal)) }
        let started = try await till.post("/pos/logins", form: form)
        #expect(started.status == 303)
        return String(try #require(started.header("Location")?.split(separator: "/").last))
    }

    @Test("waiting shows the masked number and a countdown; done says who is registered by given name and initial")
    func waitingThenRegistered() async throws {
        try await OnboardingHarness.with(demoTill: true) { harness in
            let till = Browser(port: harness.app.port)
            let id = try await Self.startAtTill(till)
            let waiting = try await till.get("/pos/logins/\(id)").text
            #expect(waiting.contains("till-waiting") && waiting.contains("+47 ••• •• 678") && !waiting.contains("12345678"))
            #expect(waiting.contains("Utløper om") && waiting.contains("action=\"/pos/logins/\(id)/cancel\""))
            #expect(!waiting.contains("site-header"), "staff chrome, not the customer site's header")
            let request = try #require(try await LoginRequestStore(pool: harness.app.app.database).find(id: id))
            let code = try await harness.confirmOnPhone(authReqID: try #require(request.authReqID))
            _ = try await Browser(port: harness.app.port).get("/callback?code=\(code)")
            let status = till.json(try await till.get("/pos/logins/\(id)/status.json"))
            #expect(status["state"] as? String == "registered")
            #expect(status["heading"] as? String == "Ada L. er registrert")
            #expect(status["secondsLeft"] as? Int == 0)
        }
    }

    @Test("Avbryt cancels a waiting login on our side; a confirmation that arrives later lands nobody")
    func cancelAtTill() async throws {
        try await OnboardingHarness.with(demoTill: true) { harness in
            let till = Browser(port: harness.app.port)
            let id = try await Self.startAtTill(till)
            let page = try await till.get("/pos/logins/\(id)")
            let csrf = try #require(Browser.hidden("csrf", in: page.text))
            #expect(try await till.post("/pos/logins/\(id)/cancel", form: [("csrf", "wrong")]).status == 403)
            #expect(try await till.post("/pos/logins/\(id)/cancel", form: [("csrf", csrf)]).status == 303)
            let status = till.json(try await till.get("/pos/logins/\(id)/status.json"))
            #expect(status["state"] as? String == "cancelled" && status["heading"] as? String == "Avbrutt")
            let request = try #require(try await LoginRequestStore(pool: harness.app.app.database).find(id: id))
            let code = try await harness.confirmOnPhone(authReqID: try #require(request.authReqID))
            let landed = try await Browser(port: harness.app.port).get("/callback?code=\(code)")
            #expect(landed.status == 400 && landed.text.contains("Kassen avbrøt denne innloggingen"), "the page says what happened")
        }
    }

    @Test("near expiry the till says the customer may have cancelled; after it, expired")
    func expiry() async throws {
        try await OnboardingHarness.with(demoTill: true) { harness in
            let till = Browser(port: harness.app.port)
            let id = try await Self.startAtTill(till)
            try await harness.app.app.database.write { try $0.execute("UPDATE login_requests SET expires_at = ?", [Date().addingTimeInterval(30)]) }
            let soon = till.json(try await till.get("/pos/logins/\(id)/status.json"))
            #expect((soon["text"] as? String)?.contains("kunden kan også ha avbrutt") == true)
            #expect(soon["state"] as? String == "waiting")
            try await harness.app.app.database.write { try $0.execute("UPDATE login_requests SET expires_at = ?", [Date().addingTimeInterval(-1)]) }
            let expired = till.json(try await till.get("/pos/logins/\(id)/status.json"))
            #expect(expired["state"] as? String == "expired" && expired["heading"] as? String == "Utløpt")
            #expect((expired["text"] as? String)?.contains("svarte ikke i tide") == false)
        }
    }

    @Test("the terminal is remembered per device")
    func terminalRemembered() async throws {
        try await OnboardingHarness.with(demoTill: true) { harness in
            let till = Browser(port: harness.app.port)
            #expect(try await till.get("/pos").text.contains("id=\"terminal\" name=\"terminal\" value=\"\""))
            _ = try await Self.startAtTill(till, terminal: "kasse-7")
            #expect(try await till.get("/pos").text.contains("name=\"terminal\" value=\"kasse-7\""))
            #expect(try await Browser(port: harness.app.port).get("/pos").text.contains("name=\"terminal\" value=\"\""), "another device has its own")
        }
    }

    @Test(
        "names and numbers on the screen",
        arguments: [
            ("Ada", "Lovelace", "Ada Lovelace", "Ada L."), (nil, nil, "Per Hansen", "Per H."), ("Kari", nil, "Kari", "Kari"), (nil, nil, nil, nil),
        ] as [(String?, String?, String?, String?)])
    func shortName(given: String?, family: String?, full: String?, expected: String?) {
        #expect(TillState.shortName(given: given, family: family, full: full) == expected)
    }

    @Test("the phone number is masked to its last three digits, in its country's grouping")
    func masked() {
        #expect(TillState.maskedPhone("4712345678") == "+47 ••• •• 678")
        #expect(TillState.maskedPhone("4512345678") == "+45 •• •• •6 78")
        #expect(TillState.maskedPhone("299123456") == "+299 •• •4 56")
        #expect(!TillState.maskedPhone("358401234567").contains("401"))
    }
}

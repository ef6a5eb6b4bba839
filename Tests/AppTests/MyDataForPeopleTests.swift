import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("/me for people: labels, dates and numbers as people read them, a switch per consent", .serialized)
struct MyDataForPeopleTests {
    @Test(
        "formats",
        arguments: [
            ("4741234567", "+47 412 34 567"), ("4712345678", "+47 123 45 678"), ("4612345678", "4612345678"), ("4512345678", "+45 12 34 56 78"),
            ("+358401234567", "+358 40 123 4567"), ("299123456", "+299 12 34 56"), ("12", "12"),
        ])
    func phone(msisdn: String, shown: String) {
        #expect(DisplayFormat.phone(msisdn) == shown)
    }

    @Test("days in the member's language")
    func days() {
        #expect(DisplayFormat.day(iso: "2026-12-02", in: .nb) == "2. desember 2026")
        #expect(DisplayFormat.day(iso: "2026-12-02", in: .en) == "2 December 2026")
        #expect(DisplayFormat.day(iso: "not a date", in: .nb) == "not a date")
    }

    @Test("the page reads like a page: formatted number and dates, consent names, the consequence of deleting")
    func page() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            let (_, authReqID) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID, consents: ["sms"]))")
            let page = try await browser.get("/me").text
            #expect(page.contains("+47 123 45 678") && !page.contains("4712345678"))
            #expect(!page.contains("T1") && !page.contains("Z)"), "no ISO timestamps")
            #expect(page.contains("<strong>SMS</strong>") && page.contains("<strong>e-post</strong>"))
            #expect(page.contains("Trekk tilbake samtykke til SMS") && page.contains("Gi samtykke til e-post"))
            #expect(page.contains("medlemskortet ditt slutter å virke"))
            #expect(page.contains("action=\"/logout\""))
        }
    }

    @Test("withdrawing a consent is one button, recorded in the ledger as the member's own act; giving it back is as easy")
    func consentSwitch() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            let (_, authReqID) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID, consents: ["sms"]))")
            let csrf = try #require(Browser.hidden("csrf", in: try await browser.get("/me").text))
            let ledger = ConsentLedger(pool: harness.app.app.database, hash: Tokens.sha256Hex)
            let sub = "c06c4afe-d9e1-4c5d-939a-177d752a0944"
            #expect(try await browser.post("/me/consents", form: [("csrf", "x"), ("consent", "sms"), ("accepted", "no")]).status == 403)
            #expect(try await browser.post("/me/consents", form: [("csrf", csrf), ("consent", "made-up"), ("accepted", "no")]).status == 400)
            #expect(try await browser.post("/me/consents", form: [("csrf", csrf), ("consent", "sms"), ("accepted", "no")]).status == 303)
            #expect(try await ledger.current(sub: sub).first { $0.consentID == "sms" }?.accepted == false)
            #expect(try await ledger.receipts(sub: sub).last?.source == "member")
            #expect(try await browser.get("/me").text.contains("Gi samtykke til SMS"))
            #expect(try await browser.post("/me/consents", form: [("csrf", csrf), ("consent", "sms"), ("accepted", "yes")]).status == 303)
            #expect(try await ledger.current(sub: sub).first { $0.consentID == "sms" }?.accepted == true)
            #expect(try await ledger.firstBrokenLink() == nil, "the chain holds")
        }
    }
}

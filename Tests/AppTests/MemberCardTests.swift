import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("The member card: a number never reused, a barcode a till can scan, a till paired with a one-time code", .serialized)
struct MemberCardTests {
    @Test("Code 128: every symbol is 11 modules (the stop 13), digits in set C with the mod-103 check")
    func code128() throws {
        #expect(Code128.patterns.count == 107)
        for (value, pattern) in Code128.patterns.enumerated() {
            #expect(pattern.compactMap(\.wholeNumberValue).reduce(0, +) == (value == 106 ? 13 : 11), "symbol \(value)")
        }
        #expect(Set(Code128.patterns).count == 107)
        #expect(Code128.symbols(digits: "1234") == [105, 12, 34, 82, 106])
        #expect(Code128.symbols(digits: "123") == nil && Code128.symbols(digits: "12a4") == nil)
        let svg = try #require(Code128.svg(digits: "00000422", label: "x"))
        #expect(svg.hasPrefix("<svg") && svg.contains("crispEdges"))
    }

    @Test("member numbers carry a Luhn check digit", arguments: [(42, "00000422"), (1, "00000018"), (7_992_739, "79927398")])
    func luhn(number: Int, digits: String) {
        #expect(MemberNumber.digits(number) == digits)
        #expect(MemberNumber.isValid(digits))
        #expect(!MemberNumber.isValid(String(digits.dropLast()) + String((digits.last!.wholeNumberValue! + 1) % 10)))
    }

    @Test("the card shows the name, the number and its barcode; without a session it asks for a login")
    func cardPage() async throws {
        try await OnboardingHarness.with { harness in
            #expect(try await Browser(port: harness.app.port).get("/card").status == 303)
            let browser = Browser(port: harness.app.port)
            let (_, authReqID) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            let card = try await browser.get("/card")
            #expect(card.status == 200)
            #expect(card.text.contains("Ada Lovelace") && card.text.contains("0000 0018") && card.text.contains("<svg class=\"barcode\""))
            #expect(card.header("Cache-Control") == "private, no-store")
            #expect(try await browser.get("/welcome").text.contains("href=\"/card\""))
        }
    }

    @Test("a member number is never given again after an erasure")
    func numbersNotReused() async throws {
        try await OnboardingHarness.with { harness in
            let members = MemberStore(pool: harness.app.app.database)
            let first = try await members.recordLogin(MemberProfile(sub: "a", name: "A"), store: nil)
            let second = try await members.recordLogin(MemberProfile(sub: "b", name: "B"), store: nil)
            #expect(second.memberNumber == first.memberNumber + 1)
            #expect(try await members.delete(sub: "b"))
            let third = try await members.recordLogin(MemberProfile(sub: "c", name: "C"), store: nil)
            #expect(third.memberNumber == second.memberNumber + 1)
            #expect(
                try await members.recordLogin(MemberProfile(sub: "a", name: "A"), store: nil).memberNumber == first.memberNumber, "a login keeps it")
        }
    }

    @Test("an admin pairs a till with a one-time code: once, for the store chosen, audit-logged")
    func pairing() async throws {
        try await OnboardingHarness.with { harness in
            let admin = try await harness.staff("admin", msisdn: "4712345678")
            let page = try await admin.get("/admin/tills")
            let csrf = try #require(Browser.hidden("csrf", in: page.text))
            #expect(try await admin.post("/admin/tills", form: [("csrf", csrf), ("store", "Oslo 1"), ("label", "Kasse 2")]).status == 422)
            let made = try await admin.post("/admin/tills", form: [("csrf", csrf), ("store", "bergen-1"), ("label", "Kasse 2")])
            let code = try #require(made.text.range(of: #"[A-Z2-9]{4}-[A-Z2-9]{4}"#, options: .regularExpression).map { String(made.text[$0]) })

            let till = Browser(port: harness.app.port)
            let token = try #require(Browser.hidden("csrf", in: try await till.get("/pos").text))
            #expect(try await till.post("/pos/key", form: [("csrf", token), ("key", "AAAA-AAAA")]).status == 401)
            #expect(try await till.post("/pos/key", form: [("csrf", token), ("key", code.lowercased())]).status == 303)
            #expect(try await till.get("/pos").text.contains("Bergen"), "paired to the store the admin chose")
            let again = Browser(port: harness.app.port)
            let other = try #require(Browser.hidden("csrf", in: try await again.get("/pos").text))
            #expect(try await again.post("/pos/key", form: [("csrf", other), ("key", code)]).status == 401, "once only")
            let keys = try await VelkommenApp.listApiKeys(databasePath: harness.app.app.configuration.databasePath)
            #expect(keys.contains { $0.contains("store bergen-1") && $0.contains("Kasse 2") })
            let audit = try await admin.get("/admin/audit").text
            #expect(audit.contains("till.pairing-code") && audit.contains("till.paired"))
        }
    }
}

import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("The welcome offer: the POS knows who joined, the code is redeemed once, the funnel goes to the sale", .serialized)
struct WelcomeOfferTests {
    static func redeem(_ code: String, key: String, port: Int) async throws -> (status: Int, body: [String: Any], text: String) {
        let api = Browser(port: port)
        let response = try await api.postJSON("/api/v1/offers/\(code)/redeem", json: "", bearer: key)
        return (response.status, api.json(response), response.text)
    }

    /// Enrols Ada through the POS API and the phone; returns the login's id and its status.
    static func enrol(_ harness: OnboardingHarness) async throws -> (id: String, status: [String: Any]) {
        let (id, authReqID) = try await harness.startLogin()
        let code = try await harness.confirmOnPhone(authReqID: authReqID)
        #expect(try await Browser(port: harness.app.port).get("/callback?code=\(code)").status == 303)
        let api = Browser(port: harness.app.port)
        return (id, api.json(try await api.getJSON("/api/v1/logins/\(id)", bearer: harness.apiKey)))
    }

    @Test("enrol through the API: the status names the member and the offer; two tills at once, one 200; a retry is the same 200")
    func enrolAndRedeem() async throws {
        try await OnboardingHarness.with { harness in
            let database = harness.app.app.database
            _ = try await WebhookStore(pool: database).add(
                url: "https://crm.example/hooks", secret: WebhookSigner.newSecret(), events: ["offer.redeemed"])
            let (id, status) = try await Self.enrol(harness)
            #expect(status["status"] as? String == "confirmed", "the member is known from the confirmation on")
            let member = try #require(status["member"] as? [String: Any])
            let number = try #require(member["number"] as? String)
            #expect(MemberNumber.isValid(number))
            #expect(member["displayName"] as? String == "Ada L." && member["new"] as? Bool == true)
            let offer = try #require(status["welcomeOffer"] as? [String: Any])
            let code = try #require(offer["code"] as? String)
            #expect(code.wholeMatch(of: /[A-HJ-NP-Z2-9]{4}-[A-HJ-NP-Z2-9]{4}/) != nil, "short, two groups, no 0/O or 1/I")
            let validUntil = try #require((offer["validUntil"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(validUntil.timeIntervalSinceNow - 30 * 86400) < 120, "the default offer is valid 30 days")
            #expect((offer["text"] as? [String: String])?["nb"] == "10 % på første kjøp")
            #expect(offer["redeemedAt"] == nil)

            // Two tills of two stores redeem at once: the database lets exactly one through.
            let other = try await VelkommenApp.createApiKey(databasePath: harness.app.app.configuration.databasePath, store: "bergen-1", label: "b")
            async let first = Self.redeem(code, key: harness.apiKey, port: harness.app.port)
            async let second = Self.redeem(code.lowercased().replacingOccurrences(of: "-", with: ""), key: other, port: harness.app.port)
            let answers = try await [first, second]
            #expect(answers.map(\.status).sorted() == [200, 409], "\(answers.map(\.text))")
            let winner = try #require(answers.first { $0.status == 200 })
            let loser = try #require(answers.first { $0.status == 409 })
            let winnerKey = winner.body["store"] as? String == "oslo-1" ? harness.apiKey : other
            let loserKey = winnerKey == other ? harness.apiKey : other
            #expect(winner.body["code"] as? String == code && winner.body["memberNumber"] as? String == number)
            #expect(loser.body["type"] as? String == "https://velkommen.example/problems/offer-already-redeemed")
            #expect(loser.body["store"] as? String == winner.body["store"] as? String)
            #expect(loser.body["redeemedAt"] as? String == winner.body["redeemedAt"] as? String)
            #expect((loser.body["detail"] as? String)?.contains(winner.body["redeemedAt"] as? String ?? "?") == true)

            // The same till asking again (a lost answer, a retry) gets the same 200; the other still a 409.
            let retry = try await Self.redeem(code, key: winnerKey, port: harness.app.port)
            #expect(retry.status == 200 && retry.text == winner.text)
            #expect(try await Self.redeem(code, key: loserKey, port: harness.app.port).status == 409)
            #expect(try await Self.redeem("ZZZZ-ZZZZ", key: harness.apiKey, port: harness.app.port).status == 404)
            let garbage = try await Self.redeem("not%20a%20code", key: harness.apiKey, port: harness.app.port)
            #expect(garbage.status == 404 && garbage.body["type"] as? String == "https://velkommen.example/problems/offer-not-found")
            #expect(try await Browser(port: harness.app.port).postJSON("/api/v1/offers/\(code)/redeem", json: "", bearer: nil).status == 401)

            // The status shows it redeemed; the card no longer offers it.
            let api = Browser(port: harness.app.port)
            let after = api.json(try await api.getJSON("/api/v1/logins/\(id)", bearer: harness.apiKey))
            #expect((after["welcomeOffer"] as? [String: Any])?["redeemedAt"] as? String == winner.body["redeemedAt"] as? String)

            // One event for the merchant's systems: the member number, the code, the store, the time; no name.
            let events = try await database.read { database in
                try database.query("SELECT type, payload FROM webhook_events WHERE type = 'offer.redeemed'") {
                    (try $0[0] as String, try $0[1] as String)
                }
            }
            #expect(events.count == 1)
            let payload = try #require(try JSONSerialization.jsonObject(with: Data(events[0].1.utf8)) as? [String: Any])
            let data = try #require(payload["data"] as? [String: Any])
            #expect(data["memberId"] as? String == number && data["code"] as? String == code)
            #expect(data["store"] as? String == winner.body["store"] as? String && data["redeemedAt"] != nil)
            #expect(!events[0].1.contains("Ada") && !events[0].1.contains("4712345678"))

            // The statistics count the sale for the store that made it.
            let now = Date()
            let numbers = try await StatsStore(pool: database).stats(
                from: now.addingTimeInterval(-86400), to: now.addingTimeInterval(86400), store: nil, now: now, maxAge: 0)
            #expect(numbers.funnel.reduce(0) { $0 + $1.redeemed } == 1)
            #expect(numbers.funnel.first { $0.redeemed == 1 }?.store == winner.body["store"] as? String)
            var before = numbers
            before.funnel = []
            let headline = StatsHeadline(current: numbers, previous: before)
            #expect(headline.figures.contains { $0.key == "redeemed" && $0.value == SmallCount.text(1) })
        }
    }

    @Test("a code past its validity and the code of an erased member are gone (410); a returning member gets no new code")
    func expiredAndErased() async throws {
        try await TestApp.with { app in
            let key = try await VelkommenApp.createApiKey(databasePath: app.app.configuration.databasePath, store: "oslo-1", label: "t")
            let landings = Landings(ledger: app.app.ledger)
            let offers = WelcomeOfferStore(pool: app.app.database)
            func join(_ sub: String, at time: Date) async throws -> String {
                let record = LandingRecord(
                    profile: MemberProfile(sub: sub, name: "Test Person"), request: nil, source: "vipps-login", consentsPayload: nil,
                    consents: [:], time: time)
                try await landings.record(record)
                return try #require(try await offers.find(member: sub)).shown
            }
            let old = try await join("old", at: Date().addingTimeInterval(-31 * 86400))
            let expired = try await Self.redeem(old, key: key, port: app.port)
            #expect(expired.status == 410 && expired.body["type"] as? String == "https://velkommen.example/problems/offer-expired")

            let leaving = try await join("leaving", at: Date())
            try await MemberStore(pool: app.app.database).delete(sub: "leaving")
            let erased = try await Self.redeem(leaving, key: key, port: app.port)
            #expect(erased.status == 410 && erased.body["type"] as? String == "https://velkommen.example/problems/offer-member-erased")

            let again = LandingRecord(
                profile: MemberProfile(sub: "old", name: "Test Person"), request: nil, source: "vipps-login", consentsPayload: nil,
                consents: [:], time: Date())
            try await landings.record(again)
            #expect(try await offers.find(member: "old")?.shown == old, "one welcome offer per member")
        }
    }

    @Test("many tills at once: exactly one redeems, every other hears where")
    func manyTillsAtOnce() async throws {
        try await TestApp.with { app in
            let path = app.app.configuration.databasePath
            var keys: [String] = []
            for index in 0..<6 { keys.append(try await VelkommenApp.createApiKey(databasePath: path, store: "store-\(index)", label: "t")) }
            try await Landings(ledger: app.app.ledger).record(
                LandingRecord(
                    profile: MemberProfile(sub: "busy", name: "Busy Person"), request: nil, source: "vipps-login", consentsPayload: nil,
                    consents: [:], time: Date()))
            let code = try #require(try await WelcomeOfferStore(pool: app.app.database).find(member: "busy")).shown
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for key in keys { group.addTask { try await Self.redeem(code, key: key, port: app.port).status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == 200 }.count == 1 && statuses.filter { $0 == 409 }.count == 5, "\(statuses)")
        }
    }

    @Test("the till shows who joined (number, ny i klubben, the code) and redeems it by a button, a typed code or a scan")
    func tillRedeems() async throws {
        try await OnboardingHarness.with(demoTill: true) { harness in
            let till = Browser(port: harness.app.port)
            let id = try await TillScreenTests.startAtTill(till)
            let request = try #require(try await LoginRequestStore(pool: harness.app.app.database).find(id: id))
            let phoneCode = try await harness.confirmOnPhone(authReqID: try #require(request.authReqID))
            let customer = Browser(port: harness.app.port)
            _ = try await customer.get("/callback?code=\(phoneCode)")
            let offer = try #require(try await WelcomeOfferStore(pool: harness.app.app.database).find(loginRequestID: id))
            let status = till.json(try await till.get("/pos/logins/\(id)/status.json"))
            #expect((status["member"] as? [String: Any])?["new"] as? Bool == true)
            #expect((status["welcomeOffer"] as? [String: Any])?["code"] as? String == offer.shown)
            let screen = try await till.get("/pos/logins/\(id)")
            #expect(screen.text.contains("ny i klubben") && screen.text.contains(offer.shown) && screen.text.contains("Løs inn tilbudet nå"))

            // The customer's card shows the code (and its barcode) while it is open.
            let card = try await customer.get("/card")
            #expect(card.text.contains(offer.shown) && card.text.contains("10 % på første kjøp") && card.text.contains("Strekkode for tilbudskoden"))

            // Scanned into the phone field by mistake: still redeemed, not taken for a number.
            let ready = try await till.get("/pos")
            #expect(ready.text.contains("action=\"/pos/offers\""))
            let csrf = try #require(Browser.hidden("csrf", in: ready.text))
            #expect(try await till.post("/pos/offers", form: [("csrf", "wrong"), ("code", offer.code)]).status == 403)
            let scanned = try await till.post("/pos/logins", form: [("csrf", csrf), ("phone", offer.code)])
            #expect(scanned.status == 200 && scanned.text.contains("Tilbudet er løst inn") && scanned.text.contains("10 % på første kjøp"))
            let typed = try await till.post("/pos/offers", form: [("csrf", csrf), ("code", offer.shown.lowercased())])
            #expect(typed.status == 200, "the same till again: the same answer")
            let elsewhere = try await Self.redeem(offer.shown, key: harness.apiKey, port: harness.app.port)
            #expect(elsewhere.status == 409 && elsewhere.body["store"] as? String == TillPage.demoStore)
            let unknown = try await till.post("/pos/offers", form: [("csrf", csrf), ("code", "ZZZZ-ZZZZ")])
            #expect(unknown.status == 404 && unknown.text.contains("Ukjent kode"))
            #expect(!(try await customer.get("/card")).text.contains(offer.shown), "a redeemed code leaves the card")
            let exported = customer.json(try await customer.get("/me/export"))
            let mine = try #require(exported["welcomeOffer"] as? [String: Any], "my data's export has the welcome offer")
            #expect(mine["code"] as? String == offer.shown && mine["redeemedStore"] as? String == TillPage.demoStore)
        }
    }

    @Test("marketing sets the offer's words and validity in the editor; a new member's code follows them")
    func editorSetsTheOffer() async throws {
        try await OnboardingHarness.with { harness in
            let marketing = try await harness.staff("marketing", msisdn: "4798765432")
            let list = try await marketing.get("/admin/pages")
            #expect(list.text.contains("action=\"/admin/pages/offer\"") && list.text.contains("10 % på første kjøp"))
            let csrf = try #require(Browser.hidden("csrf", in: list.text))
            let refused = try await marketing.post("/admin/pages/offer", form: [("csrf", csrf), ("text_nb", ""), ("text_en", "x"), ("days", "7")])
            #expect(refused.status == 422 && refused.text.contains("Skriv tilbudet på begge språk"))
            let tooLong = try await marketing.post(
                "/admin/pages/offer", form: [("csrf", csrf), ("text_nb", "Gratis kaffe"), ("text_en", "Free coffee"), ("days", "400")])
            #expect(tooLong.status == 422)
            let saved = try await marketing.post(
                "/admin/pages/offer", form: [("csrf", csrf), ("text_nb", "Gratis kaffe"), ("text_en", "Free coffee"), ("days", "7")])
            #expect(saved.status == 303)
            let (_, status) = try await WelcomeOfferTests.enrol(harness)
            let offer = try #require(status["welcomeOffer"] as? [String: Any])
            #expect((offer["text"] as? [String: String]) == ["nb": "Gratis kaffe", "en": "Free coffee"])
            let validUntil = try #require((offer["validUntil"] as? String).flatMap { try? Date($0, strategy: .iso8601) })
            #expect(abs(validUntil.timeIntervalSinceNow - 7 * 86400) < 120)
        }
    }
}

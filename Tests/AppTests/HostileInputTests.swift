import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("Hostile input: rate limits, redirects, sessions, forged roles", .serialized)
struct HostileInputTests {
    @Test("a fourth login towards the same phone within a minute gets 429 with Retry-After")
    func perPhoneLimit() async throws {
        try await OnboardingHarness.with(simulator: { $0.maxPendingLoginsPerUser = 10 }) { harness in
            let api = Browser(port: harness.app.port)
            for _ in 0..<3 {
                #expect(try await api.postJSON("/api/v1/logins", json: #"{"phone": "12345678"}"#, bearer: harness.apiKey).status == 201)
            }
            let limited = try await api.postJSON("/api/v1/logins", json: #"{"phone": "+47 12 34 56 78"}"#, bearer: harness.apiKey)
            #expect(limited.status == 429)
            #expect(Int(limited.header("Retry-After") ?? "") ?? 0 > 0)
            #expect(api.json(limited)["type"] as? String == "https://velkommen.example/problems/rate-limited")
            #expect(
                try await api.postJSON("/api/v1/logins", json: #"{"phone": "98765432"}"#, bearer: harness.apiKey).status == 201, "other phones go on")
        }
    }

    @Test("a flood of callbacks from one address gets 429, never a crash")
    func callbackFlood() async throws {
        try await OnboardingHarness.with { harness in
            // At once, as a flood comes: one after another on a loaded machine, the bucket refills between them.
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<40 { group.addTask { try await Browser(port: harness.app.port).get("/callback?code=flood\(index)").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(statuses.contains(429))
            #expect(statuses.allSatisfy { $0 == 400 || $0 == 429 })
        }
    }

    @Test("no route redirects off-site, whatever the query says")
    func noOpenRedirects() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            for path in [
                "/?next=https://evil.example", "/logout?next=//evil.example", "/welcome?redirect=https://evil.example",
                "/callback?error=access_denied&redirect_uri=https://evil.example", "//evil.example/", "/\\evil.example",
            ] {
                let response = try await browser.get(path)
                let location = response.header("Location") ?? ""
                #expect(location.isEmpty || location.hasPrefix("/") && !location.hasPrefix("//"), "\(path) → \(location)")
            }
        }
    }

    @Test("a session cookie set before login is never adopted (no fixation), and a made-up one signs nobody in")
    func sessionFixation() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            browser.setCookie("velkommen_session", "attacker-chosen-value")
            #expect(try await browser.get("/me").status == 303, "a made-up cookie is nobody")
            let (_, authReqID) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            #expect(browser.cookies["velkommen_session"] != "attacker-chosen-value", "login issues a new session")
            let attacker = Browser(port: harness.app.port)
            attacker.setCookie("velkommen_session", "attacker-chosen-value")
            #expect(try await attacker.get("/me").status == 303)
        }
    }

    @Test("one member's session never shows another member's data")
    func otherMembersCookie() async throws {
        try await OnboardingHarness.with { harness in
            let ada = Browser(port: harness.app.port)
            let (_, first) = try await harness.startLogin()
            _ = try await ada.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: first))")
            let per = Browser(port: harness.app.port)
            let (_, second) = try await harness.startLogin(phone: "98765432")
            _ = try await per.get("/callback?code=\(try await harness.confirmOnPhone(msisdn: "4798765432", authReqID: second))")
            #expect(try await ada.get("/me").text.contains("Ada Lovelace"))
            let perPage = try await per.get("/me").text
            #expect(perPage.contains("Per Hansen") && !perPage.contains("Ada"))
        }
    }

    @Test("a staff role forged in a form changes nothing")
    func forgedRole() async throws {
        try await OnboardingHarness.with { harness in
            let merchant = try await harness.staff("merchant", msisdn: "4741111111")
            let csrf = try #require(Browser.hidden("csrf", in: try await merchant.get("/admin").text))
            let forged = try await merchant.post("/admin/staff", form: [("csrf", csrf), ("phone", "4741111111"), ("role", "admin")])
            #expect(forged.status == 403)
            #expect(try await merchant.get("/admin/staff").status == 403, "still a merchant")
            let roles = try await StaffStore(pool: harness.app.app.database).all().map(\.role)
            #expect(roles == [.merchant])
        }
    }

    @Test("path traversal, encoded or not, never leaves Public/")
    func traversal() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            for path in [
                "/public/../Package.swift", "/public/%2e%2e/Package.swift", "/public/..%2fPackage.swift", "/public/css/..%2f..%2fPackage.swift",
                "/public/%2e%2e%2f%2e%2e%2fetc/passwd",
            ] {
                let response = try await browser.get(path)
                #expect(response.status == 404 || response.status == 400, "\(path): \(response.status)")
                #expect(!response.text.contains("swift-tools-version"))
            }
        }
    }

    @Test("with rate limits off (load tests only) the same phone may start logins again and again")
    func rateLimitsOff() async throws {
        try await OnboardingHarness.with(simulator: { $0.maxPendingLoginsPerUser = 10 }, app: { $0.rateLimited = false }) { harness in
            let api = Browser(port: harness.app.port)
            for _ in 0..<6 {
                let started = try await api.postJSON("/api/v1/logins", json: #"{"phone": "12345678"}"#, bearer: harness.apiKey)
                #expect(started.status == 201)
            }
        }
    }

    @Test("a member who saved an answer hundreds of times gets a page of one screen; the export has every answer")
    func longHistory() async throws {
        try await OnboardingHarness.with { harness in
            let ada = Browser(port: harness.app.port)
            let (_, authReqID) = try await harness.startLogin()
            _ = try await ada.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            let answers = AnswerStore(pool: harness.app.app.database)
            let start = Date()
            for number in 0..<300 {
                try await answers.record(
                    sub: "c06c4afe-d9e1-4c5d-939a-177d752a0944", question: "wish", value: "svar-\(number)-",
                    at: start.addingTimeInterval(Double(number)))
            }
            let page = try await ada.get("/me").text
            #expect(page.contains("svar-299-"), "the current answer")
            #expect(page.contains("svar-279-") && !page.contains("svar-278-"), "the newest \(MyDataPage.replacedShown) replaced ones, no more")
            #expect(page.contains("Eldre, erstattede svar som bare ligger i eksporten: 279"))
            let export = try await ada.get("/me/export").text
            #expect((0..<300).allSatisfy { export.contains("svar-\($0)-") })
        }
    }
}

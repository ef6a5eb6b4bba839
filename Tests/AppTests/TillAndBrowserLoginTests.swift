import Foundation
import TestSupport
import Testing

@testable import App

@Suite("The till page, the browser login and flagged numbers", .serialized)
struct TillAndBrowserLoginTests {
    @Test("the till starts a login with its form and shows the binding message and the status")
    func tillPage() async throws {
        try await OnboardingHarness.with(demoTill: true) { harness in
            let till = Browser(port: harness.app.port)
            let page = try await till.get("/pos")
            let csrf = try #require(Browser.hidden("csrf", in: page.text))
            let refused = try await till.post("/pos/logins", form: [("phone", "41234567")])
            #expect(refused.status == 403, "no CSRF token, no login")
            let bad = try await till.post("/pos/logins", form: [("csrf", csrf), ("phone", "123")])
            #expect(bad.status == 422)
            #expect(bad.text.contains("Dette er ikke et mobilnummer vi kan sende til"))
            #expect(bad.text.contains("value=\"123\""), "what was typed is kept")
            let noVipps = try await till.post("/pos/logins", form: [("csrf", csrf), ("phone", "4742222222")])
            #expect(noVipps.text.contains("Ingen Vipps-bruker på dette nummeret"), "user-exists answers before the start")
            let started = try await till.post("/pos/logins", form: [("csrf", csrf), ("phone", "12345678"), ("consents", "yes")])
            #expect(started.status == 303)
            let progress = try await till.get(try #require(started.header("Location")))
            #expect(progress.text.contains("class=\"binding-message\""))
            #expect(progress.text.contains("Venter på kunden") && progress.text.contains("Be kunden bekrefte i appen"))
            #expect(progress.text.contains("/public/js/pos.js"))
            let id = try #require(started.header("Location")?.split(separator: "/").last)
            let status = till.json(try await till.get("/pos/logins/\(id)/status.json"))
            #expect(status["status"] as? String == "pending")
        }
    }

    @Test("without demo mode the till asks for an API key, and a valid one opens it")
    func tillNeedsKey() async throws {
        try await OnboardingHarness.with { harness in
            let till = Browser(port: harness.app.port)
            let page = try await till.get("/pos").text
            #expect(page.contains("name=\"key\""))
            let token = try #require(Browser.hidden("csrf", in: page))
            let wrong = try await till.post("/pos/key", form: [("csrf", token), ("key", "vk_nope")])
            #expect(wrong.status == 401)
            #expect(try await till.post("/pos/key", form: [("csrf", token), ("key", harness.apiKey)]).status == 303)
            #expect(try await till.get("/pos").text.contains("Oslo sentrum"), "the store by its display name")
        }
    }

    @Test("a number in Vipps that differs from the one typed flags the login")
    func phoneMismatch() async throws {
        try await OnboardingHarness.with { harness in
            let (id, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID)
            try await harness.app.app.database.write { try $0.execute("UPDATE login_requests SET phone_hint = '4799999999' WHERE id = ?", [id]) }
            _ = try await Browser(port: harness.app.port).get("/callback?code=\(code)")
            let api = Browser(port: harness.app.port)
            #expect(api.json(try await api.getJSON("/api/v1/logins/\(id)", bearer: harness.apiKey))["phoneMismatch"] as? Bool == true)
        }
    }

    @Test("the browser login checks state, PKCE and nonce against the browser that started it")
    func browserLogin() async throws {
        try await OnboardingHarness.with { harness in
            let member = Browser(port: harness.app.port)
            let start = try await member.get("/login")
            #expect(start.status == 302)
            let authorize = try #require(start.header("Location").flatMap(URL.init(string:)))
            let vipps = harness.simulatorHTTP
            let form = try await vipps.get(authorize.path + "?" + (authorize.query ?? ""))
            let session = try #require(Browser.hidden("session", in: form.text))
            _ = try await vipps.post("/access-management-1.0/access/oauth2/auth/phone", form: [("session", session), ("phone", "98765432")])
            let back = try await vipps.post(
                "/access-management-1.0/access/oauth2/auth/decision", form: [("session", session), ("decision", "confirm")])
            let callback = try #require(back.header("Location").flatMap(URLComponents.init(string:)))
            let query = callback.path + "?" + (callback.percentEncodedQuery ?? "")

            let stranger = Browser(port: harness.app.port)
            let refused = try await stranger.get(query)
            #expect(refused.text.contains("Innloggingen ble startet et annet sted"), "another browser cannot land this login")
            let landed = try await member.get(query)
            #expect(landed.status == 303)
            #expect(try await member.get("/welcome").text.contains("Hei, Per!"))
        }
    }
}

@Suite("A member's language")
struct MemberLanguageTests {
    @Test("a member who picks English keeps it on another device")
    func remembered() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID)
            let phone = Browser(port: harness.app.port)
            _ = try await phone.get("/callback?code=\(code)")
            #expect(try await phone.get("/welcome?lang=en").text.contains("Hi, Ada!"))
            let session = try #require(phone.cookies["velkommen_session"])
            let other = Browser(port: harness.app.port)
            other.acceptLanguage = "nb-NO"
            other.setCookie("velkommen_session", session)
            #expect(try await other.get("/welcome").text.contains("Hi, Ada!"), "the member's choice beats the browser's Accept-Language")
        }
    }
}

import Foundation
import TestSupport
import Testing
import VippsLogin
import VippsSimulator

@Suite("Simulator: the phone behaves like the Vipps app")
struct PhonePageTests {
    @Test("the phone shows the merchant, the requested data and the binding message; confirm redirects with a code")
    func confirmRedirects() async throws {
        try await SimulatorHarness.with { harness in
            let login = try await harness.client.startLogin(
                BackchannelLoginRequest(
                    phone: try PhoneNumber("4712345678"), scopes: ["openid", "name", "email"], bindingMessage: try BindingMessage("K7Q-4MZ"),
                    flow: .loginToWebpage(redirectURI: SimulatorHarness.redirectURI)))
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let page = try await http.get("/phone/4712345678")
            #expect(page.text.contains("K7Q-4MZ"))
            #expect(page.text.contains(harness.simulator.configuration.merchantName))
            #expect(page.text.contains("Name, Email address"))
            let confirmed = try await http.post("/phone/4712345678/logins/\(login.authReqID)/confirm", form: "")
            #expect(confirmed.status == 303)
            let location = try #require(confirmed.header("Location"))
            #expect(location.hasPrefix(SimulatorHarness.redirectURI.absoluteString + "?code="))
            #expect(try await http.post("/phone/4712345678/logins/\(login.authReqID)/confirm", form: "").status == 410, "answered once")
        }
    }

    @Test("with delegated consents, required ones must be ticked before the login completes")
    func requiredConsents() async throws {
        try await SimulatorHarness.with(simulator: { $0.consents[0].required = true }) { harness in
            let login = try await harness.client.startLogin(
                BackchannelLoginRequest(
                    phone: try PhoneNumber("4798765432"), scopes: ["openid", "delegatedConsents"], flow: .poll))
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let screen = try await http.post("/phone/4798765432/logins/\(login.authReqID)/confirm", form: "")
            #expect(screen.text.contains("Receive offers via email (required)"))
            let refused = try await http.post("/phone/4798765432/logins/\(login.authReqID)/consents", form: "consent=sms")
            #expect(refused.status == 422)
            let done = try await http.post("/phone/4798765432/logins/\(login.authReqID)/consents", form: "consent=email&consent=sms")
            #expect(done.text.contains("Login complete"))
            let tokens = try await harness.client.waitForToken(login, sleep: { _ in try await Task.sleep(for: .milliseconds(1100)) })
            let claims = try await harness.client.verifyIDToken(tokens.idToken, authReqID: login.authReqID)
            let info = try await harness.client.userInfo(accessToken: tokens.accessToken, expectedSubject: claims.sub)
            #expect(info.delegatedConsents?.accepted == ["email", "sms"])
        }
    }

    @Test("cancel on the phone ends the login with access_denied")
    func cancel() async throws {
        try await SimulatorHarness.with { harness in
            let login = try await harness.client.startLogin(
                BackchannelLoginRequest(phone: try PhoneNumber("4712345678"), scopes: ["openid"], flow: .poll))
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let cancelled = try await http.post("/phone/4712345678/logins/\(login.authReqID)/cancel", form: "")
            #expect(cancelled.text.contains("You cancelled"))
            await #expect(throws: VippsLoginError.accessDenied) { try await harness.client.pollToken(authReqID: login.authReqID) }
        }
    }

    @Test("the HTTP test hooks approve a login and arm failures")
    func httpHooks() async throws {
        try await SimulatorHarness.with { harness in
            let login = try await harness.client.startLogin(
                BackchannelLoginRequest(
                    phone: try PhoneNumber("4712345678"), scopes: ["openid"], flow: .loginToWebpage(redirectURI: SimulatorHarness.redirectURI)))
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let approved = http.json(try await http.post("/_sim/logins/\(login.authReqID)/approve", form: ""))
            #expect((approved["redirect"] as? String)?.contains("code=") == true)
            let client = try RawJSON.post(port: http.port, path: "/_sim/hooks", json: #"{"failNextStatus": 502, "failNextCount": 1}"#)
            #expect(try await client.readResponse().status == 200)
            #expect(try await http.get("/access-management-1.0/access/.well-known/jwks.json").status == 502)
            #expect(try await http.get("/access-management-1.0/access/.well-known/jwks.json").status == 200)
        }
    }
}

enum RawJSON {
    static func post(port: Int, path: String, json: String) throws -> RawClient {
        let client = try RawClient(port: port)
        client.send(
            "POST \(path) HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\nContent-Length: \(json.utf8.count)\r\nConnection: close\r\n\r\n\(json)"
        )
        return client
    }
}

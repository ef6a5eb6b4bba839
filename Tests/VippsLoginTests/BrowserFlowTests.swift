import Foundation
import Testing
import VippsLogin
import VippsSimulator

@Suite("Browser flow: authorization code with state, nonce and PKCE")
struct BrowserFlowTests {
    /// Walks the simulator's screens as a browser would; returns the redirect's query.
    func logIn(_ harness: SimulatorHarness, request: AuthorizationRequest, phone: String, decision: String) async throws -> [String: String] {
        let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
        let path = request.url.path + "?" + (request.url.query ?? "")
        let form = try await http.get(path)
        #expect(form.status == 200)
        let session = try #require(SimulatorHTTP.hidden("session", in: form.text))
        let confirm = try await http.post("/access-management-1.0/access/oauth2/auth/phone", form: "session=\(session)&phone=\(phone)")
        #expect(confirm.text.contains("Confirm"))
        let redirect = try await http.post("/access-management-1.0/access/oauth2/auth/decision", form: "session=\(session)&decision=\(decision)")
        #expect(redirect.status == 302)
        let location = try #require(redirect.header("Location"))
        #expect(location.hasPrefix(SimulatorHarness.redirectURI.absoluteString + "?"))
        let items = URLComponents(string: location)?.queryItems ?? []
        return Dictionary(items.map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { first, _ in first })
    }

    @Test("confirm returns code, state and scope; the code with its verifier gives a token with our nonce")
    func confirmed() async throws {
        try await SimulatorHarness.with { harness in
            let request = try await harness.client.authorizationRequest(redirectURI: SimulatorHarness.redirectURI, scopes: ["name"])
            let query = try await logIn(harness, request: request, phone: "4712345678", decision: "confirm")
            #expect(query["state"] == request.state)
            #expect(query["scope"] == "openid name")
            let code = try #require(query["code"])
            await #expect(throws: VippsLoginError.invalidGrant) {
                try await harness.client.exchangeAuthorizationCode(
                    code, redirectURI: SimulatorHarness.redirectURI, codeVerifier: "wrong-verifier-wrong-verifier-wrong-verif")
            }
        }
    }

    @Test("the right verifier exchanges the code; the nonce is checked")
    func exchange() async throws {
        try await SimulatorHarness.with { harness in
            let request = try await harness.client.authorizationRequest(redirectURI: SimulatorHarness.redirectURI, scopes: ["name"])
            let query = try await logIn(harness, request: request, phone: "4712345678", decision: "confirm")
            let tokens = try await harness.client.exchangeAuthorizationCode(
                try #require(query["code"]), redirectURI: SimulatorHarness.redirectURI,
                codeVerifier: request.codeVerifier)
            let claims = try await harness.client.verifyIDToken(tokens.idToken, nonce: request.nonce)
            #expect(claims.nonce == request.nonce)
            await #expect(throws: VippsLoginError.self) { try await harness.client.verifyIDToken(tokens.idToken, nonce: "another-nonce") }
        }
    }

    @Test("cancel returns error=access_denied with the state")
    func cancelled() async throws {
        try await SimulatorHarness.with { harness in
            let request = try await harness.client.authorizationRequest(redirectURI: SimulatorHarness.redirectURI, scopes: ["name"])
            let query = try await logIn(harness, request: request, phone: "4712345678", decision: "cancel")
            #expect(query["error"] == "access_denied")
            #expect(query["state"] == request.state)
            #expect(query["code"] == nil)
        }
    }

    @Test("an unregistered redirect URI gets Vipps' own error page, not a redirect")
    func unregisteredRedirect() async throws {
        try await SimulatorHarness.with { harness in
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let response = try await http.get(
                "/access-management-1.0/access/oauth2/auth?client_id=\(SimulatorHarness.clientID)&response_type=code&scope=openid&state=12345678&redirect_uri=https%3A%2F%2Fevil.example%2Fcb"
            )
            #expect(response.status == 400)
            #expect(response.header("Location") == nil)
            #expect(response.text.contains("does not match any of your preregistered URIs"))
        }
    }
}

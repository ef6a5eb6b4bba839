import Foundation
import Testing
import VippsLogin
import VippsSimulator

/// The simulator against the reference's documented examples: field names, statuses and error values.
@Suite("Simulator: the documented shapes")
struct SimulatorContractTests {
    let basic =
        "Authorization: Basic "
        + Data("\(SimulatorHarness.clientID):\(SimulatorHarness.clientSecret.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)".utf8)
        .base64EncodedString() + "\r\n"
    let ciba = "/vipps-login-ciba/api/backchannel/authentication"

    @Test("discovery has the issuer, the endpoints and the CIBA fields, cached for an hour")
    func discovery() async throws {
        try await SimulatorHarness.with { harness in
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let response = try await http.get("/access-management-1.0/access/.well-known/openid-configuration")
            #expect(response.header("Cache-Control") == "max-age=3600")
            let document = http.json(response)
            #expect((document["issuer"] as? String)?.hasSuffix("/access-management-1.0/access/") == true)
            #expect((document["backchannel_authentication_endpoint"] as? String)?.hasSuffix(ciba) == true)
            #expect(document["backchannel_token_delivery_modes_supported"] as? [String] == ["poll"])
            #expect((document["userinfo_endpoint"] as? String)?.hasSuffix("/vipps-userinfo-api/userinfo") == true)
            let jwks = http.json(try await http.get("/access-management-1.0/access/.well-known/jwks.json"))
            let keys = try #require(jwks["keys"] as? [[String: String]])
            #expect(Set(keys.map { $0["kty"] ?? "" }) == ["RSA", "EC"])
            #expect(keys.allSatisfy { ($0["kid"] ?? "").hasPrefix("public:") && $0["use"] == "sig" })
        }
    }

    @Test("the backchannel request answers auth_req_id, expires_in 600 and interval; pending polls read as documented")
    func backchannelShapes() async throws {
        try await SimulatorHarness.with(simulator: { $0.pollInterval = 5 }) { harness in
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let started = try await http.post(
                ciba, form: "scope=openid%20name&login_hint=urn%3Amsisdn%3A4712345678&binding_message=4MZ-CQ3", headers: basic)
            #expect(started.status == 200)
            let body = http.json(started)
            #expect(body["expires_in"] as? Int == 600)
            #expect(body["interval"] as? Int == 5)
            let id = try #require(body["auth_req_id"] as? String)
            let poll = try await http.post(
                "/access-management-1.0/access/oauth2/token",
                form: "grant_type=urn%3Aopenid%3Aparams%3Agrant-type%3Aciba&auth_req_id=\(id)", headers: basic)
            #expect(poll.status == 400)
            #expect(http.json(poll)["error"] as? String == "authorization_pending")
            #expect(http.json(poll)["error_description"] as? String == "The authorization request is still pending")
        }
    }

    @Test(
        "each bad backchannel request gets its documented error",
        arguments: [
            ("scope=openid&login_hint=12345678", "invalid_request"),
            ("scope=openid&login_hint=urn%3Amsisdn%3A4712345678&binding_message=abc", "invalid_binding_message"),
            ("login_hint=urn%3Amsisdn%3A4712345678", "invalid_request"),
            ("scope=name%20nnin&login_hint=urn%3Amsisdn%3A4712345678", "invalid_scope"),
            (
                "scope=name&login_hint=urn%3Amsisdn%3A4712345678&requested_flow=login_to_webpage&redirect_uri=http%3A%2F%2F127.0.0.1%3A9%2Fcallback",
                "invalid_request"
            ),
            (
                "scope=openid&login_hint=urn%3Amsisdn%3A4712345678&requested_flow=login_to_webpage&redirect_uri=https%3A%2F%2Fevil.example%2F",
                "invalid_request"
            ),
            ("scope=openid&login_hint=urn%3Amsisdn%3A4742222222", "invalid_user"),
            ("scope=openid&login_hint=urn%3Amsisdn%3A4743333333", "old_app"),
        ])
    func backchannelErrors(form: String, error: String) async throws {
        try await SimulatorHarness.with { harness in
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let response = try await http.post(ciba, form: form, headers: basic)
            #expect(response.status == 400)
            #expect(http.json(response)["error"] as? String == error)
            #expect(!(http.json(response)["error_description"] as? String ?? "").isEmpty)
        }
    }

    @Test("an unknown client, a wrong secret or no credentials get 401 invalid_client")
    func invalidClient() async throws {
        try await SimulatorHarness.with { harness in
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let wrong = "Authorization: Basic " + Data("\(SimulatorHarness.clientID):nope".utf8).base64EncodedString() + "\r\n"
            for headers in [wrong, ""] {
                let response = try await http.post(ciba, form: "scope=openid&login_hint=urn%3Amsisdn%3A4712345678", headers: headers)
                #expect(response.status == 401)
                #expect(http.json(response)["error"] as? String == "invalid_client")
            }
        }
    }

    @Test("userinfo without a valid token is 401")
    func userinfoUnauthorized() async throws {
        try await SimulatorHarness.with { harness in
            let http = SimulatorHTTP(baseURL: harness.simulator.baseURL)
            let anonymous = try await http.get("/vipps-userinfo-api/userinfo")
            let madeUp = try await http.get("/vipps-userinfo-api/userinfo", headers: "Authorization: Bearer made-up\r\n")
            #expect(anonymous.status == 401)
            #expect(madeUp.status == 401)
        }
    }

    @Test("the CONSENT_REVOKED webhook is POSTed")
    func consentRevokedToken() async throws {
        try await SimulatorHarness.with { harness in
            // No receiver is needed to see it sent: the simulator's own port answers the POST with 404.
            let status = try await harness.simulator.sendConsentRevoked(sub: "c06c4afe", to: URL(string: harness.simulator.baseURL + "/webhook")!)
            #expect(status == 404)
        }
    }
}

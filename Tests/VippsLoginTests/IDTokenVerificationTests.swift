import Foundation
import Testing
import VippsLogin
import VippsSimulator

@Suite("ID tokens and userinfo that must be refused")
struct IDTokenVerificationTests {
    /// Exchanges an approved redirect login with `hooks` in force and verifies its ID token.
    func verify(hooks: SimulatorHooks, authReqID expected: String? = nil) async throws -> Result<IDTokenClaims, VippsLoginError> {
        var result: Result<IDTokenClaims, VippsLoginError>!
        try await SimulatorHarness.with { harness in
            await harness.simulator.setHooks(hooks)
            let (login, code) = try await harness.approvedRedirectLogin()
            let tokens = try await harness.client.exchangeRedirectCode(code)
            do {
                result = .success(try await harness.client.verifyIDToken(tokens.idToken, authReqID: expected ?? login.authReqID))
            } catch let error as VippsLoginError {
                result = .failure(error)
            }
        }
        return result
    }

    @Test("a token signed by a key that is not in the JWKS is refused")
    func unknownKey() async throws {
        var hooks = SimulatorHooks()
        hooks.signWithUnknownKey = true
        guard case .failure(.invalidIDToken(let reason)) = try await verify(hooks: hooks) else {
            Issue.record("accepted")
            return
        }
        #expect(reason.contains("not in Vipps' JWKS"))
    }

    @Test("a token for another audience is refused")
    func wrongAudience() async throws {
        var hooks = SimulatorHooks()
        hooks.audienceOverride = "someone-else"
        guard case .failure(.invalidIDToken(let reason)) = try await verify(hooks: hooks) else {
            Issue.record("accepted")
            return
        }
        #expect(reason.contains("audience"))
    }

    @Test("a token from another login (auth_req_id) is refused")
    func wrongLogin() async throws {
        guard case .failure(.invalidIDToken(let reason)) = try await verify(hooks: SimulatorHooks(), authReqID: "another-login") else {
            Issue.record("accepted")
            return
        }
        #expect(reason.contains("another login"))
    }

    @Test("ES256 keys and the authReqId spelling are both accepted")
    func variants() async throws {
        var hooks = SimulatorHooks()
        hooks.algorithm = "ES256"
        hooks.authReqIDClaim = "authReqId"
        guard case .success(let claims) = try await verify(hooks: hooks) else {
            Issue.record("refused")
            return
        }
        #expect(claims.authReqID != nil)
    }

    @Test("userinfo for another sub than the ID token is refused")
    func subjectMismatch() async throws {
        try await SimulatorHarness.with { harness in
            var hooks = SimulatorHooks()
            hooks.userinfoSubOverride = "not-the-same-user"
            await harness.simulator.setHooks(hooks)
            let (login, code) = try await harness.approvedRedirectLogin()
            let tokens = try await harness.client.exchangeRedirectCode(code)
            let claims = try await harness.client.verifyIDToken(tokens.idToken, authReqID: login.authReqID)
            await #expect(throws: VippsLoginError.subjectMismatch) {
                try await harness.client.userInfo(accessToken: tokens.accessToken, expectedSubject: claims.sub)
            }
        }
    }

    @Test("an expired ID token is refused")
    func expired() async throws {
        try await SimulatorHarness.with(client: { $0.clockLeeway = 0 }) { harness in
            let (login, code) = try await harness.approvedRedirectLogin()
            let tokens = try await harness.client.exchangeRedirectCode(code)
            let late = VippsLoginClient(configuration: harness.client.configuration, now: { Date().addingTimeInterval(7200) })
            await #expect(throws: VippsLoginError.invalidIDToken(reason: "the token has expired")) {
                try await late.verifyIDToken(tokens.idToken, authReqID: login.authReqID)
            }
        }
    }
}

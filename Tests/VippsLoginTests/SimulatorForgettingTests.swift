import Foundation
import Testing
import VippsLogin

@testable import VippsSimulator

/// `velkommen serve` runs the simulator for as long as the app, so it must not keep every login.
@Suite("Simulator: forgets expired records")
struct SimulatorForgettingTests {
    @Test("an expired login still answers expired_token for a while, and is forgotten with its code and token after that")
    func forgetsAfterRetention() async throws {
        try await SimulatorHarness.with { harness in
            let (_, code) = try await harness.approvedRedirectLogin()
            _ = try await harness.client.exchangeRedirectCode(code)
            let request = BackchannelLoginRequest(phone: try PhoneNumber("4798765432"), scopes: ["openid"], flow: .poll)
            let unanswered = try await harness.client.startLogin(request)
            #expect(await harness.simulator.state.recordCount == 4, "a login, its code, its access token, and the unanswered login")

            await harness.simulator.advanceClock(by: 601)
            _ = try await harness.client.startLogin(request)
            await #expect(throws: VippsLoginError.expiredToken) { try await harness.client.pollToken(authReqID: unanswered.authReqID) }
            #expect(await harness.simulator.state.recordCount == 5, "within forgetAfter (10 minutes) nothing is forgotten")

            // Past the access token's 3,599 s and forgetAfter: everything before is forgotten.
            await harness.simulator.advanceClock(by: 3_600)
            let newest = try await harness.client.startLogin(request)
            #expect(await harness.simulator.state.recordCount == 1, "only the login started after the sweep")
            await #expect(throws: VippsLoginError.invalidGrant) { try await harness.client.pollToken(authReqID: unanswered.authReqID) }
            await #expect(throws: VippsLoginError.authorizationPending) { try await harness.client.pollToken(authReqID: newest.authReqID) }
        }
    }
}

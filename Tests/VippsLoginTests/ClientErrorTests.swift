import Foundation
import Testing
import VippsLogin
import VippsSimulator

@Suite("Client authentication, server failures and time limits")
struct ClientErrorTests {
    let poll = { BackchannelLoginRequest(phone: try! PhoneNumber("4712345678"), scopes: ["openid"], flow: .poll) }

    @Test("a wrong secret is invalid_client")
    func wrongSecret() async throws {
        try await SimulatorHarness.with(client: { $0.clientSecret = "wrong" }) { harness in
            await #expect(throws: VippsLoginError.invalidClient) { try await harness.client.startLogin(poll()) }
        }
    }

    @Test("client_secret_post works for a client configured for it, and Basic is then refused")
    func authMethods() async throws {
        try await SimulatorHarness.with(client: {
            $0.clientID = "post-client"
            $0.clientSecret = "post-secret"
            $0.tokenAuthMethod = .clientSecretPost
        }) { harness in
            let login = try await harness.client.startLogin(poll())
            #expect(!login.authReqID.isEmpty)
        }
        try await SimulatorHarness.with(client: {
            $0.clientID = "post-client"
            $0.clientSecret = "post-secret"
        }) { harness in
            await #expect(throws: VippsLoginError.invalidClient) { try await harness.client.startLogin(poll()) }
        }
    }

    @Test("a 5xx from Vipps is a server error, and the next call works")
    func serverError() async throws {
        try await SimulatorHarness.with { harness in
            _ = try await harness.client.discovery()
            var hooks = SimulatorHooks()
            hooks.failNextStatus = 503
            hooks.failNextCount = 1
            await harness.simulator.setHooks(hooks)
            await #expect(throws: VippsLoginError.serverError(status: 503)) { try await harness.client.startLogin(poll()) }
            _ = try await harness.client.startLogin(poll())
        }
    }

    @Test("an answer slower than the total time limit is a timeout")
    func timeout() async throws {
        try await SimulatorHarness.with(client: {
            $0.totalTimeout = 1
            $0.connectTimeout = 1
        }) { harness in
            var hooks = SimulatorHooks()
            hooks.latencyMilliseconds = 3000
            await harness.simulator.setHooks(hooks)
            await #expect(throws: VippsLoginError.timeout) { try await harness.client.startLogin(poll()) }
        }
    }

    @Test("error descriptions never carry the secret")
    func noSecrets() {
        let errors: [VippsLoginError] = [
            .invalidClient, .invalidGrant, .transport("x"), .badResponse("y"), .unexpectedError(status: 400, error: "e", description: "d"),
        ]
        for error in errors { #expect(!error.description.contains(SimulatorHarness.clientSecret)) }
    }
}

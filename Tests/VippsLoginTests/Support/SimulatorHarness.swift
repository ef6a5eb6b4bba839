import Foundation
import Testing
import VippsLogin
import VippsSimulator

/// A simulator on an ephemeral port and a client configured against it.
struct SimulatorHarness {
    static let redirectURI = URL(string: "http://127.0.0.1:9/callback")!
    static let clientID = "velkommen-test"
    static let clientSecret = "s3cret:with/odd&chars"

    let simulator: VippsSimulator
    let client: VippsLoginClient

    static func configuration() -> SimulatorConfiguration {
        var configuration = SimulatorConfiguration()
        configuration.clients = [
            .init(id: clientID, secret: clientSecret, authMethod: "client_secret_basic", redirectURIs: [redirectURI.absoluteString]),
            .init(id: "post-client", secret: "post-secret", authMethod: "client_secret_post", redirectURIs: [redirectURI.absoluteString]),
        ]
        configuration.pollInterval = 1
        return configuration
    }

    /// Runs `body` with a started simulator; `adjust` may change the simulator's or the client's settings.
    static func with(
        simulator adjustSimulator: (inout SimulatorConfiguration) -> Void = { _ in },
        client adjustClient: (inout VippsLoginConfiguration) -> Void = { _ in },
        _ body: (SimulatorHarness) async throws -> Void
    ) async throws {
        var simulatorConfiguration = configuration()
        adjustSimulator(&simulatorConfiguration)
        let simulator = try await VippsSimulator(configuration: simulatorConfiguration, port: 0)
        try await simulator.start()
        var clientConfiguration = VippsLoginConfiguration(issuer: URL(string: simulator.issuer)!, clientID: clientID, clientSecret: clientSecret)
        adjustClient(&clientConfiguration)
        let harness = SimulatorHarness(simulator: simulator, client: VippsLoginClient(configuration: clientConfiguration))
        do {
            try await body(harness)
        } catch {
            await simulator.shutdown()
            throw error
        }
        await simulator.shutdown()
    }

    /// Starts a redirect-variant login for `phone` and approves it; returns the login and the code.
    func approvedRedirectLogin(
        phone: String = "4712345678", scopes: [String] = ["openid", "name"], consents: Set<String>? = nil
    )
        async throws -> (BackchannelLogin, String)
    {
        let login = try await client.startLogin(
            BackchannelLoginRequest(
                phone: try PhoneNumber(phone), scopes: scopes, bindingMessage: try BindingMessage("AB-123"),
                flow: .loginToWebpage(redirectURI: Self.redirectURI)))
        let redirect = try #require(await simulator.approve(authReqID: login.authReqID, consents: consents))
        let code = try #require(URLComponents(url: redirect, resolvingAgainstBaseURL: false)?.queryItems?.first { $0.name == "code" }?.value)
        return (login, code)
    }
}

import Foundation
import Testing
import VippsLogin
import VippsSimulator

@Suite("A polite client: user-exists, requested_expiry, the system headers, every market's numbers")
struct PoliteClientTests {
    @Test("user-exists answers for every market, and the configured numbers have no Vipps")
    func userExists() async throws {
        try await SimulatorHarness.with { harness in
            for msisdn in ["4712345678", "4512345678", "358401234567", "299123456"] {
                let exists = try await harness.client.userExists(try PhoneNumber(msisdn: msisdn))
                #expect(exists, "\(msisdn) is a test user")
            }
            for msisdn in ["4790000000", "4590000000", "358409000000", "299900000", "4799999999"] {
                let exists = try await harness.client.userExists(try PhoneNumber(msisdn: msisdn))
                #expect(!exists, "\(msisdn) has no Vipps")
            }
        }
    }

    @Test("a Vipps without user-exists is an error, not a no, so the caller can start anyway")
    func userExistsMissing() async throws {
        try await SimulatorHarness.with(simulator: { $0.userExistsMissing = true }) { harness in
            await #expect(throws: VippsLoginError.self) { try await harness.client.userExists(try PhoneNumber("4712345678")) }
        }
    }

    @Test("a slow user-exists gives up after its own short deadline")
    func userExistsDeadline() async throws {
        try await SimulatorHarness.with(client: { $0.userExistsTimeout = 0.3 }) { harness in
            _ = try await harness.client.discovery()
            var hooks = SimulatorHooks()
            hooks.latencyMilliseconds = 2000
            await harness.simulator.setHooks(hooks)
            // Two seconds is well inside the 15 s of every other call: only the short deadline makes this a timeout.
            await #expect(throws: VippsLoginError.timeout) { try await harness.client.userExists(try PhoneNumber("4712345678")) }
        }
    }

    @Test("requested_expiry is sent and Vipps' expires_in follows it; out of bounds is refused by the simulator")
    func requestedExpiry() async throws {
        try await SimulatorHarness.with { harness in
            let login = try await harness.client.startLogin(
                BackchannelLoginRequest(phone: try PhoneNumber("4712345678"), scopes: ["openid"], flow: .poll, requestedExpiry: 120))
            #expect(login.expiresIn == 120)
            await #expect(
                throws: VippsLoginError.invalidRequest(
                    error: "invalid_request", description: "requested_expiry must be a whole number of seconds from 60 to 900.")
            ) {
                try await harness.client.startLogin(
                    BackchannelLoginRequest(phone: try PhoneNumber("4791234567"), scopes: ["openid"], flow: .poll, requestedExpiry: 30))
            }
        }
    }

    @Test("logins start for Danish, Finnish and Greenlandic numbers, with the exact login_hint")
    func nordicNumbers() async throws {
        try await SimulatorHarness.with { harness in
            for phone in ["+45 12 34 56 78", "+358 40 123 4567", "+299 12 34 56"] {
                let login = try await harness.client.startLogin(
                    BackchannelLoginRequest(phone: try PhoneNumber(phone), scopes: ["openid"], flow: .poll))
                #expect(!login.authReqID.isEmpty)
            }
            #expect(await harness.simulator.pendingLogins(msisdn: "358401234567").count == 1)
        }
    }

    @Test("every call carries the four Vipps-System headers, the version being Velkommen's")
    func systemHeaders() async throws {
        try await SimulatorHarness.with { harness in
            let (login, code) = try await harness.approvedRedirectLogin()
            let tokens = try await harness.client.exchangeRedirectCode(code)
            let claims = try await harness.client.verifyIDToken(tokens.idToken, authReqID: login.authReqID)
            _ = try await harness.client.userInfo(accessToken: tokens.accessToken, expectedSubject: claims.sub)
            _ = try await harness.client.userExists(try PhoneNumber("4712345678"))
            let calls = await harness.simulator.recordedCalls()
            let paths = Set(calls.map(\.path))
            for needle in ["openid-configuration", "jwks", "backchannel", "token", "userinfo", "user-exists"] {
                #expect(paths.contains { $0.contains(needle) }, "\(needle) was called")
            }
            for call in calls {
                #expect(call.systemHeaders == SystemHeaders.velkommen, "\(call.path)")
            }
            #expect(SystemHeaders.velkommen["Vipps-System-Version"] == SystemHeaders.version)
            #expect(SystemHeaders.isValid(SystemHeaders.velkommen))
        }
    }

    @Test("the QR API exchanges a tokenized code for the number, and refuses an unknown one")
    func qrExchange() async throws {
        try await SimulatorHarness.with { harness in
            let simulator = harness.simulator
            let exchange = PersonalQRExchange(
                configuration: .init(
                    baseURL: URL(string: simulator.qrAPIURL)!, clientID: SimulatorHarness.clientID, clientSecret: SimulatorHarness.clientSecret,
                    subscriptionKey: simulator.configuration.subscriptionKey))
            let danish = try await exchange.exchange("https://qr.mobilepay.dk/p/MPDK7Q4MZ9CQ3X")
            let finnish = try await exchange.exchange("https://qr.mobilepay.fi/MPFI2K8R5T7WQ1")
            #expect(danish.msisdn == "4512345678" && finnish.msisdn == "358401234567")
            await #expect(throws: PersonalQRExchange.Failure.unknownCode) { try await exchange.exchange("https://qr.mobilepay.dk/p/NOSUCHTOKEN1") }
            let wrongKey = PersonalQRExchange(
                configuration: .init(
                    baseURL: URL(string: simulator.qrAPIURL)!, clientID: SimulatorHarness.clientID, clientSecret: SimulatorHarness.clientSecret,
                    subscriptionKey: "wrong"))
            await #expect(throws: PersonalQRExchange.Failure.refusedCredentials) {
                try await wrongKey.exchange("https://qr.mobilepay.dk/p/MPDK7Q4MZ9CQ3X")
            }
            #expect(
                await simulator.recordedCalls().filter { $0.path.contains("exchange") }.allSatisfy { $0.systemHeaders == SystemHeaders.velkommen })
        }
    }
}

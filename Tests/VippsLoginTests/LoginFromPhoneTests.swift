import Foundation
import Testing
import VippsLogin
import VippsSimulator

@Suite("Login from phone number against the simulator")
struct LoginFromPhoneTests {
    @Test("the redirect variant: code exchanged, ID token bound to the login, userinfo with consents")
    func redirectVariant() async throws {
        try await SimulatorHarness.with { harness in
            let (login, code) = try await harness.approvedRedirectLogin(
                scopes: ["openid", "name", "email", "address", "delegatedConsents"],
                consents: ["sms"])
            #expect(login.expiresIn == 600)
            let tokens = try await harness.client.exchangeRedirectCode(code)
            let claims = try await harness.client.verifyIDToken(tokens.idToken, authReqID: login.authReqID)
            #expect(claims.sub == "c06c4afe-d9e1-4c5d-939a-177d752a0944")
            #expect(claims.aud.value == [SimulatorHarness.clientID])
            let info = try await harness.client.userInfo(accessToken: tokens.accessToken, expectedSubject: claims.sub)
            #expect(info.givenName == "Ada")
            #expect(info.emailVerified == true)
            #expect(info.address?.postalCode == "2101")
            #expect(info.otherAddresses?.first?.addressType == "work")
            let consents = try #require(info.delegatedConsents)
            #expect(consents.accepted == ["sms"])
            #expect(consents.termsDescription?.contains("terms of membership") == true)
            #expect(info.delegatedConsentsJSON?.contains("\" termsDescription\"") == true, "kept verbatim, odd key and all")
        }
    }

    @Test("a code is exchanged once; the second exchange is invalid_grant")
    func reusedCode() async throws {
        try await SimulatorHarness.with { harness in
            let (_, code) = try await harness.approvedRedirectLogin()
            _ = try await harness.client.exchangeRedirectCode(code)
            await #expect(throws: VippsLoginError.invalidGrant) { try await harness.client.exchangeRedirectCode(code) }
        }
    }

    @Test("a code older than its 300 s lifetime is invalid_grant")
    func expiredCode() async throws {
        try await SimulatorHarness.with { harness in
            let (_, code) = try await harness.approvedRedirectLogin()
            await harness.simulator.advanceClock(by: 301)
            await #expect(throws: VippsLoginError.invalidGrant) { try await harness.client.exchangeRedirectCode(code) }
        }
    }

    @Test("the poll variant: pending, slow_down when too fast, then tokens once confirmed")
    func pollVariant() async throws {
        // An interval of a minute, and waits that move the simulator's clock instead of sleeping: two
        // polls in a row are "too fast" however slow the machine is, and the test takes no real time.
        try await SimulatorHarness.with(simulator: { $0.pollInterval = 60 }) { harness in
            let login = try await harness.client.startLogin(
                BackchannelLoginRequest(
                    phone: try PhoneNumber("+47 912 34 567"), scopes: ["openid", "name", "address"], flow: .poll))
            #expect(login.interval == 60)
            await #expect(throws: VippsLoginError.authorizationPending) {
                try await harness.client.pollToken(authReqID: login.authReqID, interval: login.interval)
            }
            await #expect(throws: VippsLoginError.slowDown(interval: 65)) {
                try await harness.client.pollToken(authReqID: login.authReqID, interval: login.interval)
            }
            await harness.simulator.approve(authReqID: login.authReqID)
            let simulator = harness.simulator
            let tokens = try await harness.client.waitForToken(
                login, sleep: { duration in await simulator.advanceClock(by: TimeInterval(duration.components.seconds)) })
            #expect(tokens.accessToken.hasPrefix("ciba."))
            let claims = try await harness.client.verifyIDToken(tokens.idToken, authReqID: login.authReqID)
            #expect(claims.sub == "5168ee06-8c21-4b44-9a3c-0b1a4a5ab001")
            let info = try await harness.client.userInfo(accessToken: tokens.accessToken, expectedSubject: claims.sub)
            #expect(info.address?.isEmpty == true, "a user without an address gets one of empty strings")
        }
    }

    @Test("a cancelled login ends with access_denied; an unanswered one with expired_token")
    func cancelledAndExpired() async throws {
        try await SimulatorHarness.with { harness in
            let request = BackchannelLoginRequest(phone: try PhoneNumber("4798765432"), scopes: ["openid"], flow: .poll)
            let cancelled = try await harness.client.startLogin(request)
            await harness.simulator.cancel(authReqID: cancelled.authReqID)
            await #expect(throws: VippsLoginError.accessDenied) { try await harness.client.pollToken(authReqID: cancelled.authReqID) }
            let forgotten = try await harness.client.startLogin(request)
            await harness.simulator.advanceClock(by: 601)
            await #expect(throws: VippsLoginError.expiredToken) { try await harness.client.pollToken(authReqID: forgotten.authReqID) }
        }
    }

    @Test("users who cannot log in get invalid_user and old_app")
    func refusedUsers() async throws {
        try await SimulatorHarness.with { harness in
            for (phone, expected) in [
                ("4742222222", VippsLoginError.invalidUser), ("4743333333", .oldApp), ("4745555555", .invalidUser), ("4799999999", .invalidUser),
            ] {
                await #expect(throws: expected) {
                    try await harness.client.startLogin(BackchannelLoginRequest(phone: try PhoneNumber(phone), scopes: ["openid"], flow: .poll))
                }
            }
            let exists = try await harness.client.userExists(try PhoneNumber("4744444444"))
            let gone = try await harness.client.userExists(try PhoneNumber("4745555555"))
            #expect(exists && !gone, "a changed number no longer reaches the account")
        }
    }

    @Test("too many logins towards one user get 429 with Retry-After")
    func rateLimited() async throws {
        try await SimulatorHarness.with { harness in
            var hooks = SimulatorHooks()
            hooks.rateLimitNext = 1
            await harness.simulator.setHooks(hooks)
            await #expect(throws: VippsLoginError.rateLimited(retryAfter: 10)) {
                try await harness.client.startLogin(BackchannelLoginRequest(phone: try PhoneNumber("4712345678"), scopes: ["openid"], flow: .poll))
            }
        }
    }
}

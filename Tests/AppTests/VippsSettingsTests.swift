import Testing

@testable import App

@Suite("Vipps settings from the environment")
struct VippsSettingsTests {
    @Test("no client id means the simulator")
    func simulator() throws {
        #expect(try VippsSettings.fromSettings([:]) == nil)
    }

    @Test("a full set is read, with the test issuer by default")
    func full() throws {
        let configuration = try #require(
            try VippsSettings.fromSettings([
                "VIPPS_CLIENT_ID": "id", "VIPPS_CLIENT_SECRET": "secret", "VIPPS_MSN": "123456", "VIPPS_TOKEN_AUTH": "client_secret_post",
            ]))
        #expect(configuration.issuer.absoluteString == VippsSettings.testIssuer)
        #expect(configuration.tokenAuthMethod == .clientSecretPost)
        #expect(configuration.merchantSerialNumber == "123456")
    }

    @Test(
        "each bad setting is one line naming it",
        arguments: [
            (["VIPPS_CLIENT_ID": "id"], "VIPPS_CLIENT_SECRET"),
            (["VIPPS_CLIENT_ID": "id", "VIPPS_CLIENT_SECRET": "s", "VIPPS_ISSUER": "not a url"], "VIPPS_ISSUER"),
            (["VIPPS_CLIENT_ID": "id", "VIPPS_CLIENT_SECRET": "s", "VIPPS_TOKEN_AUTH": "private_key_jwt"], "VIPPS_TOKEN_AUTH"),
            (["VIPPS_CLIENT_ID": "id", "VIPPS_CLIENT_SECRET": "s", "VIPPS_MSN": "12ab"], "VIPPS_MSN"),
        ])
    func bad(environment: [String: String], named: String) {
        do {
            _ = try VippsSettings.fromSettings(environment)
            Issue.record("accepted")
        } catch {
            #expect(error.description.contains(named))
            #expect(!error.description.contains("\n"))
        }
    }
}

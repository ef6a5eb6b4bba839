import Foundation
import Testing

@testable import App

@Suite("One configuration: flags and environment, checked at start with one line naming the setting")
struct ConfigurationTests {
    static let vipps = [
        "VIPPS_CLIENT_ID": "id", "VIPPS_CLIENT_SECRET": "secret", "VIPPS_ISSUER": "https://apitest.vipps.no/access-management-1.0/access/",
    ]

    @Test("the public URL drives both redirect URIs, Secure cookies and HSTS")
    func publicURL() throws {
        let configuration = try AppConfiguration(settings: Self.vipps.merging(["VELKOMMEN_PUBLIC_URL": "https://velkommen.example.no/"]) { $1 })
        try configuration.validate()
        #expect(configuration.callbackURL.absoluteString == "https://velkommen.example.no/callback")
        #expect(configuration.staffCallbackURL.absoluteString == "https://velkommen.example.no/admin/callback")
        #expect(configuration.secureCookies)
        #expect(configuration.strictTransportSecurity != nil)
        #expect(try AppConfiguration(settings: [:]).strictTransportSecurity == nil)
    }

    @Test(
        "every setting is read",
        arguments: [
            ("VELKOMMEN_HOST", "::1"), ("VELKOMMEN_PORT", "0"), ("VELKOMMEN_DATABASE_URL", "sqlite:/var/lib/velkommen/v.sqlite"),
            ("VELKOMMEN_TEMPLATES", "/opt/t"), ("VELKOMMEN_PUBLIC_DIR", "/opt/p"), ("VELKOMMEN_TRUSTED_PROXIES", "127.0.0.1, 10.0.0.0/8"),
            ("VELKOMMEN_METRICS_PORT", "9464"), ("VELKOMMEN_METRICS_HOST", "::1"), ("VELKOMMEN_DB_BUSY_TIMEOUT_MS", "250"),
        ])
    func read(variable: String, value: String) throws {
        let configuration = try AppConfiguration(settings: [variable: value])
        let seen: String =
            switch variable {
            case "VELKOMMEN_HOST": configuration.host
            case "VELKOMMEN_PORT": String(configuration.port)
            case "VELKOMMEN_DATABASE_URL": "sqlite:" + configuration.databasePath
            case "VELKOMMEN_TEMPLATES": configuration.templatesDirectory
            case "VELKOMMEN_PUBLIC_DIR": configuration.publicDirectory
            case "VELKOMMEN_TRUSTED_PROXIES": configuration.trustedProxies.map(\.description).joined(separator: ", ")
            case "VELKOMMEN_METRICS_PORT": configuration.metricsPort.map(String.init) ?? ""
            case "VELKOMMEN_METRICS_HOST": configuration.metricsHost
            default: String(configuration.databaseBusyTimeoutMilliseconds)
            }
        #expect(seen == value)
    }

    @Test(
        "each bad setting stops start-up with one line that names it",
        arguments: [
            (["VELKOMMEN_PORT": "99999"], "--port (VELKOMMEN_PORT)"),
            (["VELKOMMEN_PORT": "eighty"], "--port (VELKOMMEN_PORT)"),
            (["VELKOMMEN_PUBLIC_URL": "velkommen.example.no"], "--public-url (VELKOMMEN_PUBLIC_URL)"),
            (["VELKOMMEN_PUBLIC_URL": "https://velkommen.example.no/?x=1"], "--public-url (VELKOMMEN_PUBLIC_URL)"),
            (["VELKOMMEN_TRUSTED_PROXIES": "10.0.0.0/8, nginx"], "--trusted-proxy (VELKOMMEN_TRUSTED_PROXIES)"),
            (["VELKOMMEN_METRICS_PORT": "-1"], "--metrics-port (VELKOMMEN_METRICS_PORT)"),
            (["VELKOMMEN_SECRET": "short"], "VELKOMMEN_SECRET"),
            (["VELKOMMEN_DATABASE_URL": "mysql://user:secret@db/velkommen"], "--db (VELKOMMEN_DATABASE_URL)"),
            (["VIPPS_CLIENT_ID": "id"], "VIPPS_CLIENT_SECRET"),
        ])
    func bad(settings: [String: String], named: String) {
        do {
            _ = try AppConfiguration(settings: settings)
            Issue.record("accepted \(settings)")
        } catch {
            #expect(error.description.contains(named), "\(error.description)")
            #expect(!error.description.contains("\n"))
            #expect(!error.description.contains("secret@"), "a database URL's password never reaches the message")
        }
    }

    @Test("with real Vipps credentials an http public URL refuses to start, unless the issuer is on loopback (tests)")
    func httpsWithRealVipps() throws {
        let plain = try AppConfiguration(settings: Self.vipps.merging(["VELKOMMEN_PUBLIC_URL": "http://velkommen.example.no"]) { $1 })
        #expect(throws: ConfigurationError.self) { try plain.validate() }
        let unset = try AppConfiguration(settings: Self.vipps)
        #expect(throws: ConfigurationError.self) { try unset.validate() }
        let local = try AppConfiguration(settings: Self.vipps.merging(["VIPPS_ISSUER": "http://127.0.0.1:8081/access-management-1.0/access/"]) { $1 })
        try local.validate()
    }

    @Test("the demo (no Vipps credentials) only ever listens on loopback", arguments: ["0.0.0.0", "192.0.2.10", "::"])
    func demoStaysLocal(host: String) throws {
        let configuration = try AppConfiguration(settings: ["VELKOMMEN_HOST": host])
        do {
            try configuration.validate()
            Issue.record("the demo started on \(host)")
        } catch {
            #expect(error.description.contains("loopback"))
        }
        var withVipps = try AppConfiguration(
            settings: Self.vipps.merging(["VELKOMMEN_HOST": host, "VELKOMMEN_PUBLIC_URL": "https://v.example"]) { $1 })
        try withVipps.validate()
        withVipps.demoTill = true
        #expect(throws: ConfigurationError.self) { try withVipps.validate() }
    }
}

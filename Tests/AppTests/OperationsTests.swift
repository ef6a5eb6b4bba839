import Foundation
import Storage
import TestSupport
import Testing
import VippsLogin
import VippsSimulator

@testable import App

@Suite("Operations: revocation, staff removal, check, logs that say what is wrong, metrics, readiness", .serialized)
struct OperationsTests {
    @Test("a revoked POS API key is refused at once, on the API and at the till")
    func revokedKey() async throws {
        try await OnboardingHarness.with { harness in
            let api = Browser(port: harness.app.port)
            #expect(try await api.postJSON("/api/v1/logins", json: #"{"phone": "12345678"}"#, bearer: harness.apiKey).status == 201)
            let till = Browser(port: harness.app.port)
            let token = try #require(Browser.hidden("csrf", in: try await till.get("/pos").text))
            #expect(try await till.post("/pos/key", form: [("csrf", token), ("key", harness.apiKey)]).status == 303)
            #expect(try await till.get("/pos").text.contains("name=\"phone\""))

            let database = harness.app.app.configuration.databasePath
            let listed = try await VelkommenApp.listApiKeys(databasePath: database)
            #expect(listed.count == 1 && listed[0].contains("active") && !listed[0].contains(harness.apiKey.split(separator: "_", maxSplits: 2)[2]))
            #expect(try await VelkommenApp.revokeApiKey(databasePath: database, key: harness.apiKey))
            #expect(try await !VelkommenApp.revokeApiKey(databasePath: database, key: harness.apiKey), "once")

            #expect(try await api.postJSON("/api/v1/logins", json: #"{"phone": "98765432"}"#, bearer: harness.apiKey).status == 401)
            #expect(try await till.get("/pos").text.contains("name=\"key\""), "the till asks for a key again")
            #expect(try await VelkommenApp.listApiKeys(databasePath: database)[0].contains("revoked"))
            #expect(
                try await harness.app.app.database.read {
                    try $0.scalar("SELECT count(*) FROM audit_log WHERE action = 'apikey.revoke'", as: Int.self)
                } == 1)
        }
    }

    @Test("staff removed from the command line or by an admin are signed out at once, and it is audit-logged")
    func removedStaff() async throws {
        try await OnboardingHarness.with { harness in
            let merchant = try await harness.staff("merchant", msisdn: "4741111111")
            let marketing = try await harness.staff("marketing", msisdn: "4798765432")
            let admin = try await harness.staff("admin", msisdn: "4712345678")
            #expect(try await merchant.get("/admin/stats").status == 200)
            let database = harness.app.app.configuration.databasePath
            #expect(try await VelkommenApp.listStaff(databasePath: database).count == 3)
            #expect(try await VelkommenApp.removeStaff(databasePath: database, phone: "41111111"))
            #expect(try await merchant.get("/admin/stats").status != 200, "the session ended with the removal")

            let page = try await admin.get("/admin/staff").text
            let csrf = try #require(Browser.hidden("csrf", in: page))
            #expect(!page.contains("name=\"phone\" value=\"4712345678\""), "an admin cannot remove themselves")
            #expect(try await marketing.get("/admin/pages").status == 200)
            #expect(try await admin.post("/admin/staff/remove", form: [("csrf", csrf), ("phone", "4798765432")]).status == 303)
            #expect(try await marketing.get("/admin/pages").status != 200)
            #expect(try await admin.post("/admin/staff/remove", form: [("csrf", csrf), ("phone", "4712345678")]).status == 422)
            let audit = try await admin.get("/admin/audit").text
            #expect(audit.contains("staff.remove"))
        }
    }

    @Test("check reports every part, and names a wrong secret and a wrong issuer")
    func check() async throws {
        try await OnboardingHarness.with { harness in
            let issuer = harness.simulator.issuer
            let base: [String: String] = [
                "VIPPS_CLIENT_ID": "velkommen-demo", "VIPPS_CLIENT_SECRET": "velkommen-demo-secret", "VIPPS_ISSUER": issuer,
                "VELKOMMEN_PUBLIC_URL": "https://velkommen.example", "VELKOMMEN_DATABASE_URL": harness.app.folder + "/check.sqlite",
                "VELKOMMEN_TEMPLATES": TestApp.repository.appendingPathComponent("Templates").path,
            ]
            // A check creates nothing: a database that is not there is named, and stays not there.
            let missing = await ConfigurationCheck.run(settings: base)
            #expect(missing.first { $0.name == "database" }?.passed == false)
            #expect(missing.first { $0.name == "database" }?.detail.contains("does not exist") == true)
            #expect(!FileManager.default.fileExists(atPath: harness.app.folder + "/check.sqlite"))
            _ = try VelkommenApp.openDatabase(harness.app.folder + "/check.sqlite")
            let good = await ConfigurationCheck.run(settings: base)
            #expect(good.allSatisfy { $0.passed }, "\(good.map(\.line))")
            #expect(
                good.map(\.name) == [
                    "configuration", "redirect URIs", "vipps scopes", "vipps discovery", "vipps keys", "vipps credentials", "database", "templates",
                ])

            let secret = await ConfigurationCheck.run(settings: base.merging(["VIPPS_CLIENT_SECRET": "wrong"]) { $1 })
            #expect(secret.first { $0.name == "vipps credentials" }?.passed == false)
            #expect(secret.first { $0.name == "vipps credentials" }?.detail.contains("VIPPS_CLIENT_SECRET") == true)

            let other = issuer.replacingOccurrences(of: "127.0.0.1", with: "localhost")
            let mismatch = await ConfigurationCheck.run(settings: base.merging(["VIPPS_ISSUER": other]) { $1 })
            let discovery = try #require(mismatch.first { $0.name == "vipps discovery" })
            #expect(!discovery.passed && discovery.detail.contains("misconfigured") && discovery.detail.contains(issuer))

            let templates = await ConfigurationCheck.run(settings: base.merging(["VELKOMMEN_TEMPLATES": "/nonexistent"]) { $1 })
            let named = try #require(templates.first)
            #expect(!named.passed && named.detail == "--templates (VELKOMMEN_TEMPLATES): /nonexistent is not a folder (see README, Settings)")
        }
    }

    @Test("an ID token refused for its audience is logged by that check, without the token or the code")
    func audienceLogged() async throws {
        try await OnboardingHarness.with { harness in
            var hooks = SimulatorHooks()
            hooks.audienceOverride = "someone-else"
            await harness.simulator.setHooks(hooks)
            let (_, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID)
            #expect(try await Browser(port: harness.app.port).get("/callback?code=\(code)").status == 400)
            let logs = harness.app.logs.all
            #expect(logs.contains { $0.contains("verification_failed") && $0.contains("audience") }, "\(logs)")
            #expect(!logs.contains { $0.contains(code) })
        }
    }

    @Test("a discovery issuer that differs from VIPPS_ISSUER is logged, and the till says Vipps is misconfigured")
    func issuerMismatch() async throws {
        try await OnboardingHarness.with(app: { app in
            let configured = app.vipps!.issuer.absoluteString
            app.vipps?.issuer = URL(string: configured.replacingOccurrences(of: "127.0.0.1", with: "localhost"))!
        }) { harness in
            let api = try await Browser(port: harness.app.port).postJSON("/api/v1/logins", json: #"{"phone": "12345678"}"#, bearer: harness.apiKey)
            #expect(api.status == 502)
            #expect(api.text.contains("misconfigured"))
            #expect(harness.app.logs.contains("VIPPS_ISSUER"))
        }
    }

    @Test("metrics count requests by route, logins by step and Vipps calls; readiness checks the database and Vipps")
    func metricsAndReadiness() async throws {
        try await OnboardingHarness.with(app: { $0.metricsPort = 0 }) { harness in
            let browser = Browser(port: harness.app.port)
            let (_, authReqID) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            _ = try await browser.get("/welcome")
            _ = try await browser.get("/offers/no-such-offer-\(UUID().uuidString)")
            #expect(try await Browser(port: harness.app.port).get("/readyz").status == 503, "not checked yet")
            await harness.app.app.readiness.refresh()
            let ready = try await Browser(port: harness.app.port).get("/readyz")
            #expect(ready.status == 200 && ready.text.contains("\"status\":\"ready\""))
            let app = harness.app.app
            let text = String(decoding: app.metrics.exposition(writes: app.database.writeStatistics, openConnections: 3), as: UTF8.self)
            #expect(text.contains(#"velkommen_http_requests_total{route="/welcome",method="GET",status="200"} 1"#), "\(text)")
            #expect(text.contains(#"route="/offers/{slug}""#) && !text.contains("no-such-offer"), "routes, never paths")
            #expect(text.contains(#"velkommen_logins_total{step="started"} 1"#))
            #expect(text.contains(#"velkommen_logins_total{step="confirmed"} 1"#))
            #expect(text.contains(#"velkommen_logins_total{step="landed"} 1"#))
            #expect(text.contains(#"velkommen_vipps_requests_total{endpoint="token",outcome="2xx"}"#))
            #expect(text.contains("velkommen_vipps_request_duration_seconds_bucket"))
            #expect(text.contains("velkommen_database_write_duration_seconds_count"))
            #expect(text.contains("velkommen_http_open_connections 3"))
            #expect(text.contains(#"velkommen_database_checkpoints_total{where="commit"} 0"#), "no commit waited for a checkpoint")
        }
    }

    @Test("behind a trusted proxy, two customers from different addresses have separate callback limits")
    func limitsPerForwardedClient() async throws {
        try await OnboardingHarness.with(app: { $0.trustedProxies = [IPNetworkFixture.loopback] }) { harness in
            let first = Browser(port: harness.app.port)
            first.extraHeaders = ["X-Forwarded-For": "203.0.113.1"]
            var statuses: [Int] = []
            for index in 0..<25 { statuses.append(try await first.get("/callback?code=junk\(index)").status) }
            #expect(statuses.contains(429), "one client's junk is limited")
            let second = Browser(port: harness.app.port)
            second.extraHeaders = ["X-Forwarded-For": "203.0.113.2"]
            #expect(try await second.get("/callback?code=other").status == 400, "another customer is not")
        }
    }
}

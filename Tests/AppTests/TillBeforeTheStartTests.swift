import Foundation
import Storage
import TestSupport
import Testing
import VippsLogin
import VippsSimulator

@testable import App

/// What the till and the POS API do before a login is started: user-exists, the scanned personal QR,
/// every market's numbers, the store's requested_expiry.
@Suite("Before the start: user-exists, the personal QR, every market", .serialized)
struct TillBeforeTheStartTests {
    static func rows(_ harness: OnboardingHarness) async throws -> Int {
        try await harness.app.app.database.read { try $0.scalar("SELECT COUNT(*) FROM login_requests", as: Int.self) } ?? 0
    }

    /// The calls the simulator saw that would start a login or ask about a user.
    static func sentToVipps(_ harness: OnboardingHarness) async -> [String] {
        await harness.simulator.recordedCalls().map(\.path).filter { $0.contains("backchannel") || $0.contains("user-exists") }
    }

    @Test("a number without Vipps is refused at the till at once, and nothing is started or kept")
    func tillNoVippsUser() async throws {
        try await OnboardingHarness.with(demoTill: true) { harness in
            let till = Browser(port: harness.app.port)
            let csrf = try #require(Browser.hidden("csrf", in: try await till.get("/pos").text))
            let refused = try await till.post("/pos/logins", form: [("csrf", csrf), ("phone", "47 90 00 00 00")])
            #expect(refused.status == 422)
            #expect(refused.text.contains("Ingen Vipps-bruker på dette nummeret"))
            #expect(refused.text.contains("papirskjema"), "and what to offer instead")
            #expect(try await Self.rows(harness) == 0, "no request row for a refused number")
            #expect(await Self.sentToVipps(harness) == ["/vipps-login-ciba/api/v1/user-exists"], "asked, never started")
            #expect(await harness.simulator.pendingLogins(msisdn: "4790000000").isEmpty)
            let english = try await till.post("/pos/logins?lang=en", form: [("csrf", csrf), ("phone", "+45 90 00 00 00")])
            #expect(english.text.contains("No Vipps user on this number"))
        }
    }

    @Test("the POS API answers 422 no-vipps-user and starts nothing")
    func apiNoVippsUser() async throws {
        try await OnboardingHarness.with { harness in
            let api = Browser(port: harness.app.port)
            let refused = try await api.postJSON("/api/v1/logins", json: #"{"phone": "+45 90 00 00 00"}"#, bearer: harness.apiKey)
            #expect(refused.status == 422)
            #expect(refused.header("Content-Type") == "application/problem+json")
            #expect((api.json(refused)["type"] as? String)?.hasSuffix("/no-vipps-user") == true)
            #expect(try await Self.rows(harness) == 0)
            #expect(await Self.sentToVipps(harness).allSatisfy { $0.contains("user-exists") })
        }
    }

    @Test("when user-exists fails (missing, or a 5xx), the login is started anyway")
    func userExistsFails() async throws {
        try await OnboardingHarness.with(simulator: { $0.userExistsMissing = true }) { harness in
            let (id, _) = try await harness.startLogin()
            #expect(try await harness.app.app.starter.requests.find(id: id)?.authReqID != nil)
            // Then Vipps' own answer to the start says who cannot log in.
            let api = Browser(port: harness.app.port)
            let refused = try await api.postJSON("/api/v1/logins", json: #"{"phone": "4742222222"}"#, bearer: harness.apiKey)
            #expect((api.json(refused)["type"] as? String)?.hasSuffix("/vipps-invalid-user") == true)
        }
        try await OnboardingHarness.with { harness in
            _ = try await harness.startLogin()  // discovery is cached: the next API call is user-exists
            var hooks = SimulatorHooks()
            hooks.failNextStatus = 503
            hooks.failNextCount = 1
            await harness.simulator.setHooks(hooks)
            _ = try await harness.startLogin(phone: "+47 98 76 54 32")
            #expect(await harness.simulator.pendingLogins(msisdn: "4798765432").count == 1)
        }
    }

    @Test("a scanned clear-text Vipps code at the till starts the login for its number")
    func tillScansVippsCode() async throws {
        try await OnboardingHarness.with(demoTill: true) { harness in
            let till = Browser(port: harness.app.port)
            let csrf = try #require(Browser.hidden("csrf", in: try await till.get("/pos").text))
            // The scanner types the URL and Enter.
            let started = try await till.post(
                "/pos/logins", form: [("csrf", csrf), ("phone", "https://qr.vipps.no/28/2/01/031/4712345678?v=1\r\n"), ("consents", "yes")])
            #expect(started.status == 303)
            #expect(await harness.simulator.pendingLogins(msisdn: "4712345678").count == 1)
            let foreign = try await till.post("/pos/logins", form: [("csrf", csrf), ("phone", "https://example.com/pay/123")])
            #expect(foreign.status == 422)
            #expect(foreign.text.contains("en annen slags QR-kode"))
            #expect(!foreign.text.contains("example.com"), "a scan is not put back in the field")
        }
    }

    @Test("the POS API takes qr: clear text read locally, tokens exchanged, bad codes 422 with nothing sent")
    func apiQR() async throws {
        try await OnboardingHarness.with(qrExchange: true) { harness in
            let api = Browser(port: harness.app.port)
            let clear = try await api.postJSON(
                "/api/v1/logins", json: #"{"qr": "https://qr.vipps.no/28/2/01/031/4791234567?v=1"}"#, bearer: harness.apiKey)
            #expect(clear.status == 201)
            let token = try await api.postJSON("/api/v1/logins", json: #"{"qr": "https://qr.mobilepay.dk/p/MPDK7Q4MZ9CQ3X"}"#, bearer: harness.apiKey)
            #expect(token.status == 201)
            let id = try #require(api.json(token)["id"] as? String)
            #expect(try await harness.app.app.starter.requests.find(id: id)?.phoneHint == "4512345678")
            let sentBefore = await Self.sentToVipps(harness).count
            for (qr, type) in [
                ("not a code", "invalid-qr"), ("https://qr.vipps.no/28/2/01/031/12", "invalid-qr"),
                ("https://example.com/28/2/4712345678", "foreign-qr"),
                ("https://qr.mobilepay.dk/p/UNKNOWNTOKEN1", "unknown-qr"),
            ] {
                let refused = try await api.postJSON("/api/v1/logins", json: #"{"qr": "\#(qr)"}"#, bearer: harness.apiKey)
                #expect(refused.status == 422, "\(qr)")
                #expect((api.json(refused)["type"] as? String)?.hasSuffix("/" + type) == true, "\(qr)")
            }
            #expect(await Self.sentToVipps(harness).count == sentBefore, "nothing sent to Vipps for a bad code")
            let both = try await api.postJSON(
                "/api/v1/logins", json: #"{"phone": "12345678", "qr": "https://qr.vipps.no/28/2/01/031/4712345678"}"#, bearer: harness.apiKey)
            #expect(both.status == 400)
        }
    }

    @Test("a tokenized code without the QR API configured is refused with a clear problem")
    func tokenWithoutExchange() async throws {
        try await OnboardingHarness.with { harness in
            let api = Browser(port: harness.app.port)
            let refused = try await api.postJSON(
                "/api/v1/logins", json: #"{"qr": "https://qr.mobilepay.dk/p/MPDK7Q4MZ9CQ3X"}"#, bearer: harness.apiKey)
            #expect(refused.status == 422)
            #expect((api.json(refused)["type"] as? String)?.hasSuffix("/qr-exchange-not-configured") == true)
            #expect(await Self.sentToVipps(harness).isEmpty)
        }
    }

    @Test("a Danish store reads 8 digits as Danish, sends requested_expiry, and the till counts down from Vipps' expires_in")
    func danishStore() async throws {
        try await OnboardingHarness.with { harness in
            let key = try await VelkommenApp.createApiKey(databasePath: harness.app.app.configuration.databasePath, store: "kobenhavn-1", label: "t")
            let api = Browser(port: harness.app.port)
            let started = try await api.postJSON("/api/v1/logins", json: #"{"phone": "12 34 56 78"}"#, bearer: key)
            #expect(started.status == 201)
            let id = try #require(api.json(started)["id"] as? String)
            let login = try #require(try await harness.app.app.starter.requests.find(id: id))
            #expect(login.phoneHint == "4512345678")
            // kobenhavn-1 asks for 300 s in Templates/stores.json; the simulator honours it in expires_in.
            #expect(abs(login.expiresAt.timeIntervalSinceNow - 300) < 5)
            let till = Browser(port: harness.app.port)
            let csrf = try #require(Browser.hidden("csrf", in: try await till.get("/pos").text))
            _ = try await till.post("/pos/key", form: [("csrf", csrf), ("key", key)])
            let page = try await till.get("/pos/logins/\(id)")
            let seconds = try #require(page.text.firstMatch(of: /data-seconds-left="(\d+)"/).flatMap { Int($0.1) })
            #expect((290...300).contains(seconds))
            #expect(page.text.contains("+45 •• •• •6 78"))
            let brand = Date() < StoreNames.day("2027-01-12")! ? "MobilePay" : "Vipps"
            #expect(page.text.contains("alt=\"\(brand)\""))
        }
    }

    @Test("without requested_expiry the till counts down from what Vipps returned, not a constant")
    func countdownFromExpiresIn() async throws {
        try await OnboardingHarness.with(simulator: { $0.loginLifetime = 200 }) { harness in
            let (id, _) = try await harness.startLogin()
            let login = try #require(try await harness.app.app.starter.requests.find(id: id))
            // 200 from Vipps, not the constant 600; the margin is the test's own time on a loaded machine.
            #expect(abs(login.expiresAt.timeIntervalSinceNow - 200) < 60)
        }
    }
}

@Suite("Brand, maintenance window and store settings")
struct TillWordsTests {
    static func oslo(_ text: String) -> Date {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyy-MM-dd HH:mm"
        formatter.timeZone = TimeZone(identifier: "Europe/Oslo")
        return formatter.date(from: text)!
    }

    @Test("MobilePay in Denmark, Finland and Greenland until the change date, Vipps after it and in Norway always")
    func brand() {
        let change = StoreNames.day("2027-01-12")!
        #expect(Brand(market: .denmark, at: Self.oslo("2027-01-11 23:59"), change: change) == .mobilePay)
        #expect(Brand(market: .finland, at: Self.oslo("2027-01-12 00:00"), change: change) == .vipps)
        #expect(Brand(market: .greenland, at: Self.oslo("2026-12-06 12:00"), change: change) == .mobilePay)
        #expect(Brand(market: .norway, at: Self.oslo("2026-12-06 12:00"), change: change) == .vipps)
        #expect(Brand.mobilePay.apply("Send til kundens Vipps") == "Send til kundens MobilePay")
    }

    @Test("in the Monday 01–05 window (Oslo time, summer and winter) a Vipps failure says maintenance")
    func maintenance() {
        for time in ["2026-12-07 01:00", "2026-12-07 04:59", "2026-06-01 02:30"] {
            #expect(TillPage.message(for: .vipps(.timeout), at: Self.oslo(time)) == "pos_error_maintenance", "\(time)")
            #expect(PosAPI.problem(for: .vipps(.serverError(status: 503)), at: Self.oslo(time)).detail?.contains("maintenance") == true)
        }
        for time in ["2026-12-07 00:59", "2026-12-07 05:00", "2026-12-06 02:00", "2026-12-08 02:00"] {
            #expect(TillPage.message(for: .vipps(.timeout), at: Self.oslo(time)) == "pos_error_unavailable", "\(time)")
        }
        #expect(
            TillPage.message(for: .vipps(.invalidUser), at: Self.oslo("2026-12-07 02:00")) == "pos_error_no_vipps",
            "a customer's own failure is not maintenance")
    }

    @Test("the QR API is a setting: off by default, needs the subscription key and the Vipps client, named when wrong")
    func qrSettings() throws {
        let login = ["VIPPS_CLIENT_ID": "id", "VIPPS_CLIENT_SECRET": "secret", "VIPPS_MSN": "123456"]
        #expect(try AppConfiguration(settings: login).qrExchange == nil)
        let on = try #require(
            try AppConfiguration(
                settings: login.merging(["VIPPS_QR_API_URL": "https://api.vipps.no/qr", "VIPPS_SUBSCRIPTION_KEY": "k"]) { a, _ in a }
            ).qrExchange)
        #expect(on.baseURL.absoluteString == "https://api.vipps.no/qr" && on.clientID == "id" && on.merchantSerialNumber == "123456")
        for (values, needle) in [
            (login.merging(["VIPPS_QR_API_URL": "https://api.vipps.no/qr"]) { a, _ in a }, "VIPPS_SUBSCRIPTION_KEY is required"),
            (login.merging(["VIPPS_QR_API_URL": "not a url", "VIPPS_SUBSCRIPTION_KEY": "k"]) { a, _ in a }, "--vipps-qr-api-url (VIPPS_QR_API_URL)"),
            (["VIPPS_QR_API_URL": "https://api.vipps.no/qr", "VIPPS_SUBSCRIPTION_KEY": "k"], "needs --vipps-client-id"),
        ] {
            do {
                _ = try AppConfiguration(settings: values)
                Issue.record("\(needle) was accepted")
            } catch {
                #expect("\(error)".contains(needle), "\(error)")
            }
        }
    }

    @Test("the maintenance words are in both languages")
    func maintenanceWords() throws {
        let nb = try String(contentsOf: TestApp.repository.appendingPathComponent("Templates/i18n/nb.json"), encoding: .utf8)
        #expect(nb.contains("Vipps har planlagt vedlikehold (mandag 01–05)"))
    }

    @Test("stores.json: requestedExpiry outside 60–900, an unknown market or a bad date stop start-up, named")
    func storeSettings() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("stores-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let path = folder.appendingPathComponent("stores.json").path
        for (json, needle) in [
            (#"{"stores": {}, "requestedExpiry": {"oslo-1": 30}}"#, "requestedExpiry of oslo-1 must be from 60 to 900 seconds, not 30"),
            (#"{"stores": {}, "markets": {"x": "SE"}}"#, "the market of x must be one of NO, DK, FI, GL, not SE"),
            (#"{"stores": {}, "mobilePayBecomesVipps": "12.01.2027"}"#, "mobilePayBecomesVipps must be a date"),
        ] {
            try json.write(toFile: path, atomically: true, encoding: .utf8)
            #expect(throws: ConfigurationError.self) { try StoreNames.load(path: path) }
            do { _ = try StoreNames.load(path: path) } catch { #expect("\(error)".contains(needle)) }
        }
        let shipped = try StoreNames.load(path: TestApp.repository.appendingPathComponent("Templates/stores.json").path)
        #expect(
            shipped.market(of: "helsinki-1") == .finland && shipped.requestedExpiry(of: "nuuk-1") == 300 && shipped.market(of: "oslo-1") == .norway)
    }
}

@Suite("The customer's pages in their market's brand")
struct CustomerBrandTests {
    @Test("a member who joined in Denmark reads MobilePay on their pages until the change date")
    func customerPagesBranded() async throws {
        try await OnboardingHarness.with { harness in
            let browser = Browser(port: harness.app.port)
            let (_, authReqID) = try await harness.startLogin()
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            #expect(try await browser.get("/me").text.contains("Fra Vipps"))
            try await harness.app.app.database.write { try $0.execute("UPDATE members SET first_store = 'kobenhavn-1'") }
            harness.app.app.signedInCache.forget(sub: "c06c4afe-d9e1-4c5d-939a-177d752a0944")
            let brand = Date() < StoreNames.day("2027-01-12")! ? "MobilePay" : "Vipps"
            let me = try await browser.get("/me").text
            #expect(me.contains("Fra \(brand)"), "\(me)")
            #expect(brand == "Vipps" || !me.contains("Fra Vipps"))
        }
    }
}

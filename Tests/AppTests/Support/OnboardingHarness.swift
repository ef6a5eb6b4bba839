import Foundation
import TestSupport
import VippsLogin
import VippsSimulator

@testable import App

/// The app and the Vipps simulator side by side, on ephemeral ports, with a POS API key for store
/// `oslo-1`. The simulator sends the phone's browser to `http://velkommen.test/callback`; tests take the
/// code from that redirect and bring it to the app, as the phone's browser would.
struct OnboardingHarness {
    static let publicURL = "http://velkommen.test"

    let app: TestApp
    let simulator: VippsSimulator
    let apiKey: String

    var simulatorHTTP: Browser { Browser(port: Int(simulator.baseURL.split(separator: ":").last!)!) }

    static func with(
        demoTill: Bool = false, qrExchange: Bool = false, simulator adjust: (inout SimulatorConfiguration) -> Void = { _ in },
        app configure: (inout AppConfiguration) -> Void = { _ in },
        _ body: (OnboardingHarness) async throws -> Void
    ) async throws {
        var configuration = SimulatorConfiguration()
        configuration.clients[0].redirectURIs = [publicURL + "/callback", publicURL + "/admin/callback"]
        adjust(&configuration)
        let simulator = try await VippsSimulator(configuration: configuration, port: 0)
        try await simulator.start()
        let client = configuration.clients[0]
        do {
            try await TestApp.with({ app in
                app.publicURL = publicURL
                app.demoTill = demoTill
                app.vipps = VippsLoginConfiguration(issuer: URL(string: simulator.issuer)!, clientID: client.id, clientSecret: client.secret)
                if qrExchange {
                    app.qrExchange = PersonalQRExchange.Configuration(
                        baseURL: URL(string: simulator.qrAPIURL)!, clientID: client.id, clientSecret: client.secret,
                        subscriptionKey: configuration.subscriptionKey)
                }
                configure(&app)
            }) { app in
                let key = try await VelkommenApp.createApiKey(databasePath: app.app.configuration.databasePath, store: "oslo-1", label: "till 1")
                try await body(OnboardingHarness(app: app, simulator: simulator, apiKey: key))
            }
        } catch {
            await simulator.shutdown()
            throw error
        }
        await simulator.shutdown()
    }

    /// Starts a login through the POS API; returns its id and auth_req_id.
    func startLogin(phone: String = "+47 12 34 56 78", consents: Bool = true) async throws -> (id: String, authReqID: String) {
        let browser = Browser(port: app.port)
        let response = try await browser.postJSON(
            "/api/v1/logins",
            json: #"{"phone": "\#(phone)", "bindingMessage": "auto", "store": "oslo-1", "terminal": "till-3", "consents": \#(consents)}"#,
            bearer: apiKey)
        guard response.status == 201, let id = browser.json(response)["id"] as? String,
            let request = try await app.app.starter.requests.find(id: id), let authReqID = request.authReqID
        else {
            throw OnboardingError.startFailed(response.status, response.text)
        }
        return (id, authReqID)
    }

    /// The phone confirms (ticking `consents`, and `flow` in the merchant's own screens, and accepting
    /// the terms when asked) and follows the redirect; returns the code.
    func confirmOnPhone(
        msisdn: String = "4712345678", authReqID: String, consents: [String] = ["sms", "email"], flow: [String] = [], acceptTerms: Bool = true
    ) async throws -> String {
        let phone = simulatorHTTP
        var response = try await phone.post("/phone/\(msisdn)/logins/\(authReqID)/confirm", form: [])
        if response.status == 200, response.text.contains("/logins/\(authReqID)/consents\"") {
            let fields = consents.map { ("consent", $0) } + flow.map { ("flow", $0) } + (acceptTerms ? [("agreement", "accept")] : [])
            response = try await phone.post("/phone/\(msisdn)/logins/\(authReqID)/consents", form: fields)
        }
        guard response.status == 303, let location = response.header("Location"),
            let code = URLComponents(string: location)?.queryItems?.first(where: { $0.name == "code" })?.value
        else {
            throw OnboardingError.noRedirect(response.status)
        }
        return code
    }
}

extension OnboardingHarness {
    /// A browser logged in as staff with `role` (the simulated Vipps user `msisdn` logs in at /admin/login).
    func staff(_ role: String?, msisdn: String) async throws -> Browser {
        if let role { _ = try await VelkommenApp.addStaff(databasePath: app.app.configuration.databasePath, phone: msisdn, role: role) }
        let browser = Browser(port: app.port)
        let start = try await browser.get("/admin/login")
        guard let authorize = start.header("Location").flatMap(URL.init(string:)) else { throw OnboardingError.noRedirect(start.status) }
        let vipps = simulatorHTTP
        let form = try await vipps.get(authorize.path + "?" + (authorize.query ?? ""))
        guard let session = Browser.hidden("session", in: form.text) else { throw OnboardingError.noRedirect(form.status) }
        _ = try await vipps.post("/access-management-1.0/access/oauth2/auth/phone", form: [("session", session), ("phone", msisdn)])
        let back = try await vipps.post("/access-management-1.0/access/oauth2/auth/decision", form: [("session", session), ("decision", "confirm")])
        guard let callback = back.header("Location").flatMap(URLComponents.init(string:)) else { throw OnboardingError.noRedirect(back.status) }
        let landed = try await browser.get(callback.path + "?" + (callback.percentEncodedQuery ?? ""))
        guard role == nil || (landed.status == 303 && browser.cookies["velkommen_staff"] != nil) else {
            throw OnboardingError.noRedirect(landed.status)
        }
        browser.lastResponse = landed
        return browser
    }
}

enum OnboardingError: Error { case startFailed(Int, String), noRedirect(Int) }

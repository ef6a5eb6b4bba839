import Foundation
import Storage
import TestSupport
import Testing
import VippsSimulator

@testable import App

@Suite("Logins that end in the Vipps app: enrolment at the till without a web page", .serialized)
struct AppEndingTests {
    static func start(_ harness: OnboardingHarness, phone: String = "12345678") async throws -> (id: String, authReqID: String) {
        let api = Browser(port: harness.app.port)
        let started = try await api.postJSON(
            "/api/v1/logins", json: #"{"phone": "\#(phone)", "consents": true, "ending": "app"}"#, bearer: harness.apiKey)
        #expect(started.status == 201)
        #expect(api.json(started)["ending"] as? String == "app")
        let id = try #require(api.json(started)["id"] as? String)
        let request = try #require(try await LoginRequestStore(pool: harness.app.app.database).find(id: id))
        #expect(request.ending == .app && request.pollInterval != nil)
        return (id, try #require(request.authReqID))
    }

    /// Polls as the service would, with the clock far enough ahead that every poll is due (a login
    /// lives 600 s, a poll waits its interval: steps of a minute stay inside both).
    static func pollNow(_ harness: OnboardingHarness, minutesAhead: Double = 1) async throws {
        let poller = try #require(harness.app.app.appEndingPoller)
        try await poller.pollDue(now: { Date().addingTimeInterval(minutesAhead * 60) })
    }

    @Test("the phone confirms in the app; polling records the member, consents and login by the same path as the web page")
    func confirmedInApp() async throws {
        try await OnboardingHarness.with { harness in
            let (id, authReqID) = try await Self.start(harness)
            try await Self.pollNow(harness)
            #expect(
                try await LoginRequestStore(pool: harness.app.app.database).find(id: id)?.status == .pending, "still waiting: authorization_pending")
            let phone = try await harness.simulatorHTTP.post("/phone/4712345678/logins/\(authReqID)/confirm", form: [])
            let done =
                phone.text.contains("name=\"consent\"")
                ? try await harness.simulatorHTTP.post("/phone/4712345678/logins/\(authReqID)/consents", form: [("consent", "sms")]) : phone
            #expect(done.status == 200 && done.text.contains("You are logged in"), "the app's confirmation screen, no redirect")
            try await Self.pollNow(harness, minutesAhead: 2)
            let login = try #require(try await LoginRequestStore(pool: harness.app.app.database).find(id: id))
            #expect(login.status == .confirmed && login.memberSub == "c06c4afe-d9e1-4c5d-939a-177d752a0944")
            let consents = try await ConsentLedger(pool: harness.app.app.database, hash: Tokens.sha256Hex).current(sub: login.memberSub ?? "")
            #expect(consents.first { $0.consentID == "sms" }?.accepted == true)
            try await Self.pollNow(harness, minutesAhead: 3)
            #expect(
                try await harness.app.app.database.read { try $0.scalar("SELECT login_count FROM members", as: Int.self) } == 1,
                "never recorded twice")
            let till = Browser(port: harness.app.port)
            let token = try #require(Browser.hidden("csrf", in: try await till.get("/pos").text))
            _ = try await till.post("/pos/key", form: [("csrf", token), ("key", harness.apiKey)])
            let status = till.json(try await till.get("/pos/logins/\(id)/status.json"))
            #expect(status["state"] as? String == "registered" && status["heading"] as? String == "Ada L. er registrert")
        }
    }

    @Test("a customer who cancels in the app is 'Avbrutt' at the till at the next poll")
    func cancelledInApp() async throws {
        try await OnboardingHarness.with { harness in
            let (id, authReqID) = try await Self.start(harness)
            _ = try await harness.simulatorHTTP.post("/phone/4712345678/logins/\(authReqID)/cancel", form: [])
            try await Self.pollNow(harness)
            let login = try #require(try await LoginRequestStore(pool: harness.app.app.database).find(id: id))
            #expect(login.status == .failed && login.failure == "access_denied")
            #expect(TillState(login, at: Date()) == .cancelled)
        }
    }

    @Test("the schedule lives in the database: a new poller (after a restart) finishes what the old one started")
    func resumesAfterRestart() async throws {
        try await OnboardingHarness.with { harness in
            let (id, authReqID) = try await Self.start(harness)
            _ = await harness.simulator.approve(authReqID: authReqID)
            let fresh = AppEndingPoller(
                client: try #require(harness.app.app.vipps), requests: LoginRequestStore(pool: harness.app.app.database),
                landing: harness.app.app.landing, metrics: AppMetrics(), logger: harness.app.logs.logger)
            try await fresh.pollDue(now: { Date().addingTimeInterval(60) })
            #expect(try await LoginRequestStore(pool: harness.app.app.database).find(id: id)?.status == .confirmed)
        }
    }

    @Test("a store can end in the app by default; the till's form says so and may choose otherwise")
    func storeDefault() {
        let stores = StoreNames(["oslo-1": ["nb": "Oslo"]], endings: ["oslo-1": .app])
        #expect(stores.ending(of: "oslo-1") == .app && stores.ending(of: "bergen-1") == .webpage)
    }

    @Test("while Vipps does not answer the polls, the till says so in plain words and the polling goes on; an expired login is not polled")
    func vippsDown() async throws {
        try await OnboardingHarness.with { harness in
            let (id, authReqID) = try await Self.start(harness)
            var hooks = SimulatorHooks()
            hooks.failNextStatus = 503
            hooks.failNextCount = 1
            await harness.simulator.setHooks(hooks)
            try await Self.pollNow(harness)
            let waiting = try #require(try await LoginRequestStore(pool: harness.app.app.database).find(id: id))
            #expect(waiting.status == .pending && TillState(waiting, at: Date()) == .waiting)
            #expect(TillState(waiting, at: Date()).textKey(waiting, at: Date()) == "till_waiting_vipps_down")
            _ = await harness.simulator.approve(authReqID: authReqID)
            try await Self.pollNow(harness, minutesAhead: 20)
            #expect(try await LoginRequestStore(pool: harness.app.app.database).find(id: id)?.status == .pending, "past its expiry: not polled")
            try await Self.pollNow(harness, minutesAhead: 3)
            #expect(try await LoginRequestStore(pool: harness.app.app.database).find(id: id)?.status == .confirmed, "Vipps back: confirmed")
        }
    }
}

import Foundation
import Storage
import StorageTestSupport
import TestSupport
import Testing
import VippsSimulator

@testable import App

@Suite("Faults: the database full, busy or read-only; Vipps failing, slow or talking garbage", .serialized)
struct FaultTests {
    @Test(
        "a full database gives a 503 page, saves nothing half-way, and keeps what was saved before",
        .enabled(if: TestDatabases.appEngine == .sqlite, "SQLite's own faults; PostgreSQL's: PostgresFaultTests"))
    func databaseFull() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin(consents: false)
            let browser = Browser(port: harness.app.port)
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            let csrf = try #require(Browser.hidden("csrf", in: try await browser.get("/preferences").text))
            let first = try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "oslo-1")])
            #expect(first.status == 303)
            // No room for another page: the next write fails with SQLITE_FULL.
            try await harness.app.app.database.writerConnection { database in
                let pages = try database.scalar("PRAGMA page_count", as: Int.self) ?? 0
                try database.execute(script: "PRAGMA max_page_count = \(pages)")
            }
            let big = String(repeating: "x", count: 190)
            var failed: RawClient.Response?
            for round in 0..<200 where failed == nil {
                let response = try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "wish"), ("wish", big + String(round))])
                if response.status != 303 { failed = response }
            }
            let response = try #require(failed, "the database never filled up")
            #expect(response.status == 503)
            #expect(response.header("Retry-After") == "30")
            #expect(response.text.contains("Vi er straks tilbake"))
            try await harness.app.app.database.writerConnection { try $0.execute(script: "PRAGMA max_page_count = 1073741823") }
            let current = try await AnswerStore(pool: harness.app.app.database).current(sub: "c06c4afe-d9e1-4c5d-939a-177d752a0944")
            #expect(current["favourite_store"] == "oslo-1", "what was acknowledged before the fault is still there")
            let integrity = try await harness.app.app.database.read { try $0.scalar("PRAGMA integrity_check", as: String.self) }
            #expect(integrity == "ok")
            #expect(try await browser.get("/welcome").status == 200, "the app keeps serving")
        }
    }

    @Test("Vipps answering 5xx or slowly: the till gets a clear problem and others are still served")
    func vippsFailing() async throws {
        try await OnboardingHarness.with { harness in
            var hooks = SimulatorHooks()
            hooks.failNextStatus = 502
            hooks.failNextCount = 100
            await harness.simulator.setHooks(hooks)
            let api = Browser(port: harness.app.port)
            let started = try await api.postJSON("/api/v1/logins", json: #"{"phone": "12345678"}"#, bearer: harness.apiKey)
            #expect(started.status == 503)
            #expect(api.json(started)["title"] as? String == "Vipps is not answering")
            #expect(try await Browser(port: harness.app.port).get("/welcome").status == 200)
        }
    }

    @Test("Vipps answering garbage: the till gets a clear problem, the landing a clear page, others are served")
    func vippsGarbage() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID)
            var hooks = SimulatorHooks()
            hooks.garbageNext = 100
            await harness.simulator.setHooks(hooks)
            let landing = try await Browser(port: harness.app.port).get("/callback?code=\(code)")
            #expect(landing.status == 400)
            #expect(landing.text.contains("Vi kunne ikke bekrefte innloggingen"))
            let api = Browser(port: harness.app.port)
            let started = try await api.postJSON("/api/v1/logins", json: #"{"phone": "41234567"}"#, bearer: harness.apiKey)
            #expect(started.status == 502)
            #expect(api.json(started)["type"] as? String == "https://velkommen.example/problems/vipps-bad-response")
            let members = try await harness.app.app.database.read { try $0.scalar("SELECT count(*) FROM members", as: Int.self) }
            #expect(members == 0, "nobody landed on a token that could not be read")
            #expect(try await Browser(port: harness.app.port).get("/welcome").status == 200)
        }
    }

    @Test("Vipps slower than our time limit: the till gets 'not answering' and the app serves others meanwhile")
    func vippsSlow() async throws {
        try await OnboardingHarness.with(app: { $0.vipps?.totalTimeout = 1 }) { harness in
            var hooks = SimulatorHooks()
            hooks.latencyMilliseconds = 3000
            await harness.simulator.setHooks(hooks)
            let api = Browser(port: harness.app.port)
            async let started = api.postJSON("/api/v1/logins", json: #"{"phone": "41234567"}"#, bearer: harness.apiKey)
            // While that start waits on Vipps, other visitors are answered.
            #expect(try await Browser(port: harness.app.port).get("/welcome").status == 200)
            let response = try await started
            #expect(response.status == 503)
            #expect(api.json(response)["title"] as? String == "Vipps is not answering")
        }
    }

    @Test(
        "a database locked by another process: a clear 503 page, nothing half-written, saves work again once it is free",
        .enabled(if: TestDatabases.appEngine == .sqlite, "SQLite's own faults; PostgreSQL's: PostgresFaultTests"))
    func databaseBusy() async throws {
        try await OnboardingHarness.with(app: { $0.databaseBusyTimeoutMilliseconds = 200 }) { harness in
            let browser = try await signedInMember(harness)
            let csrf = try #require(Browser.hidden("csrf", in: try await browser.get("/preferences").text))
            #expect(
                try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "oslo-1")]).status
                    == 303)
            // An operator's sqlite3 (another connection, as another process would be) holds the write lock.
            let other = try SQLiteConnection(path: harness.app.app.configuration.databasePath)
            try other.execute(script: "BEGIN IMMEDIATE")
            let refused = try await browser.post(
                "/preferences", form: [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "bergen-1")])
            #expect(refused.status == 503)
            #expect(refused.header("Retry-After") != nil)
            #expect(refused.text.contains("Vi er straks tilbake"))
            #expect(try await browser.get("/welcome").status == 200, "reads go on while the writer is locked out")
            try other.execute(script: "ROLLBACK")
            let answers = AnswerStore(pool: harness.app.app.database)
            #expect(try await answers.current(sub: Self.ada)["favourite_store"] == "oslo-1")
            #expect(
                try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "bergen-1")]).status
                    == 303)
            #expect(try await answers.current(sub: Self.ada)["favourite_store"] == "bergen-1")
        }
    }

    @Test(
        "a read-only database: a clear 503 page, what was saved stays readable, saves work again once writable",
        .enabled(if: TestDatabases.appEngine == .sqlite, "SQLite's own faults; PostgreSQL's: PostgresFaultTests"))
    func databaseReadOnly() async throws {
        try await OnboardingHarness.with { harness in
            let browser = try await signedInMember(harness)
            let csrf = try #require(Browser.hidden("csrf", in: try await browser.get("/preferences").text))
            #expect(
                try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "oslo-1")]).status
                    == 303)
            // As when the disk is remounted read-only: every write fails with SQLITE_READONLY.
            try await harness.app.app.database.writerConnection { try $0.execute(script: "PRAGMA query_only = ON") }
            let refused = try await browser.post(
                "/preferences", form: [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "bergen-1")])
            #expect(refused.status == 503)
            #expect(refused.text.contains("Vi er straks tilbake"))
            let me = try await browser.get("/me")
            #expect(me.status == 200)
            #expect(me.text.contains("Oslo sentrum"))
            try await harness.app.app.database.writerConnection { try $0.execute(script: "PRAGMA query_only = OFF") }
            #expect(
                try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "bergen-1")]).status
                    == 303)
            #expect(try await AnswerStore(pool: harness.app.app.database).current(sub: Self.ada)["favourite_store"] == "bergen-1")
        }
    }

    static let ada = "c06c4afe-d9e1-4c5d-939a-177d752a0944"

    /// Ada, landed from a login at the till, in a browser that holds her session.
    private func signedInMember(_ harness: OnboardingHarness) async throws -> Browser {
        let (_, authReqID) = try await harness.startLogin(consents: false)
        let browser = Browser(port: harness.app.port)
        _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
        return browser
    }
}

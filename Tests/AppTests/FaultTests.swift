import Foundation
import Storage
import Testing
import TestSupport
import VippsSimulator
@testable import App

@Suite("Faults: a full database, Vipps failing", .serialized)
struct FaultTests {
    @Test("a full database gives a 503 page, saves nothing half-way, and keeps what was saved before")
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
                let response = try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "allergies"), ("allergies", big + String(round))])
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
}

import Foundation
import Storage
import StorageTestSupport
import TestSupport
import Testing

@testable import App

/// PostgreSQL's own faults, on a real server: its sessions cut off (a restart or a failover to the
/// replica) and the database made read-only.
@Suite("Faults on PostgreSQL: the server restarting under us, a read-only database", .serialized)
struct PostgresFaultTests {
    @Test(
        "PostgreSQL cutting every session: a clear 503 at worst, nothing half-written, and the next request works",
        .enabled(if: TestDatabases.appEngine == .postgres, "needs VELKOMMEN_TEST_ENGINE=postgres"))
    func sessionsCut() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin(consents: false)
            let browser = Browser(port: harness.app.port)
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            let csrf = try #require(Browser.hidden("csrf", in: try await browser.get("/preferences").text))
            #expect(
                try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "favourite_store"), ("favourite_store", "oslo-1")]).status
                    == 303)
            let location = harness.app.app.configuration.databasePath
            try PostgresConnection(url: location).execute(
                script: """
                    SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
                    """)
            let during = try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "wish"), ("wish", "kaffe")])
            #expect([303, 503].contains(during.status), "a lost connection is 'try again', never a 500")
            if during.status == 503 { #expect(during.header("Retry-After") == "30") }
            var after = try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "wish"), ("wish", "te")])
            if after.status == 503 {
                // Each connection finds out on its next use; a second try lands on a reconnected one.
                after = try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "wish"), ("wish", "te")])
            }
            #expect(after.status == 303)
            let current = try await AnswerStore(pool: harness.app.app.database).current(sub: "c06c4afe-d9e1-4c5d-939a-177d752a0944")
            #expect(current["favourite_store"] == "oslo-1" && current["wish"] == "te")
        }
    }

    @Test(
        "a read-only PostgreSQL (a replica promoted late, a full disk's guard): a clear 503, reads still served",
        .enabled(if: TestDatabases.appEngine == .postgres, "needs VELKOMMEN_TEST_ENGINE=postgres"))
    func readOnly() async throws {
        try await OnboardingHarness.with { harness in
            let (_, authReqID) = try await harness.startLogin(consents: false)
            let browser = Browser(port: harness.app.port)
            _ = try await browser.get("/callback?code=\(try await harness.confirmOnPhone(authReqID: authReqID))")
            let csrf = try #require(Browser.hidden("csrf", in: try await browser.get("/preferences").text))
            try await harness.app.app.database.writerConnection { try $0.execute(script: "SET default_transaction_read_only = on") }
            let refused = try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "wish"), ("wish", "kaffe")])
            #expect(refused.status == 503 && refused.text.contains("Vi er straks tilbake"))
            #expect(try await browser.get("/welcome").status == 200, "reads go on")
            try await harness.app.app.database.writerConnection { try $0.execute(script: "SET default_transaction_read_only = off") }
            #expect(try await browser.post("/preferences", form: [("csrf", csrf), ("asked", "wish"), ("wish", "kaffe")]).status == 303)
        }
    }
}

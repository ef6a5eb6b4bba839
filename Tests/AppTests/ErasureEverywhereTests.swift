import Foundation
import StorageTestSupport
import Testing

@testable import App
@testable import Storage

/// Erasure erases every copy: after `/me/delete` the member's name, e-mail, phone number and `sub` are
/// in no table (listed from the schema at run time, on whichever engine the app tests run), the
/// outbox keeps only `member.erased` with the member number, and their earlier events are not sent
/// again. The till's typed phone numbers go a day after their login expired.
@Suite("Erasure everywhere", .serialized)
struct ErasureEverywhereTests {
    @Test("after /me/delete no table holds the member's name, e-mail, phone or sub, and no delivery carries them")
    func sweepEveryTable() async throws {
        try await OnboardingHarness.with { harness in
            let database = harness.app.app.database
            let webhooks = WebhookStore(pool: database)
            let endpoint = try await webhooks.add(
                url: "https://crm.example/hooks", secret: WebhookSigner.newSecret(), events: Set(MemberEvents.types))
            let (_, authReqID) = try await harness.startLogin()
            let code = try await harness.confirmOnPhone(authReqID: authReqID, consents: ["sms", "email"])
            let browser = Browser(port: harness.app.port)
            #expect(try await browser.get("/callback?code=\(code)").status == 303)
            let form = try await browser.get("/preferences")
            let csrf = try #require(Browser.hidden("csrf", in: form.text))
            let saved = try await browser.post(
                "/preferences",
                form: [("csrf", csrf), ("asked", "favourite_store"), ("asked", "wish"), ("favourite_store", "oslo-1"), ("wish", "nøtter")])
            #expect(saved.status == 303)
            let member = try #require(try await MemberStore(pool: database).find(sub: "c06c4afe-d9e1-4c5d-939a-177d752a0944"))
            let identity = [
                member.profile.sub, try #require(member.profile.name), try #require(member.profile.email), "12345678",
            ]
            let before = try await Self.sweep(database, for: identity)
            #expect(before.contains { $0.hasPrefix("webhook_events.payload") }, "the outbox held the member's details: \(before)")
            #expect(before.contains { $0.hasPrefix("members.") })

            let me = try await browser.get("/me")
            let deleted = try await browser.post(
                "/me/delete", form: [("csrf", try #require(Browser.hidden("csrf", in: me.text))), ("confirm", "yes")])
            #expect(deleted.status == 200)

            let after = try await Self.sweep(database, for: identity)
            #expect(after.isEmpty, "left after erasure: \(after)")
            let due = try await webhooks.due(endpoint: endpoint)
            #expect(due.map(\.type) == ["member.erased"], "only member.erased is still to be sent: \(due.map(\.type))")
            let erased = try #require(due.first)
            let data = try #require(
                (try JSONSerialization.jsonObject(with: Data(erased.payload.utf8)) as? [String: Any])?["data"] as? [String: Any])
            #expect(Set(data.keys) == ["memberId"], "\(data)")
            #expect(try await webhooks.resend(event: erased.event, endpoint: endpoint) == .resent, "member.erased itself may go again")
            let joined = try #require(try await webhooks.recentDeliveries(endpoint: endpoint).first { $0.type == "member.joined" })
            #expect(joined.status == "failed" && joined.lastError == "member erased")
            #expect(try await webhooks.resend(event: joined.event, endpoint: endpoint) == .memberErased)
        }
    }

    @Test("an admin's 'send again' of an erased member's event is refused with a page that says why")
    func resendRefusedInAdmin() async throws {
        try await OnboardingHarness.with { harness in
            let database = harness.app.app.database
            let admin = try await harness.staff("admin", msisdn: "4791234567")
            let endpoint = try await WebhookStore(pool: database).add(
                url: "https://crm.example/hooks", secret: WebhookSigner.newSecret(), events: ["member.joined", "member.erased"])
            let member = try await MemberStore(pool: database).recordLogin(MemberProfile(sub: "gone", name: "Gone Member"), store: nil)
            try await database.write { database in
                try MemberEvents.enqueue("member.joined", member: member, consents: ["sms": true], in: database)
            }
            let joined = try #require(try await WebhookStore(pool: database).due(endpoint: endpoint).first)
            try await MemberStore(pool: database).delete(sub: "gone")
            let page = try await admin.get("/admin/webhooks/\(endpoint)")
            let csrf = try #require(Browser.hidden("csrf", in: page.text))
            let refused = try await admin.post("/admin/webhooks/\(endpoint)/resend", form: [("csrf", csrf), ("event", String(joined.event))])
            #expect(refused.status == 409)
            #expect(refused.text.contains("er slettet"), "\(refused.text)")
            #expect(try await WebhookStore(pool: database).due(endpoint: endpoint).map(\.type) == ["member.erased"])
        }
    }

    @Test("the phone number typed at the till is blanked a day after its login expired, confirmed or not")
    func typedPhonesBlanked() async throws {
        try await OnboardingHarness.with { harness in
            let database = harness.app.app.database
            let (id, _) = try await harness.startLogin(phone: "+47 41 11 11 11")
            let requests = LoginRequestStore(pool: database)
            let request = try #require(try await requests.find(id: id))
            #expect(request.phoneHint == "4741111111")
            let service = try #require(harness.app.app.backgroundServices().compactMap { $0 as? RetentionService }.first)
            try await service.tidy(now: request.expiresAt.addingTimeInterval(RetentionService.typedPhoneRetention - 60))
            #expect(try await requests.find(id: id)?.phoneHint == "4741111111", "kept for the day after")
            try await service.tidy(now: request.expiresAt.addingTimeInterval(RetentionService.typedPhoneRetention + 1))
            #expect(try await requests.find(id: id)?.phoneHint == "")
            #expect(try await Self.sweep(database, for: ["41111111"]).isEmpty)
        }
    }

    @Test("settled webhook events are purged once older than the outbox keeps them; one still waiting stays")
    func outboxRetention() async throws {
        try await TestApp.with { app in
            let database = app.app.database
            let webhooks = WebhookStore(pool: database)
            let endpoint = try await webhooks.add(url: "https://crm.example/hooks", secret: WebhookSigner.newSecret(), events: ["member.joined"])
            let members = MemberStore(pool: database)
            let long = Date().addingTimeInterval(-40 * 86_400)
            for sub in ["delivered", "waiting"] {
                let member = try await members.recordLogin(MemberProfile(sub: sub, name: sub.capitalized), store: nil)
                try await database.write { try MemberEvents.enqueue("member.joined", member: member, consents: ["sms": true], at: long, in: $0) }
            }
            let due = try await webhooks.due(endpoint: endpoint)
            try await webhooks.record([(delivery: due[0], outcome: .delivered(status: 204))])
            let service = try #require(app.app.backgroundServices().compactMap { $0 as? RetentionService }.first)
            #expect(service.outboxRetentionDays <= 30)
            try await service.tidy(now: Date())
            #expect(try await webhooks.recentDeliveries(endpoint: endpoint).map(\.event) == [due[1].event], "the delivered one went")
            #expect(try await Self.sweep(database, for: ["Delivered"]) == ["members.name (1)"], "the member, not the outbox")
        }
    }

    /// `table.column` for every value in every table that contains one of `needles`, the tables and
    /// columns read from the schema of the engine in use.
    static func sweep(_ pool: any DatabasePool, for needles: [String]) async throws -> [String] {
        let postgres = TestDatabases.appEngine == .postgres
        return try await pool.read { database in
            let tables: [String] =
                postgres
                ? try database.query(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
                ) { try $0[0] }
                : try database.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'") { try $0[0] }
            #expect(tables.count > 20, "\(tables)")
            var found: [String] = []
            for table in tables {
                let columns: [String] =
                    postgres
                    ? try database.query(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = ?", [table]
                    ) { try $0[0] }
                    : try database.query("SELECT name FROM pragma_table_info(?)", [table]) { try $0[0] }
                for column in columns {
                    let find = postgres ? "strpos(\"\(column)\"::text, ?)" : "instr(CAST(\"\(column)\" AS TEXT), ?)"
                    for needle in needles {
                        let hits = try database.scalar("SELECT count(*) FROM \"\(table)\" WHERE \(find) > 0", [needle], as: Int.self)
                        if let hits, hits > 0 { found.append("\(table).\(column) (\(hits))") }
                    }
                }
            }
            return found
        }
    }
}

import Foundation
import Testing

@testable import App
@testable import Storage

@Suite("Webhooks out: signatures, where they may go, when they are tried again, and the outbox")
struct WebhooksOutTests {
    @Test("the signature is Standard Webhooks' v1: base64 HMAC-SHA256 of id.timestamp.body, keyed by the secret's bytes")
    func signature() {
        // The example from the Standard Webhooks specification's reference implementations.
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        let body = #"{"test": 2432232314}"#
        #expect(
            WebhookSigner.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1614265330, body: body, secret: secret)
                == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(WebhookSigner.signature(id: "x", timestamp: 1, body: "", secret: "not-a-secret") == nil)
        #expect(WebhookSigner.newSecret().hasPrefix("whsec_"))
    }

    @Test("tries again with exponential backoff and jitter, for three days, then gives up")
    func backoff() {
        let start = Date(timeIntervalSince1970: 0)
        #expect(WebhookDeliveryService.retryAt(attempts: 1, createdAt: start, now: start, jitter: 1) == start.addingTimeInterval(5))
        #expect(WebhookDeliveryService.retryAt(attempts: 4, createdAt: start, now: start, jitter: 1) == start.addingTimeInterval(40))
        #expect(WebhookDeliveryService.retryAt(attempts: 30, createdAt: start, now: start, jitter: 1) == start.addingTimeInterval(3600))
        #expect(WebhookDeliveryService.retryAt(attempts: 2, createdAt: start, now: start, jitter: 0.5) == start.addingTimeInterval(5))
        #expect(WebhookDeliveryService.retryAt(attempts: 99, createdAt: start, now: start.addingTimeInterval(3 * 86400), jitter: 1) == nil)
    }

    @Test("an event is written with the change it reports, one delivery per subscribed endpoint, and a member's events wait their turn")
    func outbox() async throws {
        try await TestApp.with { app in
            let store = WebhookStore(pool: app.app.database)
            let all = try await store.add(url: "https://crm.example/hooks", secret: WebhookSigner.newSecret(), events: Set(MemberEvents.types))
            _ = try await store.add(url: "https://mail.example/hooks", secret: WebhookSigner.newSecret(), events: ["member.erased"])
            let member = try await MemberStore(pool: app.app.database).recordLogin(
                MemberProfile(sub: "m", name: "M", email: "m@example.com"), store: nil)
            try await app.app.database.write { database in
                try MemberEvents.enqueue("member.joined", member: member, consents: ["email": false], in: database)
                try MemberEvents.enqueue("member.updated", member: member, consents: ["email": true], in: database)
            }
            let due = try await store.due(endpoint: all)
            #expect(
                due.map(\.type) == ["member.joined", "member.updated"] && due.allSatisfy { $0.endpoint.id == all },
                "oldest first, for the subscribed endpoint")
            #expect(!due[0].payload.contains("m@example.com"), "no e-mail without the e-mail consent")
            #expect(try await store.claim([(due[0], Date().addingTimeInterval(60))]).map(\.event) == [due[0].event])
            #expect(try await store.due(endpoint: all).isEmpty, "the second waits while the first is in flight")
            try await store.record([(due[0], .delivered(status: 204))])
            let next = try await store.due(endpoint: all)
            #expect(next.count == 1 && next[0].type == "member.updated" && next[0].payload.contains("m@example.com"))
        }
    }

    @Test("admins manage endpoints in /admin/webhooks: the secret shown once, off and on, the last deliveries, send again, all audit-logged")
    func adminPages() async throws {
        try await OnboardingHarness.with { harness in
            let admin = try await harness.staff("admin", msisdn: "4712345678")
            let csrf = try #require(Browser.hidden("csrf", in: try await admin.get("/admin/webhooks").text))
            #expect(try await admin.post("/admin/webhooks", form: [("csrf", csrf), ("url", "ftp://x"), ("events", "member.joined")]).status == 422)
            let added = try await admin.post(
                "/admin/webhooks",
                form: [
                    ("csrf", csrf), ("url", "https://crm.example/hooks"),
                    ("events", "member.joined"), ("events", "member.erased"),
                ])
            #expect(added.status == 200 && added.text.contains("whsec_"))
            let list = try await admin.get("/admin/webhooks").text
            #expect(list.contains("https://crm.example/hooks") && !list.contains("whsec_"), "the secret is shown once")
            let id = try #require(try await WebhookStore(pool: harness.app.app.database).endpoints().first?.id)
            _ = try await MemberStore(pool: harness.app.app.database).recordLogin(MemberProfile(sub: "m", name: "M"), store: nil)
            try await harness.app.app.database.write { database in
                let member = try #require(try MemberStore.find(sub: "m", in: database))
                try MemberEvents.enqueue("member.joined", member: member, consents: [:], in: database)
            }
            let page = try await admin.get("/admin/webhooks/\(id)").text
            #expect(page.contains("member.joined") && page.contains("pending"))
            #expect(try await admin.post("/admin/webhooks/\(id)", form: [("csrf", csrf), ("action", "disable")]).status == 303)
            #expect(try await WebhookStore(pool: harness.app.app.database).endpoints().first?.enabled == false)
            let event = try #require(Browser.hidden("event", in: page))
            #expect(try await admin.post("/admin/webhooks/\(id)/resend", form: [("csrf", csrf), ("event", event)]).status == 303)
            let audit = try await admin.get("/admin/audit").text
            #expect(audit.contains("webhook.add") && audit.contains("webhook.disable") && audit.contains("webhook.resend"))
        }
    }
}

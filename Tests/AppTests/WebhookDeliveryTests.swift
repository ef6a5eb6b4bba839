import Foundation
import ServiceLifecycle
import ServiceLifecycleTestKit
import Storage
import TestSupport
import Testing

@testable import App

@Suite("Webhook delivery that no receiver can stall")
struct WebhookDeliveryTests {
    /// Four events for each of five members, to every endpoint.
    private func enqueueEvents(_ app: TestApp) async throws {
        try await app.app.database.write { database in
            for number in 0..<4 {
                for member in 0..<5 {
                    try WebhookStore.enqueue(
                        type: "member.updated", memberKey: "m\(member)", payload: #"{"member":"m\#(member)","n":\#(number)}"#, at: Date(),
                        in: database)
                }
            }
        }
    }

    private func waitUntil(seconds: Double = 20, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return try await condition()
    }

    @Test(
        "a trickling, an endless and an absent receiver beside a good one: the good one gets every event in order, the others failed attempts",
        .timeLimit(.minutes(2)))
    func badReceivers() async throws {
        try await TestApp.with { app in
            let store = WebhookStore(pool: app.app.database)
            let good = try TestReceiver(.answer(204))
            let trickle = try TestReceiver(.trickle(every: .seconds(1)))
            let endless = try TestReceiver(.endless)
            let down = "http://127.0.0.1:\(try TestReceiver.refusedPort())/hooks"
            var endpoints: [String: Int64] = [:]
            // The bad ones first: the old delivery, one at a time, met them before the good one.
            for (name, url) in [("trickle", trickle.url), ("endless", endless.url), ("down", down), ("good", good.url)] {
                endpoints[name] = try await store.add(url: url, secret: WebhookSigner.newSecret(), events: ["member.updated"])
            }
            try await enqueueEvents(app)
            let metrics = AppMetrics()
            let service = WebhookDeliveryService(
                store: store, allowPrivateTargets: true, logger: app.logs.logger, metrics: metrics, deadline: .seconds(20))
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await service.run() }
                    // Well within the trickling receiver's deadline (a loaded machine runs many suites at once):
                    // it holds only its own endpoint.
                    #expect(try await waitUntil(seconds: 15) { good.requests.count >= 20 }, "the good receiver got \(good.requests.count) of 20")
                    for name in ["endless", "down", "trickle"] {
                        let failed = try await waitUntil(seconds: 30) {
                            try await store.recentDeliveries(endpoint: endpoints[name]!).contains {
                                $0.attempts >= 1 && $0.lastError?.contains("no answer") == true
                            }
                        }
                        #expect(failed, "the \(name) receiver's deliveries have failed attempts recorded")
                    }
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
            }
            let roundErrors = app.logs.all.filter { $0.contains("round for endpoint") || $0.contains("could not read the outbox") }
            #expect(roundErrors.isEmpty, "every round ran through: \(roundErrors)")
            let received = good.requests.compactMap { try? JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any] }
            #expect(received.count == 20)
            for member in 0..<5 {
                let numbers = received.filter { $0["member"] as? String == "m\(member)" }.compactMap { $0["n"] as? Int }
                #expect(numbers == [0, 1, 2, 3], "member m\(member)'s events in order: \(numbers)")
            }
            let delivered = try await store.recentDeliveries(endpoint: endpoints["good"]!)
            #expect(delivered.count == 20 && delivered.allSatisfy { $0.status == "delivered" && $0.attempts == 1 })
            // What the webhook alerts read: the good endpoint's deliveries, the down one's failures.
            let text = String(decoding: metrics.registry.emitToBuffer(), as: UTF8.self)
            #expect(text.contains(#"velkommen_webhook_deliveries_total{endpoint="\#(endpoints["good"]!)",outcome="delivered"} 20"#), "\(text)")
            #expect(text.contains(#"velkommen_webhook_deliveries_total{endpoint="\#(endpoints["down"]!)",outcome="failed"}"#), "\(text)")
        }
    }

    @Test("an attempt is recorded, with its retry time, before it is sent; a graceful shutdown ends it at once", .timeLimit(.minutes(1)))
    func attemptBeforeSend() async throws {
        try await TestApp.with { app in
            let store = WebhookStore(pool: app.app.database)
            let silent = try TestReceiver(.silent)
            let endpoint = try await store.add(url: silent.url, secret: WebhookSigner.newSecret(), events: ["member.updated"])
            try await app.app.database.write { database in
                try WebhookStore.enqueue(type: "member.updated", memberKey: "m", payload: "{}", at: Date(), in: database)
            }
            let service = WebhookDeliveryService(store: store, allowPrivateTargets: true, logger: app.logs.logger, deadline: .seconds(600))
            try await testGracefulShutdown { trigger in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await service.run() }
                    #expect(try await waitUntil { silent.requests.count == 1 })
                    let inFlight = try #require(try await store.recentDeliveries(endpoint: endpoint).first)
                    #expect(inFlight.attempts == 1 && inFlight.status == "pending", "counted before any answer")
                    #expect(inFlight.at > Date(), "a crash now leaves it waiting its backoff, not first in line at once")
                    trigger.triggerGracefulShutdown()
                    try await group.waitForAll()
                }
            }
            let after = try #require(try await store.recentDeliveries(endpoint: endpoint).first)
            #expect(after.status == "pending" && after.attempts == 0, "the shutdown undid the claim: it goes again after the restart")
        }
    }

    @Test("turns: at most the limit at once, never one endpoint twice, the never-served first, one that gave no answer rests")
    func turns() {
        var turns = EndpointTurns()
        let endpoints: [Int64] = [1, 2, 3]
        #expect(turns.choose(endpoints, id: { $0 }, limit: 2) == [1, 2])
        #expect(turns.choose(endpoints, id: { $0 }, limit: 2).isEmpty, "two are running")
        turns.finished(1, failing: true)
        turns.finished(2, failing: false)
        #expect(turns.choose(endpoints, id: { $0 }, limit: 3) == [3, 2], "3 was never served; 1 rests after a round without answers")
        turns.finished(3, failing: false)
        turns.finished(2, failing: false)
        #expect(Set(turns.choose(endpoints, id: { $0 }, limit: 3)) == [2, 3], "1 still rests")
    }

    @Test("the admin page refuses a plain http endpoint in the visitor's language, and one on an internal address")
    func adminRefusesHTTP() async throws {
        try await OnboardingHarness.with { harness in
            let admin = try await harness.staff("admin", msisdn: "4712345678")
            let csrf = try #require(Browser.hidden("csrf", in: try await admin.get("/admin/webhooks").text))
            let plain = try await admin.post(
                "/admin/webhooks", form: [("csrf", csrf), ("url", "http://crm.example/hooks"), ("events", "member.joined")])
            #expect(plain.status == 422 && plain.text.contains("Bare https-adresser er tillatt"))
            let reserved = try await admin.post(
                "/admin/webhooks", form: [("csrf", csrf), ("url", "https://169.254.169.254/latest"), ("events", "member.joined")])
            #expect(reserved.status == 422 && reserved.text.contains("privat eller reservert nettverk"))
            #expect(try await WebhookStore(pool: harness.app.app.database).endpoints().isEmpty)
        }
    }
}

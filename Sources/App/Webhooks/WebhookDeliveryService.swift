import Foundation
import Logging
import OutboundHTTP
import ServiceLifecycle
import Storage

/// Sends the outbox's events to the merchant's endpoints, signed (Standard Webhooks). Each endpoint
/// delivers on its own (up to `maxEndpointsAtOnce` side by side), so a slow, endless or absent receiver
/// costs its own endpoint failed attempts and nothing else: every request has a total deadline and a
/// cap on the answer (OutboundHTTP, libcurl). A member's events go out in order per endpoint (the next
/// waits until the one before succeeded); different members' go in parallel. Each attempt is recorded
/// before it is sent, with the time of its retry, so a crash mid-send counts as a failed attempt.
/// A delivery that fails is tried again with exponential backoff and jitter for up to three days;
/// everything lives in the database, so a restart or `kill -9` loses nothing (an event sent just before
/// a crash may come again, with the same `webhook-id`). Redirects are not followed; the connection goes
/// to the address that was checked (WebhookTargets); secrets and payloads are never logged.
struct WebhookDeliveryService: Service {
    let store: WebhookStore
    let allowPrivateTargets: Bool
    let logger: Logger
    /// Counts each try by endpoint and outcome (`velkommen_webhook_deliveries_total`); nil counts nothing.
    var metrics: AppMetrics? = nil
    var tick: Duration = .milliseconds(250)
    /// The whole exchange, answer included: a receiver that trickles is cut off here.
    var deadline: Duration = .seconds(10)
    static let giveUpAfter: TimeInterval = 3 * 24 * 3600
    /// A webhook needs the status only; a longer answer is a failed attempt.
    static let maxAnswerBytes = 64 * 1024
    static let maxEndpointsAtOnce = 16
    /// Members whose events go to one endpoint at the same time.
    static let maxInFlightPerEndpoint = 16
    static let batch = 500

    func run() async throws {
        let client = OutboundClient()
        // On SIGTERM every request in flight is cancelled: a slow receiver cannot hold the shutdown.
        await cancelWhenGracefulShutdown { await supervise(client) }
    }

    /// Starts a delivery task for each endpoint with due work, up to `maxEndpointsAtOnce`, the ones
    /// served longest ago first; an endpoint that just failed waits (in memory) before its next turn.
    private func supervise(_ client: OutboundClient) async {
        let turns = Locked(EndpointTurns())
        await withDiscardingTaskGroup { group in
            while !Task.isCancelled {
                do {
                    let endpoints = try await store.endpointsWithDueDeliveries()
                    let chosen = turns.withLock { $0.choose(endpoints, id: \.id, limit: Self.maxEndpointsAtOnce) }
                    for endpoint in chosen {
                        group.addTask {
                            let failing = await serve(endpoint, client: client)
                            turns.withLock { $0.finished(endpoint.id, failing: failing) }
                        }
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("webhooks: could not read the outbox: \(String(reflecting: type(of: error)))")
                }
                do {
                    try await Task.sleep(for: tick)
                } catch {
                    return
                }
            }
        }
    }

    /// Rounds for one endpoint while it has due work and does not fail; whether it failed.
    private func serve(_ endpoint: WebhookEndpoint, client: OutboundClient) async -> Bool {
        while !Task.isCancelled {
            do {
                switch try await round(endpoint, client: client) {
                case .idle: return false
                case .failing: return true
                case .delivered: continue
                }
            } catch {
                if !Task.isCancelled {
                    logger.warning("webhooks: delivery round for endpoint \(endpoint.id) failed: \(String(reflecting: type(of: error)))")
                }
                return true
            }
        }
        return false
    }

    enum RoundResult { case idle, delivered, failing }

    /// One round for one endpoint: the due deliveries claimed (attempt recorded), sent (members side by
    /// side, each member's in order), the outcomes recorded.
    func round(_ endpoint: WebhookEndpoint, client: OutboundClient, now: Date = Date()) async throws -> RoundResult {
        let due = try await store.due(endpoint: endpoint.id, at: now, limit: Self.batch)
        guard !due.isEmpty else { return .idle }
        let claimed = try await store.claim(
            due.map { ($0, Self.retryAt(attempts: $0.attempts + 1, createdAt: $0.createdAt, now: now) ?? now.addingTimeInterval(60)) }, at: now)
        guard !claimed.isEmpty else { return .delivered }
        let target: WebhookTargets.PinnedTarget
        switch await WebhookTargets.pin(endpoint.url, allowPrivate: allowPrivateTargets) {
        case .success(let pinned): target = pinned
        case .failure(let refusal):
            logger.warning("webhooks: endpoint \(endpoint.id) refused: \(refusal.message)")
            let refused = claimed.map { ($0, failure($0, status: nil, error: refusal.message)) }
            try await store.record(refused)
            count(refused)
            return .failing
        }
        let outcomes = await send(chains(of: claimed), to: target, client: client)
        try await store.record(outcomes)
        count(outcomes)
        let failures = outcomes.compactMap { if case .failed(let status, let error, _) = $0.outcome { (status, error) } else { nil } }
        guard let (status, error) = failures.first else { return .delivered }
        logger.warning(
            "webhooks: \(failures.count) deliveries to endpoint \(endpoint.id) failed (\(status.map { "HTTP \($0)" } ?? error)); trying again later")
        // No answer at all (timeout, refused, too large): the endpoint waits before its next round.
        return failures.contains { $0.0 == nil } ? .failing : .delivered
    }

    private func count(_ outcomes: [(delivery: WebhookDelivery, outcome: DeliveryOutcome)]) {
        guard let metrics else { return }
        for (delivery, outcome) in outcomes {
            switch outcome {
            case .delivered: metrics.webhookDelivery(endpoint: delivery.endpoint.id, outcome: "delivered")
            case .failed(_, _, let retryAt): metrics.webhookDelivery(endpoint: delivery.endpoint.id, outcome: retryAt == nil ? "dropped" : "failed")
            case .notSent: continue
            }
        }
    }

    /// Each member's deliveries, in event order; the members in the order of their first event.
    private func chains(of deliveries: [WebhookDelivery]) -> [[WebhookDelivery]] {
        var chains: [[WebhookDelivery]] = []
        var index: [String: Int] = [:]
        for delivery in deliveries {
            if let at = index[delivery.memberKey] {
                chains[at].append(delivery)
            } else {
                index[delivery.memberKey] = chains.count
                chains.append([delivery])
            }
        }
        return chains
    }

    /// Sends the chains, up to `maxInFlightPerEndpoint` at once. A chain stops at its first failure;
    /// after an answer that is not an answer (timeout, refused, too large) nothing more is started for
    /// this endpoint this round: the receiver is broken, and the rest waits its turn.
    private func send(
        _ chains: [[WebhookDelivery]], to target: WebhookTargets.PinnedTarget, client: OutboundClient
    ) async -> [(delivery: WebhookDelivery, outcome: DeliveryOutcome)] {
        let broken = Locked(false)
        return await withTaskGroup(of: [(delivery: WebhookDelivery, outcome: DeliveryOutcome)].self) { group in
            var pending = chains.makeIterator()
            var outcomes: [(delivery: WebhookDelivery, outcome: DeliveryOutcome)] = []
            func start(_ chain: [WebhookDelivery]) {
                group.addTask {
                    var results: [(delivery: WebhookDelivery, outcome: DeliveryOutcome)] = []
                    for delivery in chain {
                        guard !Task.isCancelled, !broken.withLock({ $0 }), results.allSatisfy({ $0.outcome.isDelivered })
                        else {
                            results.append((delivery, .notSent))
                            continue
                        }
                        let outcome = await deliver(delivery, to: target, client: client)
                        if case .failed(nil, _, _) = outcome { broken.withLock { $0 = true } }
                        results.append((delivery, outcome))
                    }
                    return results
                }
            }
            for _ in 0..<Self.maxInFlightPerEndpoint {
                guard let chain = pending.next() else { break }
                start(chain)
            }
            while let results = await group.next() {
                outcomes += results
                if let chain = pending.next() { start(chain) }
            }
            return outcomes
        }
    }

    private func deliver(_ delivery: WebhookDelivery, to target: WebhookTargets.PinnedTarget, client: OutboundClient) async -> DeliveryOutcome {
        let timestamp = Int(Date().timeIntervalSince1970)
        guard
            let signature = WebhookSigner.signature(
                id: delivery.eventID, timestamp: timestamp, body: delivery.payload, secret: delivery.endpoint.secret)
        else {
            return failure(delivery, status: nil, error: "the endpoint's secret is not valid")
        }
        let request = OutboundRequest(
            method: "POST", url: target.url,
            headers: [
                ("Content-Type", "application/json"), ("webhook-id", delivery.eventID), ("webhook-timestamp", String(timestamp)),
                ("webhook-signature", signature), ("User-Agent", "velkommen"),
            ],
            body: Array(delivery.payload.utf8), deadline: deadline, connectTimeout: .seconds(5), maxBodyBytes: Self.maxAnswerBytes,
            allowPlainHTTP: target.allowPlainHTTP, pinnedAddress: target.address)
        do {
            let response = try await client.send(request)
            if (200..<300).contains(response.status) { return .delivered(status: response.status) }
            return failure(delivery, status: response.status, error: "HTTP \(response.status)")
        } catch .cancelled {
            // Shutting down: the claim is undone, so the delivery goes first after the restart.
            return .notSent
        } catch {
            return failure(delivery, status: nil, error: "no answer (\(error.description))")
        }
    }

    private func failure(_ delivery: WebhookDelivery, status: Int?, error: String) -> DeliveryOutcome {
        .failed(status: status, error: error, retryAt: Self.retryAt(attempts: delivery.attempts + 1, createdAt: delivery.createdAt, now: Date()))
    }

    /// 5 s, 10 s, 20 s … up to an hour between tries, each ±50 % so that endpoints coming back are not
    /// hit by everyone at once; nil after three days.
    static func retryAt(attempts: Int, createdAt: Date, now: Date, jitter: Double = Double.random(in: 0.5...1.5)) -> Date? {
        guard now.timeIntervalSince(createdAt) < giveUpAfter else { return nil }
        let base = min(3600, 5 * pow(2, Double(min(attempts - 1, 20))))
        return now.addingTimeInterval(base * jitter)
    }
}

extension DeliveryOutcome {
    var isDelivered: Bool { if case .delivered = self { true } else { false } }
}

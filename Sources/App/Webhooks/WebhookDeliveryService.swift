import Foundation
import Logging
import ServiceLifecycle
import Storage

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Sends the outbox's events to the merchant's endpoints, signed (Standard Webhooks). A delivery that
/// fails is tried again with exponential backoff and jitter for up to three days; a member's events
/// go out in order (the next waits for the one before); everything lives in the database, so a restart
/// or `kill -9` loses nothing (an event sent just before a crash may come again, with the same
/// `webhook-id`). Redirects are not followed; secrets and payloads are never logged.
struct WebhookDeliveryService: Service {
    let store: WebhookStore
    let allowPrivateTargets: Bool
    let logger: Logger
    var tick: Duration = .milliseconds(250)
    static let giveUpAfter: TimeInterval = 3 * 24 * 3600
    static let timeout: TimeInterval = 10

    func run() async throws {
        let session = URLSession(configuration: Self.sessionConfiguration, delegate: NoRedirects(), delegateQueue: nil)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                // While there is work, the next round starts at once: a member's next event waits only
                // for the one before it, not for the tick.
                if try await deliverDue(session: session) > 0 { continue }
            } catch {
                logger.warning("webhooks: delivery round failed: \(String(reflecting: type(of: error)))")
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: tick) }
            } catch {
                return
            }
        }
    }

    static var sessionConfiguration: URLSessionConfiguration {
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        configuration.httpCookieStorage = nil
        configuration.urlCache = nil
        return configuration
    }

    /// One round: the due deliveries, each member's in order (one after the other, stopping at the first
    /// that fails, and only when the oldest pending event of that member is among them); returns how
    /// many were tried.
    @discardableResult
    func deliverDue(session: URLSession, now: Date = Date()) async throws -> Int {
        var groups: [String: [WebhookDelivery]] = [:]
        var order: [String] = []
        for delivery in try await store.due(at: now) {
            let key = "\(delivery.endpoint.id)\u{0}\(delivery.memberKey)"
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(delivery)
        }
        var tried = 0
        for key in order {
            guard let group = groups[key], let first = group.first,
                try await store.oldestPending(endpoint: first.endpoint.id, memberKey: first.memberKey) == first.event
            else { continue }
            for delivery in group {
                tried += 1
                guard try await deliver(delivery, session: session, now: now) else { break }
            }
        }
        return tried
    }

    /// Whether it was delivered.
    private func deliver(_ delivery: WebhookDelivery, session: URLSession, now: Date) async throws -> Bool {
        let endpoint = delivery.endpoint
        if let refusal = await WebhookTargets.refusal(endpoint.url, allowPrivate: allowPrivateTargets) {
            try await failed(delivery, status: nil, error: refusal, now: now)
            return false
        }
        let timestamp = Int(now.timeIntervalSince1970)
        guard let url = URL(string: endpoint.url),
            let signature = WebhookSigner.signature(id: delivery.eventID, timestamp: timestamp, body: delivery.payload, secret: endpoint.secret)
        else {
            try await failed(delivery, status: nil, error: "the endpoint's URL or secret is not valid", now: now)
            return false
        }
        var request = URLRequest(url: url)
        request.httpMethod = "POST"
        request.httpBody = Data(delivery.payload.utf8)
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.setValue(delivery.eventID, forHTTPHeaderField: "webhook-id")
        request.setValue(String(timestamp), forHTTPHeaderField: "webhook-timestamp")
        request.setValue(signature, forHTTPHeaderField: "webhook-signature")
        request.setValue("velkommen", forHTTPHeaderField: "User-Agent")
        do {
            let (_, response) = try await session.data(for: request)
            let status = (response as? HTTPURLResponse)?.statusCode ?? 0
            if (200..<300).contains(status) {
                try await store.delivered(event: delivery.event, endpoint: endpoint.id, status: status)
                return true
            }
            try await failed(delivery, status: status, error: "HTTP \(status)", now: now)
        } catch let error as URLError {
            try await failed(delivery, status: nil, error: "no answer (\(error.code.rawValue))", now: now)
        }
        return false
    }

    private func failed(_ delivery: WebhookDelivery, status: Int?, error: String, now: Date) async throws {
        let retryAt = Self.retryAt(attempts: delivery.attempts + 1, createdAt: delivery.createdAt, now: now)
        logger.warning("webhooks: delivery to endpoint \(delivery.endpoint.id) failed (\(error)); \(retryAt == nil ? "giving up" : "trying again")")
        try await store.attemptFailed(event: delivery.event, endpoint: delivery.endpoint.id, status: status, error: error, retryAt: retryAt)
    }

    /// 5 s, 10 s, 20 s … up to an hour between tries, each ±50 % so that endpoints coming back are not
    /// hit by everyone at once; nil after three days.
    static func retryAt(attempts: Int, createdAt: Date, now: Date, jitter: Double = Double.random(in: 0.5...1.5)) -> Date? {
        guard now.timeIntervalSince(createdAt) < giveUpAfter else { return nil }
        let base = min(3600, 5 * pow(2, Double(min(attempts - 1, 20))))
        return now.addingTimeInterval(base * jitter)
    }

    /// Refuses every redirect: the merchant registered one URL, and a redirect could lead anywhere.
    final class NoRedirects: NSObject, URLSessionTaskDelegate, Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }
}

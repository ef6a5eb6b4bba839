import CoreMetrics
import Foundation
import HTTPServer
import Prometheus
import Storage
import Synchronization
import VippsLogin

/// The operator's numbers, through swift-metrics into a Prometheus registry of this app's own (so tests
/// can read it, and nothing else in the process writes into it). `/metrics` on its own listener shows it.
public final class AppMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory

    private struct RouteKey: Hashable {
        var route: String
        var method: String
        var status: Int
    }

    private let requestCounters = Mutex<[RouteKey: CoreMetrics.Counter]>([:])
    private let requestTimers = Mutex<[String: CoreMetrics.Timer]>([:])
    private let loginSteps: [String: CoreMetrics.Counter]
    private let databaseWrites: CoreMetrics.Timer
    private let queueDepth: CoreMetrics.Gauge
    private let openConnections: CoreMetrics.Gauge
    private let checkpoints: (background: CoreMetrics.Counter, inCommit: CoreMetrics.Counter)
    /// The checkpoint counts already added to the counters: a scrape adds what happened since.
    private let checkpointsReported = Mutex((background: 0, inCommit: 0))

    public init() {
        let factory = PrometheusMetricsFactory(registry: registry)
        self.factory = factory
        loginSteps = Dictionary(
            uniqueKeysWithValues: ["started", "confirmed", "landed", "completed"].map { step in
                (step, CoreMetrics.Counter(label: "velkommen_logins_total", dimensions: [("step", step)], factory: factory))
            })
        databaseWrites = CoreMetrics.Timer(label: "velkommen_database_write_duration_seconds", factory: factory)
        queueDepth = CoreMetrics.Gauge(label: "velkommen_database_write_queue_depth", factory: factory)
        openConnections = CoreMetrics.Gauge(label: "velkommen_http_open_connections", factory: factory)
        checkpoints = (
            CoreMetrics.Counter(label: "velkommen_database_checkpoints_total", dimensions: [("where", "background")], factory: factory),
            CoreMetrics.Counter(label: "velkommen_database_checkpoints_total", dimensions: [("where", "commit")], factory: factory)
        )
    }

    /// One answered request, by route pattern (never the path itself: it may hold ids or codes).
    func request(route: String, method: String, status: Int, duration: Duration) {
        let key = RouteKey(route: route, method: method, status: status)
        let counter = requestCounters.withLock { counters in
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(
                label: "velkommen_http_requests_total",
                dimensions: [("route", route), ("method", method), ("status", String(status))], factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment()
        let timer = requestTimers.withLock { timers in
            if let timer = timers[route] { return timer }
            let timer = CoreMetrics.Timer(label: "velkommen_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            timers[route] = timer
            return timer
        }
        timer.recordNanoseconds(duration.nanoseconds)
    }

    /// A login reached `step`: started, confirmed, landed or completed.
    func login(_ step: String) { loginSteps[step]?.increment() }

    /// A login failed, and why (`invalid_user`, `code_invalid`, `verification_failed`, …).
    func loginFailed(_ reason: String) {
        CoreMetrics.Counter(label: "velkommen_logins_failed_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    /// Every call to Vipps, by endpoint and outcome, with its latency.
    public func vippsCall(_ call: VippsCall) {
        let outcome = call.status.map { "\($0 / 100)xx" } ?? "error"
        CoreMetrics.Counter(
            label: "velkommen_vipps_requests_total", dimensions: [("endpoint", call.endpoint), ("outcome", outcome)], factory: factory
        ).increment()
        CoreMetrics.Timer(label: "velkommen_vipps_request_duration_seconds", dimensions: [("endpoint", call.endpoint)], factory: factory)
            .recordNanoseconds(call.duration.nanoseconds)
    }

    /// One try to deliver a webhook, by endpoint id (never its URL: it may hold a token) and outcome:
    /// `delivered`, `failed` (tried again later) or `dropped` (given up after three days).
    func webhookDelivery(endpoint: Int64, outcome: String) {
        CoreMetrics.Counter(
            label: "velkommen_webhook_deliveries_total", dimensions: [("endpoint", String(endpoint)), ("outcome", outcome)], factory: factory
        ).increment()
    }

    func watch(_ statistics: WriteStatistics) {
        let timer = databaseWrites
        statistics.observe { timer.recordNanoseconds($0.nanoseconds) }
    }

    /// The text a scrape gets, with the gauges read now.
    public func exposition(writes: WriteStatistics, openConnections connections: Int) -> [UInt8] {
        queueDepth.record(writes.queueDepth)
        openConnections.record(connections)
        // Checkpoints in a commit mean the log outgrew what the background copies: a reader holding an
        // old snapshot, or a write rate above the disk's.
        let now = writes.checkpoints
        let since = checkpointsReported.withLock { reported in
            defer { reported = now }
            return (now.background - reported.background, now.inCommit - reported.inCommit)
        }
        if since.0 > 0 { checkpoints.background.increment(by: since.0) }
        if since.1 > 0 { checkpoints.inCommit.increment(by: since.1) }
        return registry.emitToBuffer()
    }
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}

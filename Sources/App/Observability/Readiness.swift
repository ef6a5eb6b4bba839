import Foundation
import HTTPServer
import Storage
import Synchronization
import VippsLogin

/// `GET /readyz`: whether this instance can serve a login now: the database takes a write, and Vipps'
/// discovery document is fresh. 200 when both hold, else 503; the body says which. `/healthz` stays
/// liveness (the process answers).
///
/// A request only reads what `ReadinessProbe` found last: the route is public, and a write per request
/// would let anyone queue work behind the write lock (on PostgreSQL the lock every instance shares).
/// The probe checks every 5 s; a finding older than `staleAfter` counts as not ready, so a probe that
/// hangs (a database that never answers) turns the instance unready instead of leaving it green.
final class Readiness: Sendable {
    let pool: any DatabasePool
    let vipps: VippsLoginClient?
    /// The outcomes of the calls logins made: a Vipps that stopped answering shows here at once.
    let calls: VippsCallHealth
    static let interval: Duration = .seconds(5)
    static let staleAfter: TimeInterval = 30

    struct Finding: Sendable {
        var database: String
        var vipps: String
        var at: Date
    }

    private let last = Mutex<Finding?>(nil)

    init(pool: any DatabasePool, vipps: VippsLoginClient?, calls: VippsCallHealth = VippsCallHealth()) {
        self.pool = pool
        self.vipps = vipps
        self.calls = calls
    }

    /// Checks the database (one empty write) and Vipps' discovery, and keeps the result.
    func refresh(now: @Sendable () -> Date = { Date() }) async {
        var finding = Finding(database: "ok", vipps: "not configured", at: now())
        do {
            try await pool.write { _ in }
        } catch {
            finding.database = "unavailable"
        }
        if let vipps {
            do {
                _ = try await vipps.discovery()
                finding.vipps = "ok"
            } catch {
                finding.vipps = error.isMisconfiguration ? "misconfigured" : "unreachable"
            }
        }
        finding.at = now()
        last.withLock { $0 = finding }
    }

    func response(now: Date = Date()) -> HTTPResponse {
        var checks: [String: String]
        if let finding = last.withLock({ $0 }) {
            checks = ["database": finding.database, "vipps": finding.vipps]
            if finding.vipps == "ok", let failed = calls.failing(at: now) { checks["vipps"] = "failing: the last \(failed) calls failed" }
            if now.timeIntervalSince(finding.at) > Self.staleAfter { checks["checked"] = "stale" }
        } else {
            checks = ["checked": "not yet"]
        }
        let ready = checks["database"] == "ok" && checks["vipps"] == "ok" && checks["checked"] == nil
        checks["status"] = ready ? "ready" : "not ready"
        let body = (try? JSONSerialization.data(withJSONObject: checks, options: [.sortedKeys])) ?? Data()
        var response = HTTPResponse.json(Array(body))
        response.status = ready ? .ok : .serviceUnavailable
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}

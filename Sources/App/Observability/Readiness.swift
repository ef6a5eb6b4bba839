import Foundation
import HTTPServer
import Storage
import VippsLogin

/// `GET /readyz`: whether this instance can serve a login now: the database takes a write, and Vipps'
/// discovery document is fresh (fetched again when its cache has expired). 200 when both hold, else
/// 503; the body says which. `/healthz` stays liveness (the process answers).
struct Readiness: Sendable {
    let pool: any DatabasePool
    let vipps: VippsLoginClient?

    func response() async -> HTTPResponse {
        var checks: [String: String] = [:]
        do {
            try await pool.write { _ in }
            checks["database"] = "ok"
        } catch {
            checks["database"] = "unavailable"
        }
        if let vipps {
            do {
                _ = try await vipps.discovery()
                checks["vipps"] = "ok"
            } catch {
                checks["vipps"] = error.isMisconfiguration ? "misconfigured" : "unreachable"
            }
        } else {
            checks["vipps"] = "not configured"
        }
        let ready = checks["database"] == "ok" && checks["vipps"] == "ok"
        checks["status"] = ready ? "ready" : "not ready"
        let body = (try? JSONSerialization.data(withJSONObject: checks, options: [.sortedKeys])) ?? Data()
        var response = HTTPResponse.json(Array(body))
        response.status = ready ? .ok : .serviceUnavailable
        response.headers.set("Cache-Control", "no-store")
        return response
    }
}

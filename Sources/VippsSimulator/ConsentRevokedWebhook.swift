import Foundation
import OutboundHTTP

/// Vipps' `CONSENT_REVOKED` webhook: a POST with a `text/plain` body holding an unsigned JWT
/// (`alg: none`) whose payload names the user's `sub`.
enum ConsentRevokedWebhook {
    static func token(sub: String, now: Date) -> String {
        let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URL
        let seconds = Int(now.timeIntervalSince1970)
        let payload: [String: Any] = ["exp": seconds + 300, "iat": seconds, "nbf": seconds, "sub": sub, "event": "CONSENT_REVOKED"]
        let body = (try? JSONSerialization.data(withJSONObject: payload, options: [.sortedKeys])) ?? Data()
        return header + "." + body.base64URL + "."
    }

    /// One client for the simulator's process: a test may send many.
    private static let client = OutboundClient(maxCachedConnections: 4)

    /// Sends it and returns the merchant's status code. The simulator is a test tool: http is allowed.
    static func send(sub: String, to url: URL, now: Date) async throws -> Int {
        let request = OutboundRequest(
            method: "POST", url: url.absoluteString, headers: [("Content-Type", "text/plain")], body: Array(token(sub: sub, now: now).utf8),
            deadline: .seconds(10), maxBodyBytes: 64 * 1024, allowPlainHTTP: true)
        return try await client.send(request).status
    }
}

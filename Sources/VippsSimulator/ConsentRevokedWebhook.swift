import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

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

    /// Sends it and returns the merchant's status code.
    static func send(sub: String, to url: URL, now: Date) async throws -> Int {
        var request = URLRequest(url: url, timeoutInterval: 10)
        request.httpMethod = "POST"
        request.setValue("text/plain", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(token(sub: sub, now: now).utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}

import Foundation
import HTTPServer
import Logging
import Storage
import VippsLogin

/// `POST /webhooks/vipps/consent-revoked`: Vipps' unsigned `CONSENT_REVOKED` JWT (`text/plain`).
/// Anyone can send one, so it is only a hint: it marks consents the member gave as reported revoked and
/// keeps the member, the consent ids and the time, never text from the token. Unknown members and
/// consent ids write nothing, repeats write nothing, and it is rate-limited per client and in total.
/// Anything that is not such a token gets 400; a body over 8 KiB is refused by the route's limit.
struct ConsentWebhook: Sendable {
    let ledger: ConsentLedger
    let limits: RateLimits
    let logger: Logger

    func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        var wait = try await limits.webhookPerAddress.take(client: request.clientAddress)
        if wait == nil { wait = try await limits.webhookTotal.take("all") }
        if let wait {
            var problem = Problem(.tooManyRequests, "rate-limited", "Too many webhook deliveries", detail: "Try again in \(wait) seconds.")
            problem.retryAfter = wait
            return problem.response
        }
        let text = String(decoding: request.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let event = Self.parse(text) else {
            return Problem(.badRequest, "invalid-webhook", "The body is not a CONSENT_REVOKED token").response
        }
        switch try await ledger.reportRevoked(sub: event.sub, consentIDs: event.consentIDs) {
        case .recorded(let ids):
            logger.info("consent-revoked webhook: \(ids.count) consents marked reported revoked")
        case .alreadyReported:
            logger.info("consent-revoked webhook: already reported, nothing written")
        case .unknown:
            logger.info("consent-revoked webhook: for an unknown member or consent, ignored")
        }
        return HTTPResponse(status: .noContent)
    }

    /// The `sub` of an `alg: none` JWT whose event is `CONSENT_REVOKED`, and the consent ids it names
    /// (nil when it names none, as Vipps' documented payload does: then it is about all of them).
    static func parse(_ token: String) -> (sub: String, consentIDs: [String]?)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), token.count < 4096,
            let headerData = Data(base64URL: parts[0].trimmingCharacters(in: .whitespacesAndNewlines)),
            let payloadData = Data(base64URL: parts[1].trimmingCharacters(in: .whitespacesAndNewlines)),
            let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
            (header["alg"] as? String)?.lowercased() == "none",
            let payload = try? JSONSerialization.jsonObject(with: payloadData) as? [String: Any],
            payload["event"] as? String == "CONSENT_REVOKED", let sub = payload["sub"] as? String, !sub.isEmpty, sub.count < 200
        else { return nil }
        guard let listed = payload["consents"] as? [Any] else { return (sub, nil) }
        let ids = listed.compactMap { ($0 as? String) ?? ($0 as? [String: Any])?["id"] as? String }.filter { $0.count < 100 }
        return (sub, ids.isEmpty ? nil : Array(ids.prefix(50)))
    }
}

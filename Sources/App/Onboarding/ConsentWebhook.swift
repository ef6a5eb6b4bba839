import Foundation
import HTTPServer
import Logging
import Storage
import VippsLogin

/// `POST /webhooks/vipps/consent-revoked`: Vipps' unsigned `CONSENT_REVOKED` JWT (`text/plain`). It is
/// unsigned, so it is only a hint: the member's consents are marked as reported revoked and the event is
/// kept as a receipt. Nothing is deleted. Anything that is not such a token gets 400.
struct ConsentWebhook: Sendable {
    let ledger: ConsentLedger
    let cache: SignedInCache
    let logger: Logger

    func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        let text = String(decoding: request.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard let event = Self.parse(text) else {
            return Problem(.badRequest, "invalid-webhook", "The body is not a CONSENT_REVOKED token").response
        }
        let known = try await ledger.reportRevoked(sub: event.sub, payload: event.payload)
        cache.forget(sub: event.sub)
        logger.info("consent-revoked webhook: \(known ? "recorded" : "for an unknown member, ignored")")
        return HTTPResponse(status: .noContent)
    }

    /// The payload of an `alg: none` JWT whose event is `CONSENT_REVOKED`.
    static func parse(_ token: String) -> (sub: String, payload: String)? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), token.count < 4096,
              let headerData = Data(base64URL: parts[0].trimmingCharacters(in: .whitespacesAndNewlines)),
              let payloadData = Data(base64URL: parts[1].trimmingCharacters(in: .whitespacesAndNewlines)),
              let header = try? JSONSerialization.jsonObject(with: headerData) as? [String: Any],
              (header["alg"] as? String)?.lowercased() == "none",
              let payload = try? JSONSerialization.jsonObject(with: payloadData) as? [String: Any],
              payload["event"] as? String == "CONSENT_REVOKED", let sub = payload["sub"] as? String, !sub.isEmpty, sub.count < 200
        else { return nil }
        return (sub, String(decoding: payloadData, as: UTF8.self))
    }
}

import Crypto
import Foundation

/// Standard Webhooks signatures: `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`,
/// keyed by the secret's bytes (`whsec_` and base64).
enum WebhookSigner {
    static let prefix = "whsec_"

    /// A new secret: 24 random bytes.
    static func newSecret() -> String {
        prefix + SymmetricKey(size: .init(bitCount: 192)).withUnsafeBytes { Data($0) }.base64EncodedString()
    }

    static func signature(id: String, timestamp: Int, body: String, secret: String) -> String? {
        guard secret.hasPrefix(prefix), let key = Data(base64Encoded: String(secret.dropFirst(prefix.count))) else { return nil }
        let mac = HMAC<SHA256>.authenticationCode(for: Data("\(id).\(timestamp).\(body)".utf8), using: SymmetricKey(data: key))
        return "v1," + Data(mac).base64EncodedString()
    }
}

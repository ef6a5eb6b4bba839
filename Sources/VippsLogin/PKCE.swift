import Crypto
import Foundation

/// PKCE (RFC 7636) with S256, and random values for `state` and `nonce`.
enum PKCE {
    /// 32 random bytes, base64url without padding (43 characters).
    static func randomToken(bytes count: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64URLEncoded
    }

    static func challenge(for verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64URLEncoded
    }
}

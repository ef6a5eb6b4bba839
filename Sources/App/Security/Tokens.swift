import Crypto
import Foundation
import VippsLogin

/// Random values for cookies and CSRF tokens, and the hashes stored in their place.
enum Tokens {
    /// `count` random bytes, base64url without padding.
    static func random(bytes count: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }).base64URLEncoded
    }

    /// Lowercase hex of the SHA-256. Runs on every signed-in request (the session cookie), so it avoids
    /// `String(format:)`, which costs microseconds per byte.
    static func sha256Hex(_ text: String) -> String {
        var text = text
        // Hashed in place and written into the string's own storage: no `Data`, no byte arrays.
        let digest = text.withUTF8 { SHA256.hash(data: UnsafeRawBufferPointer($0)) }
        return String(unsafeUninitializedCapacity: 2 * SHA256.byteCount) { hex in
            var index = 0
            for byte in digest {
                hex[index] = hexDigit(byte >> 4)
                hex[index + 1] = hexDigit(byte & 0x0F)
                index += 2
            }
            return index
        }
    }

    private static func hexDigit(_ value: UInt8) -> UInt8 { value < 10 ? 0x30 + value : 0x57 + value }

    static func sha256(_ text: String) -> Data { Data(SHA256.hash(data: Data(text.utf8))) }

    /// Compares secrets without leaking where they differ through timing.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8)
        let b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        return zip(a, b).reduce(0) { $0 | ($1.0 ^ $1.1) } == 0
    }
}

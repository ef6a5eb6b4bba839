import Crypto
import Foundation
import VippsLogin

/// Seals small values into cookies (AES-GCM: encrypted and authenticated) so that a flow's state lives
/// in the browser that started it instead of in a table row an anonymous request could grow. Each value
/// carries its purpose and expiry inside the seal, so one kind of cookie never opens as another.
struct Sealer: Sendable {
    private let key: SymmetricKey

    init(key: Data) { self.key = SymmetricKey(data: key) }

    /// A fresh 256-bit key, for the first start on a database.
    static func newKey() -> Data { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) } }

    private struct Envelope<Value: Codable>: Codable {
        var purpose: String
        var expires: Double
        var value: Value
    }

    func seal<Value: Codable>(_ value: Value, purpose: String, lifetime: TimeInterval, now: Date = Date()) throws -> String {
        let plain = try JSONEncoder().encode(
            Envelope(purpose: purpose, expires: now.addingTimeInterval(lifetime).timeIntervalSince1970, value: value))
        guard let combined = try AES.GCM.seal(plain, using: key).combined else { throw CryptoKitError.incorrectParameterSize }
        return combined.base64URLEncoded
    }

    /// The value, when the text was sealed here for `purpose` and has not expired; nil for anything else.
    func open<Value: Codable>(_ text: String, as type: Value.Type, purpose: String, now: Date = Date()) -> Value? {
        guard text.count < 4096, let combined = Data(base64URL: text), let box = try? AES.GCM.SealedBox(combined: combined),
            let plain = try? AES.GCM.open(box, using: key),
            let envelope = try? JSONDecoder().decode(Envelope<Value>.self, from: plain),
            envelope.purpose == purpose, envelope.expires > now.timeIntervalSince1970
        else { return nil }
        return envelope.value
    }
}

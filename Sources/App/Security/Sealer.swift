import Crypto
import Foundation
import Synchronization
import VippsLogin

/// Seals small values into cookies (AES-GCM: encrypted and authenticated) so that a flow's state lives
/// in the browser that started it instead of in a table row an anonymous request could grow. Each value
/// carries its purpose and expiry inside the seal, so one kind of cookie never opens as another.
///
/// The key can be rotated (`velkommen secret rotate`): values are sealed with the current key, and
/// opened with it or with a key it replaced less than `longestLifetime` ago, so cookies handed out
/// before a rotation still work until they expire, and a key rotated away (a leaked one) opens nothing
/// after that.
struct Sealer: Sendable {
    /// The longest lifetime of any sealed cookie (the browser login, the member switch, the consent
    /// notice: 10 minutes each): how long a replaced key must still open what it sealed.
    static let longestLifetime: TimeInterval = max(BrowserLogin.lifetime, MemberSwitch.lifetime, ConsentNotices.lifetime)

    let keys: SealKeys

    init(key: Data) { keys = SealKeys([Generation(key: key, activeFrom: .distantPast)]) }
    init(keys: SealKeys) { self.keys = keys }

    /// A fresh 256-bit key, for the first start on a database and for each rotation.
    static func newKey() -> Data { SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) } }

    struct Generation: Sendable {
        var key: Data
        var activeFrom: Date
    }

    private struct Envelope<Value: Codable>: Codable {
        var purpose: String
        var expires: Double
        var value: Value
    }

    func seal<Value: Codable>(_ value: Value, purpose: String, lifetime: TimeInterval, now: Date = Date()) throws -> String {
        let plain = try JSONEncoder().encode(
            Envelope(purpose: purpose, expires: now.addingTimeInterval(lifetime).timeIntervalSince1970, value: value))
        guard let combined = try AES.GCM.seal(plain, using: SymmetricKey(data: keys.current(at: now))).combined else {
            throw CryptoKitError.incorrectParameterSize
        }
        return combined.base64URLEncoded
    }

    /// The value, when the text was sealed here for `purpose` and has not expired; nil for anything else.
    func open<Value: Codable>(_ text: String, as type: Value.Type, purpose: String, now: Date = Date()) -> Value? {
        guard text.count < 4096, let combined = Data(base64URL: text), let box = try? AES.GCM.SealedBox(combined: combined) else { return nil }
        for key in keys.opening(at: now) {
            guard let plain = try? AES.GCM.open(box, using: SymmetricKey(data: key)) else { continue }
            guard let envelope = try? JSONDecoder().decode(Envelope<Value>.self, from: plain),
                envelope.purpose == purpose, envelope.expires > now.timeIntervalSince1970
            else { return nil }
            return envelope.value
        }
        return nil
    }
}

/// The sealing keys in use, newest first; replaced when an instance picks up a rotation (`SealKeyRefresh`).
final class SealKeys: Sendable {
    private let generations: Mutex<[Sealer.Generation]>

    init(_ generations: [Sealer.Generation]) {
        self.generations = Mutex(generations.sorted { $0.activeFrom > $1.activeFrom })
    }

    func replace(with new: [Sealer.Generation]) {
        guard !new.isEmpty else { return }
        generations.withLock { $0 = new.sorted { $0.activeFrom > $1.activeFrom } }
    }

    /// The key to seal with: the newest that is active (a rotation becomes active a little after it is
    /// made, so that every instance can open its cookies before any instance seals one).
    func current(at time: Date) -> Data {
        generations.withLock { all in (all.first { $0.activeFrom <= time } ?? all[all.count - 1]).key }
    }

    /// The keys that may open a value now: the current one, one not active yet, and those replaced
    /// less than `Sealer.longestLifetime` ago.
    func opening(at time: Date) -> [Data] {
        generations.withLock { all in
            all.indices.filter { index in
                index == 0 || all[index - 1].activeFrom > time.addingTimeInterval(-Sealer.longestLifetime)
            }.map { all[$0].key }
        }
    }

    var count: Int { generations.withLock { $0.count } }
}

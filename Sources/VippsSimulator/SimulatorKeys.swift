import Crypto
import Foundation
import JWTKit
import _CryptoExtras

/// The simulator's signing keys: an RSA and an EC key published in its JWKS, and a rogue key that is
/// not, for tests that need a token Velkommen must refuse.
struct SimulatorKeys: Sendable {
    let rsaKID = "public:" + UUID().uuidString.lowercased()
    let ecKID = "public:" + UUID().uuidString.lowercased()
    let rogueKID = "public:" + UUID().uuidString.lowercased()
    let collection = JWTKeyCollection()
    let rsaJWK: [String: String]
    let ecJWK: [String: String]

    /// One set per process: a 2048-bit RSA key takes long to generate (seconds in a debug build, which
    /// starved other tests when every simulator made its own), and simulators may share keys.
    static func shared() async throws -> SimulatorKeys { try await cache.value() }

    private static let cache = KeyCache()

    private actor KeyCache {
        private var task: Task<SimulatorKeys, Error>?

        func value() async throws -> SimulatorKeys {
            if let task { return try await task.value }
            let task = Task { try await SimulatorKeys.make() }
            self.task = task
            return try await task.value
        }
    }

    static func make() async throws -> SimulatorKeys {
        let rsa = try await generatedOnAThreadOfItsOwn {
            try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
        }
        let ec = ES256PrivateKey()
        let rogue = ES256PrivateKey()
        let keys = try SimulatorKeys(rsa: rsa, ec: ec)
        await keys.collection.add(rsa: rsa, digestAlgorithm: .sha256, kid: JWKIdentifier(string: keys.rsaKID))
        await keys.collection.add(ecdsa: ec, kid: JWKIdentifier(string: keys.ecKID))
        await keys.collection.add(ecdsa: rogue, kid: JWKIdentifier(string: keys.rogueKID))
        return keys
    }

    /// Key generation runs for seconds in a debug build and never suspends: on Swift's cooperative pool
    /// (two threads here) it would hold a thread that every other task needs meanwhile.
    private static func generatedOnAThreadOfItsOwn<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try work() }) }.start()
        }
    }

    private init(rsa: JWTKit.Insecure.RSA.PrivateKey, ec: ES256PrivateKey) throws {
        let primitives = try rsa.publicKey.getKeyPrimitives()
        rsaJWK = [
            "use": "sig", "kty": "RSA", "kid": rsaKID, "alg": "RS256",
            "n": primitives.modulus.base64URL, "e": primitives.publicExponent.base64URL,
        ]
        let parameters = ec.parameters!
        ecJWK = ["use": "sig", "kty": "EC", "kid": ecKID, "alg": "ES256", "crv": "P-256", "x": parameters.x, "y": parameters.y]
    }

    /// The published keys, as Vipps' `jwks.json`.
    var jwks: [String: Any] { ["keys": [rsaJWK, ecJWK]] }
}

extension Data {
    var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}

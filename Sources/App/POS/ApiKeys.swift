import Foundation
import HTTPServer
import Storage
import VippsLogin

/// POS API keys: `vk_<prefix>_<secret>`. The prefix finds the key; only a SHA-256 of the secret is
/// stored, so the key is shown once and cannot be recovered from the database.
struct ApiKeys: Sendable {
    let store: ApiKeyStore

    /// Creates a key for `storeID` and returns it (the only time it exists in full).
    func create(storeID: String, label: String) async throws -> String {
        let key = Self.newKey()
        try await store.create(prefix: key.prefix, secretHash: key.secretHash, store: storeID, label: label)
        return key.text
    }

    /// A fresh key: the whole text (shown or handed over once), its public prefix, its secret's hash.
    static func newKey() -> (text: String, prefix: String, secretHash: Data) {
        let prefix = Tokens.random(bytes: 6).replacingOccurrences(of: "_", with: "x").replacingOccurrences(of: "-", with: "y")
        let secret = Tokens.random(bytes: 24)
        return ("vk_\(prefix)_\(secret)", prefix, Tokens.sha256(secret))
    }

    /// The key in `Authorization: Bearer …`, if it is one of ours and not revoked.
    func authenticate(_ request: HTTPRequest) async throws -> ApiKey? {
        guard let header = request.headers["Authorization"], header.hasPrefix("Bearer ") else { return nil }
        return try await verify(String(header.dropFirst(7)))
    }

    func verify(_ key: String) async throws -> ApiKey? {
        let parts = key.split(separator: "_", maxSplits: 2)
        guard parts.count == 3, parts[0] == "vk", parts[1].count == 8, key.count < 200,
            let stored = try await store.find(prefix: String(parts[1])), !stored.revoked
        else { return nil }
        let hash = Tokens.sha256(String(parts[2]))
        return Tokens.constantTimeEquals(hash.base64URLEncoded, stored.secretHash.base64URLEncoded) ? stored : nil
    }
}

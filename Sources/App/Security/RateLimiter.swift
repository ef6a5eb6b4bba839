import Foundation
import Storage
import Synchronization

/// Token buckets per key (an API key, a phone number, a client address): in memory for one instance,
/// in the shared database when several instances share it (else each would allow its own share).
/// Over the limit the caller answers 429 with `Retry-After`: the seconds until the next token.
final class RateLimiter: Sendable {
    private struct Bucket {
        var tokens: Double
        var updated: Double
    }

    let capacity: Double
    let refillPerSecond: Double
    /// Off only for load tests (`velkommen serve --no-rate-limits`).
    let enabled: Bool
    /// Names this limit's buckets in the shared store.
    let name: String
    let shared: RateBucketStore?
    private struct Table {
        var buckets: [String: Bucket] = [:]
        /// When `take` next drops the buckets that have filled up again (they mean the same as none).
        var nextSweep = 0.0
    }

    private let table = Mutex(Table())
    /// Bounds memory under a flood of distinct keys; a full table forgets everyone (limits reset).
    private let maxKeys: Int

    /// `burst` requests at once, then `perMinute` a minute.
    init(_ name: String = "limit", burst: Int, perMinute: Double, maxKeys: Int = 100_000, enabled: Bool = true, shared: RateBucketStore? = nil) {
        self.name = name
        self.shared = shared
        self.enabled = enabled
        capacity = Double(burst)
        refillPerSecond = perMinute / 60
        self.maxKeys = maxKeys
    }

    /// Takes a token for `key`; nil when allowed, else the seconds to wait.
    func take(_ key: String, now: Date = Date()) async throws -> Int? {
        guard enabled else { return nil }
        guard let shared else { return takeInMemory(key, now: now) }
        return try await shared.take(name + "|" + key, capacity: capacity, refillPerSecond: refillPerSecond, now: now)
    }

    /// The same from this process's own buckets.
    func takeInMemory(_ key: String, now: Date = Date()) -> Int? {
        guard enabled else { return nil }
        let time = now.timeIntervalSince1970
        return table.withLock { table in
            if time >= table.nextSweep {
                table.buckets = table.buckets.filter { refilled($0.value, at: time) < capacity }
                table.nextSweep = time + 60
            }
            if table.buckets.count >= maxKeys, table.buckets[key] == nil { table.buckets.removeAll(keepingCapacity: true) }
            var bucket = table.buckets[key] ?? Bucket(tokens: capacity, updated: time)
            bucket.tokens = refilled(bucket, at: time)
            bucket.updated = time
            guard bucket.tokens >= 1 else {
                table.buckets[key] = bucket
                return max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up)))
            }
            bucket.tokens -= 1
            table.buckets[key] = bucket
            return nil
        }
    }

    /// Keys with a bucket that is not full, for tests.
    var trackedKeys: Int { table.withLock { $0.buckets.count } }

    private func refilled(_ bucket: Bucket, at time: Double) -> Double {
        min(capacity, bucket.tokens + (time - bucket.updated) * refillPerSecond)
    }
}

/// The limits Velkommen applies.
struct RateLimits: Sendable {
    /// Login starts per API key (or till): a busy till starts a few a minute.
    let perTill: RateLimiter
    /// Login starts per phone number, mirroring Vipps' 429 for "too many logins towards the same user".
    let perPhone: RateLimiter
    /// Callbacks per client address: a phone lands once, a reload or two is plenty.
    let perAddress: RateLimiter
    /// Unsigned `CONSENT_REVOKED` deliveries per client address, and from everyone together: Vipps
    /// sends one per member's withdrawal, a flood is someone else.
    let webhookPerAddress: RateLimiter
    let webhookTotal: RateLimiter
    /// Till pairing codes tried per client address: a code is 8 of 32 characters, guessing must stay hopeless.
    let pairingPerAddress: RateLimiter

    /// `shared`: the database's buckets, when instances share it.
    init(enabled: Bool = true, shared: RateBucketStore? = nil) {
        perTill = RateLimiter("till", burst: 20, perMinute: 60, enabled: enabled, shared: shared)
        perPhone = RateLimiter("phone", burst: 3, perMinute: 1, enabled: enabled, shared: shared)
        perAddress = RateLimiter("callback", burst: 20, perMinute: 30, enabled: enabled, shared: shared)
        webhookPerAddress = RateLimiter("webhook", burst: 10, perMinute: 60, enabled: enabled, shared: shared)
        webhookTotal = RateLimiter("webhooks", burst: 200, perMinute: 1200, enabled: enabled, shared: shared)
        pairingPerAddress = RateLimiter("pairing", burst: 10, perMinute: 10, enabled: enabled, shared: shared)
    }
}

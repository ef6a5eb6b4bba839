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
        /// While every tracked key is being limited, newcomers share this one bucket.
        var overflow: Bucket?
        /// After a search for room found none, the next is not tried before this (a flood of new keys
        /// must not cost a scan of the table each).
        var noRoomUntil = 0.0
    }

    private let table = Mutex(Table())
    /// Bounds memory under a flood of distinct keys. A full table makes room by forgetting buckets that
    /// limit nobody (refilled ones first, then the fullest), never one that is limiting its key now.
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
        return try await shared.take(sharedKey(key), capacity: capacity, refillPerSecond: refillPerSecond, now: now)
    }

    /// Drops `key`'s bucket (a member erased: their phone number's bucket goes with them).
    func forget(_ key: String) async throws {
        table.withLock { _ = $0.buckets.removeValue(forKey: key) }
        try await shared?.forget(sharedKey(key))
    }

    /// The database keeps a hash of the key, not the key: a key can be a phone number.
    private func sharedKey(_ key: String) -> String { name + "|" + Tokens.sha256Hex(key) }

    /// Takes a token for the client at `address`: its IPv4 address, or its IPv6 /64 (`ClientNetwork`);
    /// with `site`, for an IPv6 client also one from the /48 around it, at `site`'s wider limit.
    func take(client address: String, site: RateLimiter? = nil, now: Date = Date()) async throws -> Int? {
        let keys = ClientNetwork.keys(address)
        if let wait = try await take("net:" + keys.client, now: now) { return wait }
        guard let site, let wide = keys.site else { return nil }
        return try await site.take("net:" + wide, now: now)
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
            if table.buckets[key] == nil, table.buckets.count >= maxKeys {
                if time >= table.noRoomUntil { makeRoom(&table, at: time) }
                if table.buckets.count >= maxKeys {
                    var overflow = table.overflow ?? Bucket(tokens: capacity, updated: time)
                    defer { table.overflow = overflow }
                    return consume(&overflow, at: time)
                }
            }
            var bucket = table.buckets[key] ?? Bucket(tokens: capacity, updated: time)
            defer { table.buckets[key] = bucket }
            return consume(&bucket, at: time)
        }
    }

    /// Forgets the buckets that limit nobody now, fullest first, down to nine tenths of the table, so
    /// the next thousands of new keys fit without another search.
    private func makeRoom(_ table: inout Table, at time: Double) {
        let target = maxKeys - max(1, maxKeys / 10)
        let free = table.buckets.compactMap { entry -> (key: String, tokens: Double)? in
            let tokens = refilled(entry.value, at: time)
            return tokens >= 1 ? (entry.key, tokens) : nil
        }.sorted { $0.tokens > $1.tokens }
        for entry in free.prefix(max(0, table.buckets.count - target)) { table.buckets[entry.key] = nil }
        // Short of the target, most keys are limiting: newcomers share the overflow for a second rather
        // than each paying for another search.
        if table.buckets.count > target { table.noRoomUntil = time + 1 }
    }

    private func consume(_ bucket: inout Bucket, at time: Double) -> Int? {
        bucket.tokens = refilled(bucket, at: time)
        bucket.updated = time
        guard bucket.tokens >= 1 else { return max(1, Int(((1 - bucket.tokens) / refillPerSecond).rounded(.up))) }
        bucket.tokens -= 1
        return nil
    }

    /// Keys with a bucket that is not full, for tests.
    var trackedKeys: Int { table.withLock { $0.buckets.count } }

    /// Whether `key`'s bucket is tracked now, for tests.
    func isTracked(_ key: String) -> Bool { table.withLock { $0.buckets[key] != nil } }

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
    /// Callbacks per client (IPv4 address or IPv6 /64), `/callback` and `/admin/callback` together: each
    /// can make Vipps work (a code exchange); a phone lands once, a reload or two is plenty.
    let perAddress: RateLimiter
    /// Browser logins started per client (`/login`, `/admin/login`): each is a trip to Vipps.
    let loginStarts: RateLimiter
    /// The same two per IPv6 /48, ten times as wide: 65,536 /64s must not mean 65,536 times the limit.
    let callbacksPerSite: RateLimiter
    let loginStartsPerSite: RateLimiter
    /// Unsigned `CONSENT_REVOKED` deliveries per client address, and from everyone together: Vipps
    /// sends one per member's withdrawal, a flood is someone else.
    let webhookPerAddress: RateLimiter
    let webhookTotal: RateLimiter
    /// Till pairing codes tried per client address: a code is 8 of 32 characters, guessing must stay hopeless.
    let pairingPerAddress: RateLimiter

    /// The key of a phone number's bucket in `perPhone` (`4712345678`).
    static func phoneKey(_ msisdn: String) -> String { "phone:" + msisdn }

    /// `shared`: the database's buckets, when instances share it.
    init(enabled: Bool = true, shared: RateBucketStore? = nil) {
        perTill = RateLimiter("till", burst: 20, perMinute: 60, enabled: enabled, shared: shared)
        perPhone = RateLimiter("phone", burst: 3, perMinute: 1, enabled: enabled, shared: shared)
        perAddress = RateLimiter("callback", burst: 20, perMinute: 30, enabled: enabled, shared: shared)
        loginStarts = RateLimiter("login", burst: 20, perMinute: 30, enabled: enabled, shared: shared)
        callbacksPerSite = RateLimiter("callback48", burst: 200, perMinute: 300, enabled: enabled, shared: shared)
        loginStartsPerSite = RateLimiter("login48", burst: 200, perMinute: 300, enabled: enabled, shared: shared)
        webhookPerAddress = RateLimiter("webhook", burst: 10, perMinute: 60, enabled: enabled, shared: shared)
        webhookTotal = RateLimiter("webhooks", burst: 200, perMinute: 1200, enabled: enabled, shared: shared)
        pairingPerAddress = RateLimiter("pairing", burst: 10, perMinute: 10, enabled: enabled, shared: shared)
    }
}

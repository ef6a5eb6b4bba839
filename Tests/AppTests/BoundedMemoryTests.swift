import Foundation
import Testing

@testable import App
@testable import Storage

/// The in-memory tables forget what no longer matters, so a server that runs for weeks does not grow
/// with every visitor (the soak in scripts/soak measures the whole process).
@Suite("Bounded memory")
struct BoundedMemoryTests {
    static func signedIn(_ sub: String, expiresAt: Date) -> SignedIn {
        let member = Member(
            profile: MemberProfile(sub: sub, name: "Ada"), language: nil, firstStore: nil,
            createdAt: Date(timeIntervalSince1970: 0), lastLoginAt: Date(timeIntervalSince1970: 0), loginCount: 1)
        return SignedIn(session: Session(idHash: "h-\(sub)", memberSub: sub, csrfToken: "t", expiresAt: expiresAt), member: member, consents: [])
    }

    @Test("signed-in entries seen once are dropped after their lifetime, not kept until the table is full")
    func signedInCacheForgets() {
        let cache = SignedInCache(lifetime: 5, capacity: 10_000)
        let far = Date(timeIntervalSince1970: 1_000_000)
        for index in 0..<100 { cache.put("once-\(index)", Self.signedIn("m\(index)", expiresAt: far), now: 1_000) }
        #expect(cache.count == 100)
        cache.put("later", Self.signedIn("later", expiresAt: far), now: 1_004)
        #expect(cache.count == 101, "nothing has expired yet")
        cache.put("much-later", Self.signedIn("much-later", expiresAt: far), now: 1_010)
        #expect(cache.count == 1, "the 101 earlier entries expired at 1,005 and 1,009")
        #expect(cache.get("much-later", now: 1_011)?.member.profile.sub == "much-later")
    }

    @Test("a rate limiter forgets keys whose bucket has filled up again, and still limits the others")
    func rateLimiterForgets() {
        let limiter = RateLimiter(burst: 2, perMinute: 60)
        let start = Date(timeIntervalSince1970: 10_000)
        for index in 0..<50 { #expect(limiter.takeInMemory("address-\(index)", now: start) == nil) }
        #expect(limiter.takeInMemory("busy", now: start) == nil)
        #expect(limiter.takeInMemory("busy", now: start) == nil)
        #expect(limiter.trackedKeys == 51)
        // 61 s later the 50 single-use buckets are full again; "busy" keeps taking, so it stays empty.
        for second in stride(from: 1.0, through: 60, by: 1) { _ = limiter.takeInMemory("busy", now: start.addingTimeInterval(second)) }
        #expect(limiter.takeInMemory("busy", now: start.addingTimeInterval(61)) == nil)
        #expect(limiter.takeInMemory("busy", now: start.addingTimeInterval(61)) != nil, "still limited after the sweep")
        #expect(limiter.trackedKeys == 1)
    }
}

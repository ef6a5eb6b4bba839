import Foundation
import Storage
import Testing

/// What several instances on one database must share, with two pools on one database standing in for
/// two instances.
@Suite("Several instances on one database")
struct SharedDatabaseTests {
    @Test("a rate limit holds for the site: two instances draw from one bucket")
    func sharedRateLimit() async throws {
        try await TemporaryDirectory.withEachLocation { location, _ in
            let first = RateBucketStore(pool: try DatabaseLocation(location).open())
            let second = RateBucketStore(pool: try DatabaseLocation(location).open())
            let now = Date(timeIntervalSince1970: 1_000_000)
            #expect(try await first.take("phone|4712345678", capacity: 3, refillPerSecond: 1.0 / 60, now: now) == nil)
            #expect(try await second.take("phone|4712345678", capacity: 3, refillPerSecond: 1.0 / 60, now: now) == nil)
            #expect(try await first.take("phone|4712345678", capacity: 3, refillPerSecond: 1.0 / 60, now: now) == nil)
            #expect(try await second.take("phone|4712345678", capacity: 3, refillPerSecond: 1.0 / 60, now: now) == 60, "the fourth waits a minute")
            #expect(try await first.take("phone|4712345679", capacity: 3, refillPerSecond: 1.0 / 60, now: now) == nil, "another key, its own bucket")
            #expect(try await second.take("phone|4712345678", capacity: 3, refillPerSecond: 1.0 / 60, now: now.addingTimeInterval(60)) == nil)
            #expect(try await first.purge(untouchedSince: now.addingTimeInterval(30)) == 1)
        }
    }

    @Test("a periodic job runs once across instances: the second instance finds it done")
    func jobRunsOnce() async throws {
        try await TemporaryDirectory.withEachLocation { location, _ in
            let first = JobSchedule(pool: try DatabaseLocation(location).open())
            let second = JobSchedule(pool: try DatabaseLocation(location).open())
            let now = Date(timeIntervalSince1970: 1_000_000)
            #expect(try await first.claim("retention", every: 3600, now: now))
            #expect(try await !second.claim("retention", every: 3600, now: now.addingTimeInterval(10)))
            #expect(try await !first.claim("retention", every: 3600, now: now.addingTimeInterval(3000)))
            #expect(try await second.claim("retention", every: 3600, now: now.addingTimeInterval(3600)))
        }
    }

    @Test("a welcome offer is redeemed once across instances: tills on two instances at once, one wins, the rest find it taken")
    func offerRedeemedOnce() async throws {
        try await TemporaryDirectory.withEachLocation { location, _ in
            let pools = [try DatabaseLocation(location).open(), try DatabaseLocation(location).open()]
            let ledger = ConsentLedger(pool: pools[0], hash: { "h" + String($0.utf8.reduce(5381) { ($0 &* 33) &+ Int($1) }) })
            try await Landings(ledger: ledger).record(
                LandingRecord(
                    profile: MemberProfile(sub: "s", name: "N"), request: nil, source: "vipps-login", consentsPayload: nil, consents: [:],
                    time: Date()))
            let code = try #require(try await WelcomeOfferStore(pool: pools[1]).find(member: "s")).code
            let outcomes = try await withThrowingTaskGroup(of: OfferRedemption.self) { group in
                for till in 0..<8 {
                    group.addTask {
                        try await WelcomeOfferStore(pool: pools[till % 2]).redeem(code: code, store: "store-\(till)", by: "key:till\(till)")
                    }
                }
                return try await group.reduce(into: [OfferRedemption]()) { $0.append($1) }
            }
            let won = outcomes.filter { if case .redeemed = $0 { true } else { false } }
            let taken = outcomes.filter { if case .taken = $0 { true } else { false } }
            #expect(won.count == 1 && taken.count == 7, "\(outcomes)")
        }
    }

    @Test("two instances migrating one new database at once: it is migrated once, and both open it")
    func concurrentMigration() async throws {
        try await TemporaryDirectory.withEachLocation { location, _ in
            async let first = Task { try DatabaseLocation(location).open() }.value
            async let second = Task { try DatabaseLocation(location).open() }.value
            let pools = try await [first, second]
            #expect(try await pools[0].schemaVersion() == Schema.migrations.count)
            #expect(try await pools[1].schemaVersion() == Schema.migrations.count)
        }
    }
}

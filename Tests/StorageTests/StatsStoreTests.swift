import Foundation
import Storage
import Testing

@Suite("Statistics against a hand-computed data set")
struct StatsStoreTests {
    /// Day 0 is 2026-11-08 (UTC). Members a, b, c sign up at oslo-1 (a, b on day 0; c on day 1), d at bergen-1 on day 1.
    static let day0 = Date(timeIntervalSince1970: 1_794_096_000)

    static func seed(_ pool: any DatabasePool) async throws {
        try await pool.write { database in
            func member(_ sub: String, day: Double, store: String) throws {
                try database.execute(
                    "INSERT INTO members (sub, first_store, created_at, last_login_at) VALUES (?, ?, ?, ?)",
                    [sub, store, day0.addingTimeInterval(day * 86400 + 3600), day0.addingTimeInterval(day * 86400 + 3600)])
            }
            try member("a", day: 0, store: "oslo-1")
            try member("b", day: 0, store: "oslo-1")
            try member("c", day: 1, store: "oslo-1")
            try member("d", day: 1, store: "bergen-1")
            // Login requests: (id, store, terminal, started offset, confirmed +s, landed +s, completed +s, mismatch)
            let requests: [(String, String, String, Double, Double?, Double?, Double?, Bool)] = [
                ("r1", "oslo-1", "t1", 3000, 20, 5, 60, false),
                ("r2", "oslo-1", "t1", 3000, 40, 15, nil, true),
                ("r3", "oslo-1", "t1", 90000, 30, nil, nil, false),
                ("r4", "oslo-1", "t1", 90000, nil, nil, nil, false),
                ("r5", "bergen-1", "t9", 90000, 10, 10, 10, false),
            ]
            for (id, store, terminal, start, confirm, land, complete, mismatch) in requests {
                let created = day0.addingTimeInterval(start)
                let confirmed = confirm.map { created.addingTimeInterval($0) }
                let landed = land.flatMap { step in confirmed.map { $0.addingTimeInterval(step) } }
                let completed = complete.flatMap { step in landed.map { $0.addingTimeInterval(step) } }
                try database.execute(
                    """
                    INSERT INTO login_requests (id, auth_req_id, phone_hint, store, terminal, status, created_at, expires_at, confirmed_at, landed_at, completed_at, phone_mismatch)
                    VALUES (?, ?, '', ?, ?, 'pending', ?, ?, ?, ?, ?, ?)
                    """, [id, "auth-" + id, store, terminal, created, created.addingTimeInterval(600), confirmed, landed, completed, mismatch])
            }
            for (sub, accepted) in [("a", true), ("b", false), ("c", true), ("d", true)] {
                try database.execute(
                    "INSERT INTO member_consents (member_sub, consent_id, accepted, changed_at) VALUES (?, 'sms', ?, ?)",
                    [sub, accepted, day0.addingTimeInterval(4000)])
            }
            try database.execute("UPDATE member_consents SET revoked_reported_at = ? WHERE member_sub = 'c'", [day0.addingTimeInterval(100_000)])
            // a answered coffee then tea (tea is current); b and c answered coffee. A choice question, so
            // counted by value; a free-text note is counted only as answered.
            try database.execute(
                "INSERT INTO preference_questions (id, position, definition, updated_at) VALUES ('drink', 0, ?, 0)",
                [#"{"id":"drink","type":"single"}"#])
            try database.execute(
                "INSERT INTO answers (member_sub, question, answered_at, value) VALUES ('a', 'note', ?, 'Nut allergy')",
                [day0.addingTimeInterval(4000)])
            for (sub, value, offset) in [("a", "coffee", 4000.0), ("a", "tea", 5000), ("b", "coffee", 4000), ("c", "coffee", 95000)] {
                try database.execute(
                    "INSERT INTO answers (member_sub, question, answered_at, value) VALUES (?, 'drink', ?, ?)",
                    [sub, day0.addingTimeInterval(offset), value])
            }
        }
    }

    @Test("every number matches the hand count")
    func allStores() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            try await Self.seed(pool)
            let stats = try await StatsStore(pool: pool).stats(
                from: Self.day0, to: Self.day0.addingTimeInterval(2 * 86400), store: nil,
                now: Self.day0.addingTimeInterval(3 * 86400))
            #expect(stats.signupsPerDay.map(\.day) == ["2026-11-08", "2026-11-09"])
            #expect(stats.signupsPerDay.map(\.count) == [2, 2])
            #expect(stats.firstVisits == 4)
            #expect(stats.returningVisits == 0, "four confirmed logins, four new members")
            let oslo = try #require(stats.funnel.first { $0.store == "oslo-1" })
            let counts: [Int] = [oslo.started, oslo.confirmed, oslo.landed, oslo.completed]
            #expect(counts == [4, 3, 2, 1])
            #expect(oslo.medianToConfirm == Double(30), "20, 30, 40")
            #expect(oslo.medianToLand == Double(10), "5 and 15")
            #expect(oslo.medianToComplete == Double(60))
            #expect(stats.consents.first?.accepted == 3)
            #expect(stats.consents.first?.asked == 4)
            #expect(stats.answers.map { "\($0.value)=\($0.count)" } == ["coffee=2", "tea=1"], "the current answers of the new members")
            #expect(stats.answered.map { "\($0.question)=\($0.count)" } == ["note=1"], "free text only as answered, never its value")
            #expect(stats.phoneMismatches == 1)
            #expect(stats.revocations == 1)
        }
    }

    @Test("the store filter and the date range narrow every breakdown")
    func filtered() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            try await Self.seed(pool)
            let stats = try await StatsStore(pool: pool).stats(
                from: Self.day0.addingTimeInterval(86400), to: Self.day0.addingTimeInterval(2 * 86400),
                store: "oslo-1", now: Self.day0.addingTimeInterval(3 * 86400))
            #expect(stats.signupsPerDay.map(\.count) == [1])
            #expect(stats.funnel.map(\.started) == [2])
            #expect(stats.answers.map { "\($0.value)=\($0.count)" } == ["coffee=1"])
            #expect(stats.phoneMismatches == 0)
        }
    }
}

@Suite("Statistics rollups")
struct StatsRollupTests {
    @Test("a refresh is idempotent and later changes to today and yesterday are picked up")
    func refresh() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            try await StatsStoreTests.seed(pool)
            let store = StatsStore(pool: pool)
            let now = StatsStoreTests.day0.addingTimeInterval(86400 + 7200)
            let range = (from: StatsStoreTests.day0, to: StatsStoreTests.day0.addingTimeInterval(2 * 86400))
            let first = try await store.stats(from: range.from, to: range.to, store: nil, now: now)
            #expect(try await store.stats(from: range.from, to: range.to, store: nil, now: now) == first)
            try await pool.write { database in
                try database.execute("UPDATE login_requests SET confirmed_at = created_at + 50 WHERE id = 'r4'")
            }
            let cached = try await store.stats(from: range.from, to: range.to, store: nil, now: now)
            #expect(cached.funnel.first { $0.store == "oslo-1" }?.confirmed == 3, "within a minute the rollups are used as they are")
            let later = try await store.stats(from: range.from, to: range.to, store: nil, now: now, maxAge: 0)
            #expect(later.funnel.first { $0.store == "oslo-1" }?.confirmed == 4)
        }
    }
}

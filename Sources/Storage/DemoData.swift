import Foundation

/// Realistic demo data for the statistics and benchmarks: members over the last year at five stores,
/// each with the login that brought them (with funnel drop-off and step times), consents and answers.
/// Deterministic for a given count (a seeded generator), written in large transactions.
public struct DemoData: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    static let stores = ["oslo-1", "oslo-2", "bergen-1", "trondheim-1", "stavanger-1"]
    static let givenNames = ["Ada", "Ola", "Kari", "Per", "Nina", "Emil", "Ingrid", "Lars", "Sofie", "Jonas", "Maja", "Henrik"]
    static let familyNames = ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Berg"]

    /// Adds `count` members ending at `now`; calls `progress` after each batch.
    public func seed(members count: Int, now: Date = Date(), progress: @Sendable (Int) -> Void = { _ in }) async throws {
        let batch = 20_000
        var done = 0
        while done < count {
            let range = done..<min(count, done + batch)
            try await pool.write { database in
                var random = SeededGenerator(seed: UInt64(range.lowerBound) &+ 0x9E3779B97F4A7C15)
                for index in range { try Self.insert(member: index, now: now, random: &random, in: database) }
            }
            done = range.upperBound
            progress(done)
        }
        // Roll the days up now, so the first statistics page after seeding does not have to.
        try await pool.write { database in try StatsRollup.refresh(now: now, in: database) }
    }

    static func insert(member index: Int, now: Date, random: inout SeededGenerator, in database: any Database) throws {
        // More signups lately: the square root skews days towards today.
        let daysAgo = 365 * (1 - Double.random(in: 0..<1, using: &random).squareRoot())
        let created = now.addingTimeInterval(-daysAgo * 86400 - Double.random(in: 0..<43_200, using: &random))
        let store = stores[Int.random(in: 0..<stores.count, using: &random)]
        let terminal = "till-\(Int.random(in: 1...3, using: &random))"
        let sub = "demo-\(index)"
        let given = givenNames[index % givenNames.count]
        let family = familyNames[(index / givenNames.count) % familyNames.count]
        let confirmed = Double.random(in: 0..<1, using: &random) < 0.86
        let confirmedAt = confirmed ? created.addingTimeInterval(Double.random(in: 8...90, using: &random)) : nil
        let landedAt = confirmedAt.flatMap {
            Double.random(in: 0..<1, using: &random) < 0.93 ? $0.addingTimeInterval(Double.random(in: 2...20, using: &random)) : nil
        }
        let completedAt = landedAt.flatMap {
            Double.random(in: 0..<1, using: &random) < 0.62 ? $0.addingTimeInterval(Double.random(in: 30...300, using: &random)) : nil
        }
        let status = completedAt != nil ? "completed" : landedAt != nil ? "landed" : confirmedAt != nil ? "confirmed" : "expired"
        let mismatch = Double.random(in: 0..<1, using: &random) < 0.01
        let phone = "47" + String(40_000_000 + index % 59_999_999)
        try database.execute(
            """
            INSERT INTO login_requests (id, auth_req_id, phone_hint, binding_message, store, terminal, ask_consents, status, member_sub,
                                        phone_mismatch, created_at, expires_at, confirmed_at, landed_at, completed_at)
            VALUES (?, ?, ?, NULL, ?, ?, TRUE, ?, NULL, ?, ?, ?, ?, ?, ?)
            """,
            [
                "demo-r\(index)", "demo-a\(index)", phone, store, terminal, status, mismatch,
                created, created.addingTimeInterval(600), confirmedAt, landedAt, completedAt,
            ])
        guard let confirmedAt else { return }
        try database.execute(
            """
            INSERT INTO members (sub, name, given_name, family_name, email, email_verified, phone_number, first_store, created_at, last_login_at, login_count)
            VALUES (?, ?, ?, ?, ?, TRUE, ?, ?, ?, ?, ?)
            """,
            [
                sub, "\(given) \(family)", given, family, "\(given.lowercased()).\(index)@example.com", phone,
                store, confirmedAt, confirmedAt, Double.random(in: 0..<1, using: &random) < 0.8 ? 1 : 2,
            ])
        try database.execute("UPDATE login_requests SET member_sub = ? WHERE id = ?", [sub, "demo-r\(index)"])
        for (consent, rate) in [("email", 0.55), ("sms", 0.40), ("digital", 0.30), ("personal", 0.45)] {
            try database.execute(
                "INSERT INTO member_consents (member_sub, consent_id, accepted, changed_at) VALUES (?, ?, ?, ?)",
                [sub, consent, Double.random(in: 0..<1, using: &random) < rate, confirmedAt])
        }
        guard let completedAt else { return }
        let answers = [
            ("favourite_store", ["oslo-1", "bergen-1", "online"][Int.random(in: 0..<3, using: &random)]),
            ("interests", ["coffee", "bakery", "events", "coffee,bakery"][Int.random(in: 0..<4, using: &random)]),
            ("has_children", Bool.random(using: &random) ? "yes" : "no"),
        ]
        for (question, value) in answers {
            try database.execute(
                "INSERT INTO answers (member_sub, question, answered_at, value) VALUES (?, ?, ?, ?)", [sub, question, completedAt, value])
        }
    }
}

/// SplitMix64: repeatable demo data without Foundation's global random state.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E3779B97F4A7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58476D1CE4E5B9
        z = (z ^ (z >> 27)) &* 0x94D049BB133111EB
        return z ^ (z >> 31)
    }
}

import Foundation

/// One answer to a preference question.
public struct Answer: Sendable, Equatable {
    public var question: String
    public var value: String
    public var answeredAt: Date
    /// When a later answer replaced this one; nil for the current answer.
    public var supersededAt: Date?
}

/// Members' preference answers. Answers are only ever added: the newest per question is the current
/// one and the older ones are its history.
public struct AnswerStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// Stores `value` for `question` at exactly `time`, committed before this returns (an answer already
    /// at that key is replaced: for seeding and benchmarks; a member's own saves use `record(sub:answers:at:)`).
    public func record(sub: String, question: String, value: String, at time: Date = Date()) async throws {
        // Through the group-committing writer: under load it shares a transaction with other writes.
        try await pool.write { database in try Self.record(sub: sub, question: question, value: value, at: time, in: database) }
    }

    /// Saves a form of answers in one transaction, all of them or none. An answer equal to the member's
    /// current one adds nothing: the history holds changes, and saving the same form again and again
    /// cannot grow it.
    public func record(sub: String, answers: [(question: String, value: String)], at time: Date = Date()) async throws {
        try await pool.write { database in try Self.record(sub: sub, answers: answers, at: time, in: database) }
    }

    /// The same, inside the caller's transaction.
    public static func record(sub: String, answers: [(question: String, value: String)], at time: Date, in database: any Database) throws {
        for answer in answers {
            let latest = try database.query(
                """
                SELECT value, answered_at FROM answers WHERE member_sub = ? AND question = ? ORDER BY answered_at DESC LIMIT 1
                """, [sub, answer.question]
            ) { row in (value: try row[0] as String, seconds: try row[1] as Double) }.first
            guard latest?.value != answer.value else { continue }
            try record(sub: sub, question: answer.question, value: answer.value, at: time.after(latest?.seconds), in: database)
        }
    }

    /// Inserts at exactly `time`; an answer already stored at that key is replaced. For callers that own
    /// the clock (seeding, benchmarks); a member's saves go through `record(sub:answers:at:in:)`.
    public static func record(sub: String, question: String, value: String, at time: Date, in database: any Database) throws {
        try database.execute(
            """
            INSERT INTO answers (member_sub, question, answered_at, value) VALUES (?, ?, ?, ?)
            ON CONFLICT (member_sub, question, answered_at) DO UPDATE SET value = excluded.value
            """, [sub, question, time, value])
    }

    /// The member's current answers, by question.
    public func current(sub: String) async throws -> [String: String] {
        try await pool.read { database in try Self.current(sub: sub, in: database) }
    }

    static func current(sub: String, in database: any Database) throws -> [String: String] {
        // One pass over the member's range instead of a lookup per answer: SQLite takes a bare column of
        // a max() aggregate from the row that has the max; PostgreSQL says the same with DISTINCT ON.
        let sql =
            database.dialect.engine == .sqlite
            ? "SELECT question, value, max(answered_at) FROM answers WHERE member_sub = ? GROUP BY question"
            : "SELECT DISTINCT ON (question) question, value FROM answers WHERE member_sub = ? ORDER BY question, answered_at DESC"
        let pairs = try database.query(sql, [sub]) { row in (try row[0] as String, try row[1] as String) }
        return Dictionary(pairs, uniquingKeysWith: { _, last in last })
    }

    /// The current answers and the questions the member chose to skip, in one read.
    public func progress(sub: String) async throws -> (answers: [String: String], skipped: Set<String>) {
        try await pool.read { database in
            (
                try Self.current(sub: sub, in: database),
                Set(try database.query("SELECT question FROM skipped_questions WHERE member_sub = ?", [sub]) { try $0[0] as String })
            )
        }
    }

    /// Remembers that the member skipped these questions (inside the caller's transaction): they are
    /// not asked again, but stay on the page for changing answers.
    public static func skip(sub: String, questions: [String], at time: Date, in database: any Database) throws {
        for question in questions {
            try database.execute(
                "INSERT INTO skipped_questions (member_sub, question, skipped_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                [sub, question, time])
        }
    }

    /// Every answer the member ever gave, oldest first, each with when it was superseded.
    public func history(sub: String) async throws -> [Answer] {
        var answers = try await pool.read { database in
            try database.query(
                """
                SELECT question, value, answered_at FROM answers WHERE member_sub = ? ORDER BY answered_at, question
                """, [sub]
            ) { row in
                Answer(question: try row[0], value: try row[1], answeredAt: try row[2], supersededAt: nil)
            }
        }
        var latest: [String: Int] = [:]
        for index in answers.indices {
            if let previous = latest[answers[index].question] { answers[previous].supersededAt = answers[index].answeredAt }
            latest[answers[index].question] = index
        }
        return answers
    }
}

extension Date {
    /// This time, or a microsecond after `latest` when the clock has not moved past it: a save committed
    /// later is the current answer and never overwrites the one before (two event loops read the same
    /// clock tick; another instance's clock runs behind). Compared as the stored seconds since 1970, not
    /// as a `Date` read back: that round trip rounds down in a quarter of cases, and then the same
    /// instant would look later and overwrite its twin.
    fileprivate func after(_ latest: Double?) -> Date {
        guard let latest, timeIntervalSince1970 <= latest else { return self }
        return Date(timeIntervalSince1970: latest + 0.000_001)
    }
}

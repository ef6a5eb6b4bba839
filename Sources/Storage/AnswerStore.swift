import Foundation

/// One answer to a preference question.
public struct Answer: Sendable, Equatable {
    public var question: String
    public var value: String
    public var answeredAt: Date
    /// When a later answer replaced this one; nil for the current answer.
    public var supersededAt: Date?
}

/// Members' preference answers. A new answer to a question supersedes the current one, which stays as history.
public struct AnswerStore: Sendable {
    let pool: DatabasePool

    public init(pool: DatabasePool) { self.pool = pool }

    /// Stores `value` as the member's current answer to `question`, committed before this returns.
    public func record(sub: String, question: String, value: String, at time: Date = Date()) async throws {
        try await pool.write { database in try Self.record(sub: sub, question: question, value: value, at: time, in: database) }
    }

    /// Stores several answers in one transaction: all of them or none.
    public func record(sub: String, answers: [(question: String, value: String)], at time: Date = Date()) async throws {
        let pairs = answers.map { [$0.question, $0.value] }
        try await pool.write { database in
            for pair in pairs { try Self.record(sub: sub, question: pair[0], value: pair[1], at: time, in: database) }
        }
    }

    public static func record(sub: String, question: String, value: String, at time: Date, in database: Database) throws {
        try database.execute("""
            UPDATE answers SET superseded_at = ? WHERE member_sub = ? AND question = ? AND superseded_at IS NULL
            """, [time, sub, question])
        try database.execute("""
            INSERT INTO answers (member_sub, question, value, answered_at) VALUES (?, ?, ?, ?)
            """, [sub, question, value, time])
    }

    /// The member's current answers, by question.
    public func current(sub: String) async throws -> [String: String] {
        try await pool.read { database in
            let pairs = try database.query("""
                SELECT question, value FROM answers WHERE member_sub = ? AND superseded_at IS NULL
                """, [sub]) { row in (try row[0] as String, try row[1] as String) }
            return Dictionary(pairs, uniquingKeysWith: { _, last in last })
        }
    }

    /// Every answer the member ever gave, oldest first.
    public func history(sub: String) async throws -> [Answer] {
        try await pool.read { database in
            try database.query("""
                SELECT question, value, answered_at, superseded_at FROM answers WHERE member_sub = ? ORDER BY id
                """, [sub]) { row in
                Answer(question: try row[0], value: try row[1], answeredAt: try row[2], supersededAt: try row[3])
            }
        }
    }
}

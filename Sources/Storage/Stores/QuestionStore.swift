import Foundation

/// Preference question definitions (JSON, owned by the app) in their order, and the retention purge.
public struct QuestionStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// (id, definition JSON) in order.
    public func all() async throws -> [(id: String, definition: String)] {
        try await pool.read { database in
            try database.query("SELECT id, definition FROM preference_questions ORDER BY position, id") { (try $0[0] as String, try $0[1] as String) }
        }
    }

    /// Replaces the whole list in one transaction.
    public func replaceAll(_ questions: [(id: String, definition: String)], at time: Date = Date()) async throws {
        try await pool.write { database in
            try database.execute("DELETE FROM preference_questions")
            for (position, question) in questions.enumerated() {
                try database.execute(
                    "INSERT INTO preference_questions (id, position, definition, updated_at) VALUES (?, ?, ?, ?)",
                    [question.id, position, question.definition, time])
            }
        }
    }

    /// Deletes answers to `question` older than `cutoff`; returns how many went.
    public func purgeAnswers(question: String, olderThan cutoff: Date) async throws -> Int {
        try await pool.write { database in
            try database.execute("DELETE FROM answers WHERE question = ? AND answered_at < ?", [question, cutoff])
            return database.changes
        }
    }
}

import Foundation

extension AnswerStore {
    /// Saves a visit's answers and skips in one transaction with the funnel's "completed" for the login
    /// that opened `sessionHash` (one trip through the single writer, not two), and tells the merchant's
    /// systems the `shared` answers (the chosen options; free text stays with us). Returns whether this
    /// completed a login the till is waiting on.
    public func savePreferences(
        sub: String, sessionHash: String, answered: [(question: String, value: String)], skipped: [String],
        shared: [String: String], at time: Date = Date()
    ) async throws -> Bool {
        try await pool.write { database in
            try Self.record(sub: sub, answers: answered, at: time, in: database)
            if !skipped.isEmpty { try Self.skip(sub: sub, questions: skipped, at: time, in: database) }
            if !answered.isEmpty {
                try MemberEvents.enqueue("member.preferences_saved", sub: sub, answers: shared, at: time, in: database)
            }
            return try LoginRequestStore.completed(sessionHash: sessionHash, at: time, in: database)
        }
    }

    /// "Hopp over" on questions: remembered, so they are not asked on the next visit.
    public func skip(sub: String, questions: [String], at time: Date = Date()) async throws {
        try await pool.write { database in try Self.skip(sub: sub, questions: questions, at: time, in: database) }
    }
}

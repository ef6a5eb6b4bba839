import Foundation
import Storage
import Synchronization

/// The preference questions in force: kept in the database (seeded from `Templates/preferences.json`),
/// held in memory for the forms, and replaced as a whole when marketing edits them.
final class QuestionBook: Sendable {
    private let current: Mutex<PreferenceQuestions>
    let store: QuestionStore

    private init(_ questions: PreferenceQuestions, store: QuestionStore) {
        current = Mutex(questions)
        self.store = store
    }

    static func load(store: QuestionStore, seedFile: String) async throws -> QuestionBook {
        var stored = try await store.all()
        if stored.isEmpty {
            let seed = try PreferenceQuestions.load(path: seedFile)
            try await store.replaceAll(try seed.questions.map { ($0.id, try encode($0)) })
            stored = try await store.all()
        }
        let questions = try stored.map { try JSONDecoder().decode(PreferenceQuestions.Question.self, from: Data($0.definition.utf8)) }
        return QuestionBook(PreferenceQuestions(questions: questions), store: store)
    }

    var questions: PreferenceQuestions { current.withLock { $0 } }

    /// Saves `questions` as the new set (committed before the forms use it).
    func replace(with questions: [PreferenceQuestions.Question]) async throws {
        try await store.replaceAll(try questions.map { ($0.id, try Self.encode($0)) })
        current.withLock { $0 = PreferenceQuestions(questions: questions) }
    }

    static func encode(_ question: PreferenceQuestions.Question) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(question), as: UTF8.self)
    }
}

/// Deletes answers past their question's retention, and records each purge in the audit log.
struct RetentionJob: Sendable {
    let book: QuestionBook
    let staff: StaffStore

    @discardableResult
    func run(now: Date = Date()) async throws -> [String: Int] {
        var purged: [String: Int] = [:]
        for question in book.questions.questions {
            guard let days = question.retentionDays, days > 0 else { continue }
            let count = try await book.store.purgeAnswers(question: question.id, olderThan: now.addingTimeInterval(-Double(days) * 86400))
            if count > 0 {
                purged[question.id] = count
                try await staff.audit(nil, action: "answers.purge", detail: "\(question.id): \(count) answers older than \(days) days")
            }
        }
        return purged
    }
}

import Foundation
import Storage
import TestSupport
import Testing

@testable import App

@Suite("Editing preference questions, and their retention", .serialized)
struct QuestionEditorTests {
    @Test("marketing adds a question that members are then asked; a bad one is refused with its reason")
    func addQuestion() async throws {
        try await OnboardingHarness.with { harness in
            let editor = try await harness.staff("marketing", msisdn: "4798765432")
            let page = try await editor.get("/admin/questions")
            let csrf = try #require(Browser.hidden("csrf", in: page.text))
            let bad = try await editor.post(
                "/admin/questions",
                form: [
                    ("csrf", csrf), ("action", "save"), ("id", "pet"), ("type", "single"),
                    ("label_nb", "Har du kjæledyr?"), ("label_en", "Do you have pets?"), ("options", "dog | hund"),
                ])
            #expect(bad.status == 422)
            #expect(bad.text.contains("pet: svaralternativ på linje 1"))
            let saved = try await editor.post(
                "/admin/questions",
                form: [
                    ("csrf", csrf), ("action", "save"), ("id", "pet"), ("type", "single"), ("label_nb", "Har du kjæledyr?"),
                    ("label_en", "Do you have pets?"),
                    ("options", "dog | Hund | Dog\ncat | Katt | Cat"), ("required", "yes"), ("purpose_nb", "Tilbud på dyrefôr"),
                    ("retention_days", "30"),
                ])
            #expect(saved.status == 303)
            #expect(harness.app.app.questions.questions.question("pet")?.retentionDays == 30)
            let stored = try await QuestionStore(pool: harness.app.app.database).all()
            #expect(stored.last?.id == "pet", "kept in the database, after the seeded ones")
            #expect(try await editor.get("/admin/audit").status == 403, "marketing does not read the audit log")
            let admin = try await harness.staff("admin", msisdn: "4712345678")
            #expect(try await admin.get("/admin/audit").text.contains("question.save"))
        }
    }

    @Test("answers past their question's retention are purged, and the purge is audit-logged")
    func retention() async throws {
        try await OnboardingHarness.with { harness in
            let database = harness.app.app.database
            try await MemberStore(pool: database).recordLogin(MemberProfile(sub: "old"), store: nil)
            let answers = AnswerStore(pool: database)
            let now = Date()
            try await answers.record(sub: "old", question: "wish", value: "nøtter", at: now.addingTimeInterval(-40 * 86400))
            try await answers.record(sub: "old", question: "wish", value: "ingen", at: now.addingTimeInterval(-5 * 86400))
            var questions = harness.app.app.questions.questions.questions
            let index = try #require(questions.firstIndex { $0.id == "wish" })
            questions[index].retentionDays = 30
            try await harness.app.app.questions.replace(with: questions)
            let purged = try await RetentionJob(book: harness.app.app.questions, staff: StaffStore(pool: database)).run(now: now)
            #expect(purged == ["wish": 1])
            #expect(try await answers.history(sub: "old").map(\.value) == ["ingen"])
            let log = try await StaffStore(pool: database).auditLog()
            #expect(log.first?.action == "answers.purge")
            #expect(log.first?.detail == "wish: 1 answers older than 30 days")
        }
    }
}

import Content
import Foundation
import HTTPServer
import Storage

/// `/preferences`: a few questions per visit, checked on the server; errors are shown next to their
/// fields with what was typed kept. Saved answers keep their history.
struct PreferencesPage: Sendable {
    let book: QuestionBook
    let answers: AnswerStore
    let pool: DatabasePool
    let views: Views
    let metrics: AppMetrics

    func show(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let questions = book.questions
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let current = try await answers.current(sub: signedIn.member.profile.sub)
        let asked = questions.toAsk(answered: current, vippsGave: Self.vippsGave(signedIn.member))
        let values = current.mapValues { $0.split(separator: ",").map(String.init) }
        return try render(asked, values: values, errors: [:], saved: request.queryValue("saved") == "1", signedIn: signedIn, language: language)
    }

    func save(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let questions = book.questions
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let form = request.formFields()
        guard CSRF.isValid(form, expected: signedIn.session.csrfToken) else {
            return try views.problem("csrf", in: language, status: .forbidden)
        }
        let submittedIDs = Set((form?.values("asked") ?? []))
        let asked = questions.questions.filter { submittedIDs.contains($0.id) }
        var values: [String: [String]] = [:]
        for question in asked { values[question.id] = form?.values(question.id) ?? [] }
        let (valid, errors) = questions.validate(asked, values: values)
        guard errors.isEmpty else {
            return try render(asked, values: values, errors: errors, saved: false, signedIn: signedIn, language: language, status: .unprocessableContent)
        }
        let (sub, sessionHash) = (signedIn.member.profile.sub, signedIn.session.idHash)
        let answered = valid.map { (question: $0.0, value: $0.1) }
        // One trip through the single writer, not two; and the funnel's "completed" commits with the answers.
        let completed = try await pool.write { database in
            let now = Date()
            try AnswerStore.record(sub: sub, answers: answered, at: now, in: database)
            return try LoginRequestStore.completed(sessionHash: sessionHash, at: now, in: database)
        }
        if completed { metrics.login("completed") }
        return .redirect(to: "/preferences?saved=1")
    }

    private func render(_ asked: [PreferenceQuestions.Question], values: [String: [String]], errors: [String: String], saved: Bool,
                        signedIn: SignedIn, language: Language, status: HTTPStatus = .ok) throws -> HTTPResponse {
        let fields: [[String: Any]] = asked.map { question in
            let chosen = Set(values[question.id] ?? [])
            var field: [String: Any] = [
                "id": question.id, "label": question.label(in: language), "required": question.required,
                "value": values[question.id]?.first ?? "", question.type.rawValue: true,
            ]
            if let error = errors[question.id] { field["error"] = views.text(error, in: language) }
            field["options"] = (question.type == .yesno
                ? [("yes", views.text("answer_yes", in: language)), ("no", views.text("answer_no", in: language))]
                : (question.options ?? []).map { ($0.value, $0.label[language.rawValue] ?? $0.value) })
                .map { ["value": $0.0, "label": $0.1, "checked": chosen.contains($0.0), "inputID": "\(question.id)-\($0.0)"] as [String: Any] }
            return field
        }
        return try views.page("pages/preferences", in: language, status: status, [
            "fields": fields, "csrf": signedIn.session.csrfToken, "saved": saved, "hasErrors": !errors.isEmpty,
        ])
    }

    /// The claims Vipps already gave this member, so their questions are not asked again.
    static func vippsGave(_ member: Member) -> Set<String> {
        var given: Set<String> = []
        if member.profile.birthdate != nil { given.insert("birthdate") }
        if member.profile.addressJSON != nil { given.insert("address") }
        return given
    }
}

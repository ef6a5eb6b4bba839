import Content
import Foundation
import HTTPServer
import Storage

/// `/preferences`: a few questions per visit, checked on the server; errors are shown next to their
/// fields with what was typed kept. Saved answers keep their history.
struct PreferencesPage: Sendable {
    let book: QuestionBook
    let answers: AnswerStore
    let views: Views
    let metrics: AppMetrics

    func show(_ request: HTTPRequest, signedIn: SignedIn) async throws -> HTTPResponse {
        let questions = book.questions
        let language = VisitorLanguage.resolve(request, memberChoice: signedIn.language).language
        let (current, skipped) = try await answers.progress(sub: signedIn.member.profile.sub)
        let values = current.mapValues { $0.split(separator: ",").map(String.init) }
        let relevant = questions.relevant(vippsGave: Self.vippsGave(signedIn.member))
        if request.queryValue("change") == "1" {
            return try render(relevant, values: values, errors: [:], signedIn: signedIn, language: language, changing: true)
        }
        let asked = questions.toAsk(answered: current, skipped: skipped, vippsGave: Self.vippsGave(signedIn.member))
        guard !asked.isEmpty, request.queryValue("saved") != "1" else { return try done(signedIn: signedIn, language: language) }
        return try render(asked, values: values, errors: [:], signedIn: signedIn, language: language)
    }

    /// The end of the questions: thanks, and where to go next.
    private func done(signedIn: SignedIn, language: Language) throws -> HTTPResponse {
        try views.page("pages/preferences-done", in: language, [:])
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
        let (sub, sessionHash) = (signedIn.member.profile.sub, signedIn.session.idHash)
        let changing = form?["changing"] == "1"

        // "Hopp over" on one optional question: remembered, and the rest of the form comes back as typed.
        if let skip = form?["skip"], let question = asked.first(where: { $0.id == skip && !$0.required }) {
            try await answers.skip(sub: sub, questions: [question.id])
            let rest = asked.filter { $0.id != question.id }
            guard !rest.isEmpty else { return try await finish(sub: sub, sessionHash: sessionHash, answered: [], skipped: []) }
            return try render(rest, values: values, errors: [:], signedIn: signedIn, language: language, changing: changing)
        }

        let (valid, errors) = questions.validate(asked, values: values)
        guard errors.isEmpty else {
            return try render(
                asked, values: values, errors: errors, signedIn: signedIn, language: language, changing: changing,
                status: .unprocessableContent)
        }
        let answered = valid.map { (question: $0.0, value: $0.1) }
        // Optional questions left empty count as skipped: they do not come back on the next visit.
        let left = changing ? [] : asked.filter { question in !question.required && !answered.contains { $0.question == question.id } }.map(\.id)
        return try await finish(sub: sub, sessionHash: sessionHash, answered: answered, skipped: left)
    }

    /// Saves answers and skips (`AnswerStore.savePreferences`), then shows the done screen.
    private func finish(
        sub: String, sessionHash: String, answered: [(question: String, value: String)], skipped: [String]
    ) async throws -> HTTPResponse {
        // Free text stays with us; the merchant's systems get the chosen options.
        let choice = Set(book.questions.questions.filter { [.single, .multiple, .yesno].contains($0.type) }.map(\.id))
        let shared = Dictionary(
            answered.filter { choice.contains($0.question) }.map { ($0.question, $0.value) }, uniquingKeysWith: { _, last in last })
        let completed = try await answers.savePreferences(sub: sub, sessionHash: sessionHash, answered: answered, skipped: skipped, shared: shared)
        if completed { metrics.login("completed") }
        return .redirect(to: "/preferences?saved=1")
    }

    private func render(
        _ asked: [PreferenceQuestions.Question], values: [String: [String]], errors: [String: String],
        signedIn: SignedIn, language: Language, changing: Bool = false, status: HTTPStatus = .ok
    ) throws -> HTTPResponse {
        let fields: [[String: Any]] = asked.enumerated().map { index, question in
            let chosen = Set(values[question.id] ?? [])
            var field: [String: Any] = [
                "id": question.id, "label": question.label(in: language), "required": question.required,
                "value": values[question.id]?.first ?? "", question.type.rawValue: true,
            ]
            if let error = errors[question.id] { field["error"] = views.text(error, in: language) }
            if let purpose = question.purpose(in: language) { field["purpose"] = purpose }
            field["progress"] = views.text("preferences_progress", in: language)
                .replacingOccurrences(of: "{n}", with: String(index + 1)).replacingOccurrences(of: "{of}", with: String(asked.count))
            field["skippable"] = !question.required && !changing
            field["options"] =
                (question.type == .yesno
                ? [("yes", views.text("answer_yes", in: language)), ("no", views.text("answer_no", in: language))]
                : (question.options ?? []).map { ($0.value, $0.label[language.rawValue] ?? $0.value) })
                .map { ["value": $0.0, "label": $0.1, "checked": chosen.contains($0.0), "inputID": "\(question.id)-\($0.0)"] as [String: Any] }
            return field
        }
        return try views.page(
            "pages/preferences", in: language, status: status,
            [
                "fields": fields, "csrf": signedIn.session.csrfToken, "hasErrors": !errors.isEmpty, "changing": changing,
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

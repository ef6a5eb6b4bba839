import Content
import Foundation
import HTTPServer
import Storage

/// `/admin/questions`: marketing edits the preference questions (type, nb and en labels, options,
/// required, purpose, retention in days). Options are written one per line: `value | nb label | en label`.
struct QuestionEditor: Sendable {
    let access: StaffAccess
    let staff: StaffStore
    let book: QuestionBook
    let pages: StaffPages

    func list(_ request: HTTPRequest, error: String? = nil, status: HTTPStatus = .ok) async throws -> HTTPResponse {
        let session = try request.staffSession
        let questions = book.questions.questions.map(Self.context) + [Self.context(nil)]
        return try pages.page(
            "pages/admin-questions", request, session, ["questions": questions, "error": error ?? "", "hasError": error != nil],
            status: status)
    }

    func save(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let form = request.formFields() ?? URLEncodedForm()
        try access.checkCSRF(form, session, request)
        var questions = book.questions.questions
        if form["action"] == "delete" {
            guard let id = form["id"], questions.contains(where: { $0.id == id }) else {
                return try await list(request, error: "unknown question", status: .notFound)
            }
            questions.removeAll { $0.id == id }
            try await book.replace(with: questions)
            try await staff.audit(session.staff, action: "question.delete", detail: id)
            return .redirect(to: "/admin/questions")
        }
        let question: PreferenceQuestions.Question
        do {
            question = try Self.question(from: form)
        } catch let error as QuestionError {
            let language = VisitorLanguage.resolve(request).language
            return try await list(
                request, error: EditorMessages.fill(pages.views.text(error.key, in: language), error.values), status: .unprocessableContent)
        }
        if let index = questions.firstIndex(where: { $0.id == question.id }) { questions[index] = question } else { questions.append(question) }
        try await book.replace(with: questions)
        try await staff.audit(session.staff, action: "question.save", detail: question.id)
        return .redirect(to: "/admin/questions")
    }

    /// A UI string key and what to fill into it.
    struct QuestionError: Error {
        let key: String
        var values: [String: String] = [:]
    }

    static func question(from form: URLEncodedForm) throws -> PreferenceQuestions.Question {
        let id = (form["id"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !id.isEmpty, id.count <= 40, id.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }) else {
            throw QuestionError(key: "question_error_id")
        }
        guard let type = form["type"].flatMap(PreferenceQuestions.Question.Kind.init(rawValue:)) else {
            throw QuestionError(key: "question_error_type", values: ["id": id])
        }
        let nb = (form["label_nb"] ?? "").trimmingCharacters(in: .whitespaces)
        let en = (form["label_en"] ?? "").trimmingCharacters(in: .whitespaces)
        guard !nb.isEmpty, !en.isEmpty, nb.count <= 200, en.count <= 200 else { throw QuestionError(key: "question_error_label", values: ["id": id]) }
        var options: [PreferenceQuestions.Question.Option] = []
        for (number, line) in (form["options"] ?? "").split(whereSeparator: \.isNewline).enumerated() {
            let parts = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else {
                throw QuestionError(key: "question_error_option", values: ["id": id, "line": String(number + 1)])
            }
            options.append(.init(value: parts[0], label: ["nb": parts[1], "en": parts[2]]))
        }
        if [.single, .multiple].contains(type) && options.count < 2 { throw QuestionError(key: "question_error_options", values: ["id": id]) }
        var retention: Int?
        if let text = form["retention_days"]?.trimmingCharacters(in: .whitespaces), !text.isEmpty {
            guard let days = Int(text), (1...3650).contains(days) else { throw QuestionError(key: "question_error_retention", values: ["id": id]) }
            retention = days
        }
        let fromVipps = form["from_vipps"].flatMap { ["birthdate", "address"].contains($0) ? $0 : nil }
        let purpose = ["nb": form["purpose_nb"] ?? "", "en": form["purpose_en"] ?? ""].filter { !$0.value.isEmpty }
        return .init(
            id: id, type: type, required: form["required"] == "yes", label: ["nb": nb, "en": en],
            options: options.isEmpty ? nil : options, maxLength: type == .text ? 200 : nil, fromVipps: fromVipps,
            purpose: purpose.isEmpty ? nil : purpose, retentionDays: retention)
    }

    static func context(_ question: PreferenceQuestions.Question?) -> [String: Any] {
        let type = question?.type ?? .text
        return [
            "isNew": question == nil, "id": question?.id ?? "", "labelNB": question?.label["nb"] ?? "", "labelEN": question?.label["en"] ?? "",
            "required": question?.required ?? false, "retention": question?.retentionDays.map(String.init) ?? "",
            "purposeNB": question?.purpose?["nb"] ?? "", "purposeEN": question?.purpose?["en"] ?? "",
            "options": (question?.options ?? []).map { "\($0.value) | \($0.label["nb"] ?? "") | \($0.label["en"] ?? "")" }.joined(separator: "\n"),
            "types": PreferenceQuestions.Question.Kind.allCases.map { ["value": $0.rawValue, "selected": $0 == type] },
            "fromVipps": question?.fromVipps ?? "",
        ]
    }
}

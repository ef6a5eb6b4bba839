import Content
import Foundation

/// The preference questions, from `Templates/preferences.json`: each with a type, nb and en labels,
/// whether it is required, and optionally the Vipps claim that already answers it (then it is not asked).
struct PreferenceQuestions: Sendable {
    struct Question: Codable, Sendable, Equatable {
        enum Kind: String, Codable, Sendable, CaseIterable { case text, single, multiple, yesno, date, postcode }

        struct Option: Codable, Sendable, Equatable {
            var value: String
            var label: [String: String]
        }

        var id: String
        var type: Kind
        var required: Bool
        var label: [String: String]
        var options: [Option]?
        var maxLength: Int?
        /// `birthdate` or `address`: asked only when Vipps did not give it.
        var fromVipps: String?
        /// Why the merchant asks, in nb and en (shown to marketing, and kept for the record of processing).
        var purpose: [String: String]?
        /// Answers older than this many days are deleted by the retention job; nil keeps them.
        var retentionDays: Int?

        func label(in language: Language) -> String { label[language.rawValue] ?? label["nb"] ?? id }
        func purpose(in language: Language) -> String? { purpose.flatMap { $0[language.rawValue] ?? $0["nb"] } }
    }

    let questions: [Question]
    /// How many unanswered questions one visit asks at most.
    static let perVisit = 3

    static func load(path: String) throws -> PreferenceQuestions {
        struct File: Decodable { var questions: [Question] }
        let file = try JSONDecoder().decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        for question in file.questions where [.single, .multiple].contains(question.type) && (question.options ?? []).isEmpty {
            throw ConfigurationError("\(path): question \(question.id) needs options")
        }
        return PreferenceQuestions(questions: file.questions)
    }

    func question(_ id: String) -> Question? { questions.first { $0.id == id } }

    /// The questions that concern this member: those Vipps has not answered already.
    func relevant(vippsGave: Set<String>) -> [Question] {
        questions.filter { question in question.fromVipps.map { !vippsGave.contains($0) } ?? true }
    }

    /// What to ask this member now: questions neither answered nor skipped, at most `perVisit`. Empty
    /// when there is nothing left to ask: the preferences are done (all of them stay open to change).
    func toAsk(answered: [String: String], skipped: Set<String> = [], vippsGave: Set<String>) -> [Question] {
        Array(relevant(vippsGave: vippsGave).filter { answered[$0.id] == nil && !skipped.contains($0.id) }.prefix(Self.perVisit))
    }

    /// Checks submitted values; returns the answers to store or an error message key per question.
    func validate(_ asked: [Question], values: [String: [String]], today: Date = Date()) -> (answers: [(String, String)], errors: [String: String]) {
        var answers: [(String, String)] = []
        var errors: [String: String] = [:]
        for question in asked {
            let submitted = (values[question.id] ?? []).map(\.trimmedWhitespace).filter { !$0.isEmpty }
            if submitted.isEmpty {
                if question.required { errors[question.id] = "error_required" }
                continue
            }
            let allowed = Set((question.options ?? []).map(\.value))
            switch question.type {
            case .text:
                let text = submitted[0]
                if text.characterCount > (question.maxLength ?? 500) || text.hasControlCharacter {
                    errors[question.id] = "error_text"
                } else {
                    answers.append((question.id, text))
                }
            case .single:
                if submitted.count == 1, allowed.contains(submitted[0]) {
                    answers.append((question.id, submitted[0]))
                } else {
                    errors[question.id] = "error_choice"
                }
            case .multiple:
                if submitted.allSatisfy(allowed.contains) {
                    answers.append((question.id, submitted.joined(separator: ",")))
                } else {
                    errors[question.id] = "error_choice"
                }
            case .yesno:
                if submitted.count == 1, ["yes", "no"].contains(submitted[0]) {
                    answers.append((question.id, submitted[0]))
                } else {
                    errors[question.id] = "error_choice"
                }
            case .date:
                if let date = Self.date(submitted[0]), date <= today, date > Date(timeIntervalSince1970: -2_208_988_800) {
                    answers.append((question.id, submitted[0]))
                } else {
                    errors[question.id] = "error_date"
                }
            case .postcode:
                if submitted[0].count == 4, submitted[0].allSatisfy({ $0.isASCII && $0.isNumber }) {
                    answers.append((question.id, submitted[0]))
                } else {
                    errors[question.id] = "error_postcode"
                }
            }
        }
        return (answers, errors)
    }

    /// `YYYY-MM-DD`, a real date.
    static func date(_ text: String) -> Date? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
            let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2])
        else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Oslo") ?? .gmt
        guard let date = calendar.date(from: DateComponents(year: year, month: month, day: day)),
            calendar.component(.day, from: date) == day, calendar.component(.month, from: date) == month
        else { return nil }
        return date
    }
}

import Storage

/// What statistics may say about members' answers. Choice and yes/no answers are counted by value,
/// a multiple choice once per option ticked; a value given by fewer than five members is merged into
/// "other", so no small group stands out. Every other type (free text, dates, postcodes) is counted
/// only as answered: its value could name a person.
enum AnswerBreakdown {
    struct Row: Equatable, Sendable {
        var question: String
        /// An option's value, or `other` or `answered`.
        var value: String
        var count: Int
    }

    static let other = "other"
    static let answered = "answered"

    static func rows(_ stats: SignupStats, multipleChoice: Set<String>) -> [Row] {
        var perValue: [String: [String: Int]] = [:]
        for answer in stats.answers {
            let values = multipleChoice.contains(answer.question) ? answer.value.split(separator: ",").map(String.init) : [answer.value]
            for value in values { perValue[answer.question, default: [:]][value, default: 0] += answer.count }
        }
        var rows: [Row] = []
        for question in perValue.keys.sorted() {
            let counts = perValue[question]!
            let shown = counts.filter { $0.value >= SmallCount.threshold }
                .sorted { ($0.value, $1.key) > ($1.value, $0.key) }
                .map { Row(question: question, value: $0.key, count: $0.value) }
            let merged = counts.values.filter { $0 < SmallCount.threshold }.reduce(0, +)
            rows += shown + (merged > 0 ? [Row(question: question, value: other, count: merged)] : [])
        }
        rows += stats.answered.map { Row(question: $0.question, value: answered, count: $0.count) }
        return rows.sorted { $0.question < $1.question }
    }
}

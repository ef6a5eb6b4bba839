import Content
import Foundation
import HTTPServer
import Storage
import Synchronization

/// `/admin/stats` for merchants: signups per day (SVG), first visits against returning, the funnel per
/// store and terminal with median times, consent rates, answers, flagged numbers and revocations; a
/// date range and a store filter; CSV of the aggregates, and for admins the members who consented to a
/// channel (audit-logged).
struct StatsPage: Sendable {
    let access: StaffAccess
    let staff: StaffStore
    let stats: StatsStore
    let pages: StaffPages
    let pool: any DatabasePool
    let questions: QuestionBook
    let storeNames: StoreNames
    /// Checkboxes that accept the terms are no marketing consent: they are left out of the rates.
    var mapping = ConsentMapping()

    /// Rollups younger than this are read as they are; `StatsRefreshService` keeps them within a minute,
    /// so a page pays for a refresh only when that service has not run (a stalled instance).
    static let maxAge: TimeInterval = 120

    struct Filter {
        var from: Date
        var to: Date
        var store: String?
        var fromText: String
        var toText: String
    }

    /// `from`/`to` as `YYYY-MM-DD` (to inclusive); the last 30 days by default.
    static func filter(_ request: HTTPRequest, now: Date = Date()) -> Filter {
        let calendar = Calendar(identifier: .gregorian)
        var utc = calendar
        utc.timeZone = .gmt
        let today = utc.startOfDay(for: now)
        let to = request.queryValue("to").flatMap(PreferenceQuestions.date).map { utc.startOfDay(for: $0.addingTimeInterval(12 * 3600)) } ?? today
        let from =
            request.queryValue("from").flatMap(PreferenceQuestions.date).map { utc.startOfDay(for: $0.addingTimeInterval(12 * 3600)) }
            ?? to.addingTimeInterval(-29 * 86400)
        let store = request.queryValue("store").flatMap { $0.isEmpty || !LoginStarter.isIdentifier($0) ? nil : $0 }
        let format = Date.ISO8601FormatStyle().year().month().day()
        return Filter(
            from: min(from, to), to: max(from, to).addingTimeInterval(86400), store: store,
            fromText: min(from, to).formatted(format), toText: max(from, to).formatted(format))
    }

    func show(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let filter = Self.filter(request)
        let language = VisitorLanguage.resolve(request).language
        var numbers = try await stats.stats(from: filter.from, to: filter.to, store: filter.store, maxAge: Self.maxAge)
        numbers.consents.removeAll { mapping.isTerms($0.id) }
        // The previous period of the same length, for the headline's changes.
        let length = filter.to.timeIntervalSince(filter.from)
        var previous = try await stats.stats(from: filter.from.addingTimeInterval(-length), to: filter.from, store: filter.store, maxAge: Self.maxAge)
        previous.consents.removeAll { mapping.isTerms($0.id) }
        let stores = try await stats.stores()
        let grouping = request.queryValue("group").flatMap(SignupGrouping.init(rawValue:)) ?? (length > 92 * 86400 ? .week : .day)
        func text(_ key: String) -> String { pages.views.text(key, in: language) }
        func storeName(_ id: String) -> String { storeNames.name(of: id, in: language) ?? (id.isEmpty ? text("stats_store_unknown") : id) }
        func consentName(_ id: String) -> String { ConsentNames.name(id, views: pages.views, in: language) }
        func seconds(_ value: Double?) -> String { value.map { $0 < 120 ? "\(Int($0)) s" : "\(Int($0 / 60)) min" } ?? "–" }
        func percentages(_ step: StoreFunnel.Step) -> [String: Any] {
            [
                "started": SmallCount.text(step.started), "confirmed": SmallCount.percent(step.confirmed, of: step.started),
                "landed": SmallCount.percent(step.landed, of: step.started), "completed": SmallCount.percent(step.completed, of: step.started),
            ]
        }
        let headline = StatsHeadline(current: numbers, previous: previous).figures.map { figure -> [String: Any] in
            let label: String
            switch figure.key {
            case "signups": label = text("stats_headline_signups")
            case "completed": label = text("stats_headline_completed")
            case "redeemed": label = text("stats_headline_redeemed")
            default:
                label = text("stats_headline_consent").replacingOccurrences(
                    of: "{consent}", with: consentName(String(figure.key.dropFirst("consent:".count))))
            }
            return [
                "label": label, "value": figure.value, "change": figure.change == StatsHeadline.new ? text("stats_change_new") : figure.change ?? "",
                "hasChange": figure.change != nil,
                "direction": figure.direction.rawValue,
            ]
        }
        let medians = Dictionary(numbers.funnel.map { ($0.store + "\u{0}" + $0.terminal, $0) }, uniquingKeysWith: { first, _ in first })
        let funnel = StoreFunnel.stores(numbers.funnel).map { store -> [String: Any] in
            var row = percentages(store.total)
            // A count, not a share: a code given in one period may be redeemed in the next.
            row["redeemed"] = SmallCount.text(store.total.redeemed)
            row["store"] = storeName(store.store)
            row["tills"] = store.tills.map { till -> [String: Any] in
                var entry = percentages(till.step)
                entry["terminal"] = till.terminal
                let median = medians[store.store + "\u{0}" + till.terminal]
                entry["medians"] = "\(seconds(median?.medianToConfirm)) / \(seconds(median?.medianToLand)) / \(seconds(median?.medianToComplete))"
                return entry
            }
            row["hasTills"] = !store.tills.isEmpty
            return row
        }
        let book = questions.questions
        let answers = answerRows(numbers).map { row -> [String: Any] in
            let question = book.questions.first { $0.id == row.question }
            let value: String
            if [AnswerBreakdown.other, AnswerBreakdown.answered].contains(row.value) {
                value = text("stats_answer_" + row.value)
            } else if question?.type == .yesno {
                value = text(row.value == "yes" ? "answer_yes" : "answer_no")
            } else {
                value =
                    question?.options?.first { $0.value == row.value }.map { $0.label[language.rawValue] ?? $0.label["nb"] ?? row.value } ?? row.value
            }
            return ["question": question?.label(in: language) ?? row.question, "value": value, "count": SmallCount.text(row.count)]
        }
        let chart = grouping.group(Self.everyDay(numbers.signupsPerDay, from: filter.from, to: filter.to))
        // Site-wide, not per period: how many members stand on each version of the terms they accepted.
        let agreementStore = AgreementStore(pool: pool)
        let versionNumbers = try await agreementStore.numbers()
        let agreements = try await agreementStore.versions().enumerated().map { index, version -> [String: Any] in
            [
                "version": "\(versionNumbers[version.version].map(String.init) ?? "") (\(version.version.prefix(8)))",
                "members": SmallCount.text(version.members),
                "last": DisplayFormat.day(version.lastAcceptedAt, in: language), "current": index == 0,
            ]
        }
        return try pages.page(
            "pages/admin-stats", request, session,
            [
                "from": filter.fromText, "to": filter.toText,
                "stores": stores.map { ["id": $0, "name": storeName($0), "selected": $0 == filter.store] },
                "groupings": SignupGrouping.allCases.map {
                    ["value": $0.rawValue, "label": text("stats_group_" + $0.rawValue), "selected": $0 == grouping]
                },
                "headline": headline,
                "previousFrom": Self.dayText(filter.from.addingTimeInterval(-length)),
                "previousTo": Self.dayText(filter.from.addingTimeInterval(-86400)),
                "chartTitle": text("stats_signups_" + grouping.rawValue),
                "chart": SignupChart.svg(chart, label: text("stats_signups_" + grouping.rawValue)),
                "firstVisits": SmallCount.text(numbers.firstVisits), "returning": SmallCount.text(numbers.returningVisits),
                "funnel": funnel,
                "consents": numbers.consents.map {
                    [
                        "name": consentName($0.id), "accepted": SmallCount.text($0.accepted), "asked": SmallCount.text($0.asked),
                        "rate": SmallCount.percent($0.accepted, of: $0.asked),
                    ]
                },
                "answers": answers,
                "agreements": agreements, "hasAgreements": !agreements.isEmpty,
                "mismatches": SmallCount.text(numbers.phoneMismatches), "revocations": SmallCount.text(numbers.revocations),
                "query": "from=\(filter.fromText)&to=\(filter.toText)" + (filter.store.map { "&store=\($0)" } ?? ""),
                "isAdmin": session.staff.role == .admin,
            ])
    }

    static func dayText(_ date: Date) -> String { String(date.formatted(Date.ISO8601FormatStyle().year().month().day())) }

    func answerRows(_ numbers: SignupStats) -> [AnswerBreakdown.Row] {
        AnswerBreakdown.rows(numbers, multipleChoice: Set(questions.questions.questions.filter { $0.type == .multiple }.map(\.id)))
    }

    /// Every day of the range, with 0 for days without signups, so the chart is a timeline.
    static func everyDay(_ days: [(day: String, count: Int)], from: Date, to: Date) -> [(day: String, count: Int)] {
        let counts = Dictionary(days.map { ($0.day, $0.count) }, uniquingKeysWith: +)
        var result: [(day: String, count: Int)] = []
        var day = from
        while day < to && result.count < 3660 {
            let text = String(day.formatted(Date.ISO8601FormatStyle().year().month().day()))
            result.append((text, counts[text] ?? 0))
            day = day.addingTimeInterval(86400)
        }
        return result
    }

    /// The aggregates as CSV, with the same small-count hiding.
    func csv(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        let filter = Self.filter(request)
        let numbers = try await stats.stats(from: filter.from, to: filter.to, store: filter.store, maxAge: Self.maxAge)
        if let table = request.queryValue("table") {
            guard let rows = tableRows(table, numbers, language: VisitorLanguage.resolve(request).language) else {
                throw StaffAccess.Denied(response: .status(.badRequest))
            }
            try await staff.audit(
                session.staff, action: "stats.export", detail: "\(table) \(filter.fromText)..\(filter.toText) \(filter.store ?? "all stores")")
            return Self.csvResponse(rows, filename: "velkommen-\(table)-\(filter.fromText)-\(filter.toText).csv")
        }
        var rows = [["section", "key", "detail", "value"]]
        rows += numbers.signupsPerDay.map { ["signups", $0.day, "", SmallCount.text($0.count)] }
        rows.append(["visits", "first", "", SmallCount.text(numbers.firstVisits)])
        rows.append(["visits", "returning", "", SmallCount.text(numbers.returningVisits)])
        for row in numbers.funnel {
            for (step, count) in [
                ("started", row.started), ("confirmed", row.confirmed), ("landed", row.landed), ("completed", row.completed),
                ("redeemed", row.redeemed),
            ] {
                rows.append(["funnel", "\(row.store)/\(row.terminal)", step, SmallCount.text(count)])
            }
        }
        rows += numbers.consents.map { ["consent", $0.id, "accepted", SmallCount.text($0.accepted)] }
        rows += answerRows(numbers).map { ["answer", $0.question, $0.value, SmallCount.text($0.count)] }
        rows.append(["logins", "phone_mismatch", "", SmallCount.text(numbers.phoneMismatches)])
        rows.append(["consent", "revoked", "", SmallCount.text(numbers.revocations)])
        try await staff.audit(session.staff, action: "stats.export", detail: "\(filter.fromText)..\(filter.toText) \(filter.store ?? "all stores")")
        return Self.csvResponse(rows, filename: "velkommen-stats-\(filter.fromText)-\(filter.toText).csv")
    }

    /// One table of the page as CSV rows, headed in the staff member's language: `signups` (per day),
    /// `funnel` (per store and till), `consents`, `answers`; nil for another name.
    func tableRows(_ table: String, _ numbers: SignupStats, language: Language) -> [[String]]? {
        func text(_ key: String) -> String { pages.views.text(key, in: language) }
        switch table {
        case "signups":
            return [[text("stats_day"), text("stats_headline_signups")]] + numbers.signupsPerDay.map { [$0.day, SmallCount.text($0.count)] }
        case "funnel":
            return [
                [
                    text("stats_store"), text("stats_till"), text("stats_started"), text("stats_confirmed"), text("stats_landed"),
                    text("stats_completed"), text("stats_redeemed"),
                ]
            ]
                + numbers.funnel.map { row in
                    [storeNames.name(of: row.store, in: language) ?? row.store, row.terminal]
                        + [row.started, row.confirmed, row.landed, row.completed, row.redeemed].map(SmallCount.text)
                }
        case "consents":
            return [[text("stats_consent"), text("stats_consent_yes"), text("stats_consent_asked"), text("stats_share")]]
                + numbers.consents.map {
                    [$0.id, SmallCount.text($0.accepted), SmallCount.text($0.asked), SmallCount.percent($0.accepted, of: $0.asked)]
                }
        case "answers":
            return [[text("stats_question"), text("stats_answer"), text("stats_count")]]
                + answerRows(numbers).map { [$0.question, $0.value, SmallCount.text($0.count)] }
        default:
            return nil
        }
    }

    /// Admins: the members who accepted consent `channel` (for the customer club's mailing), audit-logged.
    /// Streamed a thousand members at a time (keyset pagination), so a million members never sit in memory.
    func consentedMembers(_ request: HTTPRequest) async throws -> HTTPResponse {
        let session = try request.staffSession
        guard let channel = request.queryValue("consent"), LoginStarter.isIdentifier(channel) else {
            throw StaffAccess.Denied(response: .status(.badRequest))
        }
        try await staff.audit(session.staff, action: "members.export", detail: "consent \(channel)")
        let cursor = ExportCursor()
        let members = MemberStore(pool: pool)
        var headers: HTTPHeaders = ["Content-Type": "text/csv; charset=utf-8", "Cache-Control": "no-store"]
        headers.set("Content-Disposition", "attachment; filename=\"velkommen-consent-\(channel).csv\"")
        return .streaming(
            headers: headers,
            ResponseBodyStream {
                guard let after = cursor.take() else { return nil }
                if after.isHeader {
                    cursor.advance(to: (-Double.infinity, ""))
                    return Array((Self.byteOrderMark + ["sub", "name", "email", "phone"].joined(separator: Self.separator) + "\r\n").utf8)
                }
                let page = try await members.consented(to: channel, after: (after.createdAt, after.sub), limit: 1000)
                guard let last = page.last else {
                    cursor.finish()
                    return nil
                }
                cursor.advance(to: (last.createdAt.timeIntervalSince1970, last.sub))
                return Array(
                    page.map { [$0.sub, $0.name, $0.email, $0.phone].map(Self.csvField).joined(separator: Self.separator) + "\r\n" }.joined().utf8)
            })
    }

    /// Where a streamed export has got to.
    final class ExportCursor: Sendable {
        struct Position {
            var isHeader: Bool
            var createdAt: Double
            var sub: String
        }
        private let state = Mutex<Position?>(Position(isHeader: true, createdAt: 0, sub: ""))
        func take() -> Position? { state.withLock { $0 } }
        func advance(to key: (Double, String)) { state.withLock { $0 = Position(isHeader: false, createdAt: key.0, sub: key.1) } }
        func finish() { state.withLock { $0 = nil } }
    }

    /// Norwegian Excel reads `;` as the separator (the comma is the decimal mark) and needs the UTF-8
    /// byte-order mark to show æ, ø and å.
    static let separator = ";"
    static let byteOrderMark = "\u{FEFF}"

    static func csvResponse(_ rows: [[String]], filename: String) -> HTTPResponse {
        let text = byteOrderMark + rows.map { $0.map(csvField).joined(separator: separator) }.joined(separator: "\r\n") + "\r\n"
        var response = HTTPResponse(status: .ok, headers: ["Content-Type": "text/csv; charset=utf-8"], body: Array(text.utf8))
        response.headers.set("Content-Disposition", "attachment; filename=\"\(filename)\"")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    /// RFC 4180 quoting; a leading = + - @ TAB or CR is prefixed with ' so a spreadsheet does not run it
    /// as a formula (OWASP's list). Scalars, not Characters: "\r\n" is one Character and would slip past.
    static func csvField(_ value: String) -> String {
        var value = value
        if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) { value = "'" + value }
        guard value.contains(where: { ";,\"\r\n".contains($0) }) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}

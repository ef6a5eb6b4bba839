import Foundation

/// The merchant's numbers for a date range and optionally one store. Counts only; no personal data.
public struct SignupStats: Sendable, Equatable {
    public struct FunnelRow: Sendable, Equatable {
        public var store: String
        public var terminal: String
        public var started: Int
        public var confirmed: Int
        public var landed: Int
        public var completed: Int
        /// Welcome offers redeemed in the store (counted on the store's row without a terminal).
        public var redeemed: Int = 0
        /// Median seconds from start to confirmation, confirmation to landing, landing to completion.
        public var medianToConfirm: Double?
        public var medianToLand: Double?
        public var medianToComplete: Double?
    }

    public var signupsPerDay: [(day: String, count: Int)]
    public var firstVisits: Int
    public var returningVisits: Int
    public var funnel: [FunnelRow]
    /// Per consent id, for the members who signed up in the range: how many accepted, of how many asked.
    public var consents: [(id: String, accepted: Int, asked: Int)]
    /// Per choice or yes/no question and value, for the members who signed up in the range: their current answers.
    public var answers: [(question: String, value: String, count: Int)]
    /// Per question of any other type (free text, dates, postcodes): how many answered, never what.
    public var answered: [(question: String, count: Int)] = []
    public var phoneMismatches: Int
    public var revocations: Int

    public static func == (lhs: SignupStats, rhs: SignupStats) -> Bool {
        lhs.signupsPerDay.map { "\($0.day)=\($0.count)" } == rhs.signupsPerDay.map { "\($0.day)=\($0.count)" }
            && lhs.firstVisits == rhs.firstVisits && lhs.returningVisits == rhs.returningVisits && lhs.funnel == rhs.funnel
            && lhs.consents.map { "\($0.id)=\($0.accepted)/\($0.asked)" } == rhs.consents.map { "\($0.id)=\($0.accepted)/\($0.asked)" }
            && lhs.answers.map { "\($0.question)=\($0.value):\($0.count)" } == rhs.answers.map { "\($0.question)=\($0.value):\($0.count)" }
            && lhs.answered.map { "\($0.question):\($0.count)" } == rhs.answered.map { "\($0.question):\($0.count)" }
            && lhs.phoneMismatches == rhs.phoneMismatches && lhs.revocations == rhs.revocations
    }
}

/// Reads `SignupStats` from the daily rollups.
public struct StatsStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// Whole UTC days from the day of `from` to the day before `to` (`to` exclusive), from the daily rollups,
    /// which are brought up to date first (today and yesterday are recomputed; see `StatsRollup`).
    /// `maxAge`: rollups refreshed less than this long ago are used as they are (the page shows numbers up
    /// to a minute old rather than recomputing today on every view).
    public func stats(from: Date, to: Date, store: String?, now: Date = Date(), maxAge: TimeInterval = 60) async throws -> SignupStats {
        try await refresh(now: now, maxAge: maxAge)
        let first = StatsRollup.dayText(from)
        let last = StatsRollup.dayText(to.addingTimeInterval(-1))
        let storeFilter = store == nil ? "" : " AND store = ?3"
        let arguments: [any SQLBindable] = store.map { [first, last, $0] } ?? [first, last]
        // Whole months from the monthly rollups, the days at either end from the daily ones; summed in
        // SQL (a year of days holds over half a million histogram rows, which Swift need not see). Each
        // end is its own range scan: SQLite cannot serve an OR of two ranges from a WITHOUT ROWID key.
        let parts = StatsRollup.split(first: first, last: last)
        let partsFilter = store == nil ? "" : " AND store = ?7"
        let partsArguments: [any SQLBindable] =
            [parts.head.first, parts.head.last, parts.tail.first, parts.tail.last, parts.months.first, parts.months.last]
            + (store.map { [$0] } ?? [])
        let rows = try await pool.read { database in
            let totals = try database.query(
                """
                SELECT '', store, terminal, metric, sum(value) FROM (
                    SELECT store, terminal, metric, value FROM stats_daily WHERE day >= ?1 AND day <= ?2\(partsFilter)
                    UNION ALL
                    SELECT store, terminal, metric, value FROM stats_daily WHERE day >= ?3 AND day <= ?4\(partsFilter)
                    UNION ALL
                    SELECT store, terminal, metric, value FROM stats_monthly WHERE month >= ?5 AND month <= ?6\(partsFilter)
                ) AS parts
                GROUP BY store, terminal, metric
                """, partsArguments
            ) { row in
                (
                    day: try row[0] as String, store: try row[1] as String, terminal: try row[2] as String, metric: try row[3] as String,
                    value: try row[4] as Int
                )
            }.filter { $0.metric != "signups" }
            let days = try database.query(
                """
                SELECT day, '', '', 'signups', sum(value) FROM stats_daily WHERE day >= ?1 AND day <= ?2 AND metric = 'signups'\(storeFilter)
                GROUP BY day
                """, arguments
            ) { row in
                (
                    day: try row[0] as String, store: try row[1] as String, terminal: try row[2] as String, metric: try row[3] as String,
                    value: try row[4] as Int
                )
            }
            return totals + days
        }
        return Self.assemble(rows)
    }

    /// Brings the rollups up to `now` unless they were refreshed less than `maxAge` ago (by any instance:
    /// the time is in the database). The app's background service calls this every half minute, so a
    /// statistics page seldom pays for it.
    public func refresh(now: Date = Date(), maxAge: TimeInterval = 0) async throws {
        try await pool.write { database in
            let refreshed = try database.scalar("SELECT value FROM stats_meta WHERE key = 'refreshed_at'", as: String.self).flatMap(Double.init)
            guard refreshed.map({ now.timeIntervalSince1970 - $0 >= maxAge || now.timeIntervalSince1970 < $0 }) ?? true else { return }
            try StatsRollup.refresh(now: now, in: database)
            try database.execute(
                "INSERT INTO stats_meta (key, value) VALUES ('refreshed_at', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                [String(now.timeIntervalSince1970)])
        }
    }

    static func assemble(_ rows: [(day: String, store: String, terminal: String, metric: String, value: Int)]) -> SignupStats {
        var perDay: [String: Int] = [:]
        var logins = 0
        var mismatches = 0
        var revocations = 0
        var funnel: [String: SignupStats.FunnelRow] = [:]
        var histograms: [String: [String: [Int: Int]]] = [:]
        var accepted: [String: Int] = [:]
        var asked: [String: Int] = [:]
        var answers: [String: Int] = [:]
        var answered: [String: Int] = [:]
        for row in rows {
            let key = row.store + "\u{0}" + row.terminal
            switch row.metric {
            case "signups": perDay[row.day, default: 0] += row.value
            case "logins": logins += row.value
            case "mismatch": mismatches += row.value
            case "revocations": revocations += row.value
            case "started", "confirmed", "landed", "completed", "redeemed":
                var entry =
                    funnel[key] ?? SignupStats.FunnelRow(store: row.store, terminal: row.terminal, started: 0, confirmed: 0, landed: 0, completed: 0)
                switch row.metric {
                case "started": entry.started += row.value
                case "confirmed": entry.confirmed += row.value
                case "landed": entry.landed += row.value
                case "redeemed": entry.redeemed += row.value
                default: entry.completed += row.value
                }
                funnel[key] = entry
            default:
                let parts = row.metric.split(separator: ":", maxSplits: 2).map(String.init)
                if parts.count == 3, parts[0] == "duration", let seconds = Int(parts[2]) {
                    histograms[key, default: [:]][parts[1], default: [:]][seconds, default: 0] += row.value
                } else if parts.count == 3, parts[0] == "consent" {
                    if parts[2] == "accepted" { accepted[parts[1], default: 0] += row.value } else { asked[parts[1], default: 0] += row.value }
                } else if parts.count == 2, parts[0] == "answered" {
                    answered[parts[1], default: 0] += row.value
                } else if parts.count >= 2, parts[0] == "answer" {
                    answers[String(row.metric.dropFirst("answer:".count)), default: 0] += row.value
                }
            }
        }
        let rowsOut = funnel.sorted { ($0.value.store, $0.value.terminal) < ($1.value.store, $1.value.terminal) }.map {
            key, value -> SignupStats.FunnelRow in
            var row = value
            row.medianToConfirm = median(histograms[key]?["confirm"])
            row.medianToLand = median(histograms[key]?["land"])
            row.medianToComplete = median(histograms[key]?["complete"])
            return row
        }
        let firstVisits = perDay.values.reduce(0, +)
        let answerRows = answers.compactMap { key, count -> (question: String, value: String, count: Int)? in
            guard let equals = key.firstIndex(of: "=") else { return nil }
            return (String(key[..<equals]), String(key[key.index(after: equals)...]), count)
        }.sorted { ($0.question, -$0.count, $0.value) < ($1.question, -$1.count, $1.value) }
        return SignupStats(
            signupsPerDay: perDay.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, firstVisits: firstVisits,
            returningVisits: max(0, logins - firstVisits), funnel: rowsOut,
            consents: asked.keys.sorted().map { ($0, accepted[$0] ?? 0, asked[$0] ?? 0) },
            answers: answerRows, answered: answered.sorted { $0.key < $1.key }.map { ($0.key, $0.value) },
            phoneMismatches: mismatches, revocations: revocations)
    }

    /// The median of a histogram of whole seconds.
    static func median(_ histogram: [Int: Int]?) -> Double? {
        guard let histogram, !histogram.isEmpty else { return nil }
        let total = histogram.values.reduce(0, +)
        let sorted = histogram.sorted { $0.key < $1.key }
        func value(at rank: Int) -> Int {
            var seen = 0
            for (seconds, count) in sorted {
                seen += count
                if seen > rank { return seconds }
            }
            return sorted.last!.key
        }
        return total % 2 == 1 ? Double(value(at: total / 2)) : Double(value(at: total / 2 - 1) + value(at: total / 2)) / 2
    }

    /// The stores that have login requests, for the filter.
    public func stores() async throws -> [String] {
        try await pool.read { database in try database.query("SELECT DISTINCT store FROM login_requests ORDER BY store") { try $0[0] as String } }
    }

}

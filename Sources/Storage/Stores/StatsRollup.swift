import Foundation

/// Keeps `stats_daily` in step with the base tables. A day's rows are recomputed from scratch (delete,
/// then aggregate), which makes a refresh idempotent. Days up to yesterday are rolled up once and then
/// only yesterday and today are recomputed, because nothing older changes: a login request lives ten
/// minutes, and consents and answers count on the day they were given.
///
/// Metrics per (day, store, terminal): `started`, `confirmed`, `landed`, `completed`, `mismatch` (by the
/// request's day), `redeemed` (welcome offers, by the day and store of the sale, terminal ''), `duration:<step>:<seconds>` histograms for the medians (exact to 60 s, then 5 s, then
/// 30 s buckets). Per (day, store, ''): `signups`, `logins` (confirmed that day), `revocations`,
/// `consent:<id>:accepted` and `consent:<id>:asked`, `answer:<question>=<value>` for choice and yes/no
/// questions and `answered:<question>` for every other type (the current consents and answers of the
/// members who signed up that day). Free text, dates and postcodes are never kept by value: with a
/// one-day range and one store they would point at a person.
struct StatsRollup: Sendable {
    /// The question types whose answers are a fixed set of values (from `preference_questions`).
    static let countedByValue = "('single', 'multiple', 'yesno')"

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0)!
        return calendar
    }()

    static func dayStart(_ date: Date) -> Date { calendar.startOfDay(for: date) }

    static func dayText(_ date: Date) -> String {
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year!, parts.month!, parts.day!)
    }

    /// Brings the rollups up to `now`: every day not yet rolled up, then yesterday and today again.
    static func refresh(now: Date, in database: any Database) throws {
        let today = dayStart(now)
        let yesterday = today.addingTimeInterval(-86400)
        var day: Date
        if let through = try database.scalar("SELECT value FROM stats_meta WHERE key = 'complete_through'", as: String.self),
            let parsed = parse(through)
        {
            day = min(parsed.addingTimeInterval(86400), yesterday)
        } else {
            let oldest = try database.scalar("SELECT min(created_at) FROM login_requests", as: Date.self)
            day = dayStart(oldest ?? now)
        }
        var months = Set<String>()
        while day <= today {
            try rollUp(day: day, in: database)
            months.insert(String(dayText(day).prefix(7)))
            day = day.addingTimeInterval(86400)
        }
        for month in months.sorted() { try rollUp(month: month, in: database) }
        try database.execute(
            "INSERT INTO stats_meta (key, value) VALUES ('complete_through', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            [dayText(yesterday)])
    }

    /// A range of days (`first` … `last`, inclusive, `YYYY-MM-DD`) as the days before its first whole
    /// month, its whole months (`YYYY-MM`), and the days after the last; an empty part is a range that
    /// matches nothing (`9` … `0`).
    static func split(
        first: String, last: String
    ) -> (head: (first: String, last: String), months: (first: String, last: String), tail: (first: String, last: String)) {
        let none = (first: "9", last: "0")
        guard let start = parse(first), let end = parse(last), start <= end else { return (none, none, none) }
        // The first day of the first whole month, and the day after the last whole month.
        let startMonth = calendar.dateInterval(of: .month, for: start)!
        let firstWhole = startMonth.start == start ? start : startMonth.end
        let endMonth = calendar.dateInterval(of: .month, for: end)!
        let afterWhole = endMonth.end.addingTimeInterval(-86400) == end ? endMonth.end : endMonth.start
        guard firstWhole < afterWhole else { return ((first, last), none, none) }
        let head = firstWhole > start ? (first: first, last: dayText(firstWhole.addingTimeInterval(-86400))) : none
        let tail = afterWhole <= end ? (first: dayText(afterWhole), last: last) : none
        let months = (first: String(dayText(firstWhole).prefix(7)), last: String(dayText(afterWhole.addingTimeInterval(-86400)).prefix(7)))
        return (head, months, tail)
    }

    static func parse(_ text: String) -> Date? {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2]))
    }

    /// A month's rows as the sum of its days' (`month`: `2026-12`).
    static func rollUp(month: String, in database: any Database) throws {
        try database.execute("DELETE FROM stats_monthly WHERE month = ?", [month])
        try database.execute(
            """
            INSERT INTO stats_monthly (month, store, terminal, metric, value)
            SELECT ?1, store, terminal, metric, sum(value) FROM stats_daily WHERE day >= ?2 AND day <= ?3
            GROUP BY store, terminal, metric
            """, [month, month + "-01", month + "-31"])
    }

    static func rollUp(day: Date, in database: any Database) throws {
        let text = dayText(day)
        let arguments: [any SQLBindable] = [text, day, day.addingTimeInterval(86400)]
        try database.execute("DELETE FROM stats_daily WHERE day = ?", [text])
        try database.execute(
            """
            INSERT INTO stats_daily (day, store, terminal, metric, value)
            SELECT ?1, store, coalesce(terminal, ''), metric, value FROM (
                SELECT store, terminal, 'started' AS metric, count(*) AS value FROM login_requests
                    WHERE created_at >= ?2 AND created_at < ?3 AND auth_req_id IS NOT NULL GROUP BY store, terminal
                UNION ALL SELECT store, terminal, 'confirmed', count(confirmed_at) FROM login_requests
                    WHERE created_at >= ?2 AND created_at < ?3 AND auth_req_id IS NOT NULL GROUP BY store, terminal
                UNION ALL SELECT store, terminal, 'landed', count(landed_at) FROM login_requests
                    WHERE created_at >= ?2 AND created_at < ?3 AND auth_req_id IS NOT NULL GROUP BY store, terminal
                UNION ALL SELECT store, terminal, 'completed', count(completed_at) FROM login_requests
                    WHERE created_at >= ?2 AND created_at < ?3 AND auth_req_id IS NOT NULL GROUP BY store, terminal
                UNION ALL SELECT store, terminal, 'mismatch', sum(CASE WHEN phone_mismatch THEN 1 ELSE 0 END) FROM login_requests
                    WHERE created_at >= ?2 AND created_at < ?3 GROUP BY store, terminal
            ) AS funnel WHERE value > 0
            """, arguments)
        // Step durations as histograms.
        let dialect = database.dialect
        for (step, from, to) in [
            ("confirm", "created_at", "confirmed_at"), ("land", "confirmed_at", "landed_at"), ("complete", "landed_at", "completed_at"),
        ] {
            try database.execute(
                """
                INSERT INTO stats_daily (day, store, terminal, metric, value)
                SELECT ?1, store, coalesce(terminal, ''), 'duration:\(step):' || bucket, count(*) FROM (
                    SELECT store, terminal, CASE
                        WHEN d < 60 THEN d WHEN d < 300 THEN (d / 5) * 5 ELSE \(dialect.least("(d / 30) * 30", "3600")) END AS bucket
                    FROM (SELECT store, terminal, \(dialect.wholeSeconds("\(to) - \(from)")) AS d FROM login_requests
                          WHERE created_at >= ?2 AND created_at < ?3 AND \(to) IS NOT NULL AND \(from) IS NOT NULL) AS durations) AS buckets
                GROUP BY store, terminal, bucket
                """, arguments)
        }
        // Welcome offers redeemed, by the day and the store of the sale.
        try database.execute(
            """
            INSERT INTO stats_daily (day, store, terminal, metric, value)
            SELECT ?1, coalesce(redeemed_store, ''), '', 'redeemed', count(*) FROM welcome_offers
            WHERE redeemed_at >= ?2 AND redeemed_at < ?3 GROUP BY redeemed_store
            """, arguments)
        try database.execute(
            """
            INSERT INTO stats_daily (day, store, terminal, metric, value)
            SELECT ?1, coalesce(first_store, ''), '', 'signups', count(*) FROM members WHERE created_at >= ?2 AND created_at < ?3 GROUP BY first_store
            """, arguments)
        try database.execute(
            """
            INSERT INTO stats_daily (day, store, terminal, metric, value)
            SELECT ?1, store, '', 'logins', count(*) FROM login_requests WHERE confirmed_at >= ?2 AND confirmed_at < ?3 GROUP BY store
            """, arguments)
        try database.execute(
            """
            INSERT INTO stats_daily (day, store, terminal, metric, value)
            SELECT ?1, coalesce(m.first_store, ''), '', 'consent:' || c.consent_id || ':asked', count(*) FROM member_consents c
            JOIN members m ON m.sub = c.member_sub WHERE m.created_at >= ?2 AND m.created_at < ?3 GROUP BY m.first_store, c.consent_id
            """, arguments)
        try database.execute(
            """
            INSERT INTO stats_daily (day, store, terminal, metric, value)
            SELECT ?1, coalesce(m.first_store, ''), '', 'consent:' || c.consent_id || ':accepted', sum(CASE WHEN c.accepted THEN 1 ELSE 0 END) FROM member_consents c
            JOIN members m ON m.sub = c.member_sub WHERE m.created_at >= ?2 AND m.created_at < ?3 GROUP BY m.first_store, c.consent_id
            """, arguments)
        try database.execute(
            """
            INSERT INTO stats_daily (day, store, terminal, metric, value)
            SELECT ?1, coalesce(m.first_store, ''), '', 'revocations', count(DISTINCT c.member_sub) FROM member_consents c
            JOIN members m ON m.sub = c.member_sub WHERE c.revoked_reported_at >= ?2 AND c.revoked_reported_at < ?3 GROUP BY m.first_store
            """, arguments)
        try database.execute(
            """
            INSERT INTO stats_daily (day, store, terminal, metric, value)
            SELECT ?1, coalesce(m.first_store, ''), '',
                CASE WHEN \(database.dialect.jsonText("q.definition", key: "type")) IN \(Self.countedByValue) THEN 'answer:' || a.question || '=' || a.value
                     ELSE 'answered:' || a.question END AS metric,
                count(*)
            FROM members m JOIN answers a ON a.member_sub = m.sub LEFT JOIN preference_questions q ON q.id = a.question
            WHERE m.created_at >= ?2 AND m.created_at < ?3
              AND a.answered_at = (SELECT max(answered_at) FROM answers WHERE member_sub = a.member_sub AND question = a.question)
            GROUP BY 2, metric
            """, arguments)
    }
}

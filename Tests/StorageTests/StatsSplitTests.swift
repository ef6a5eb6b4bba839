import Foundation
import Testing

@testable import Storage

@Suite("Statistics ranges: whole months from the monthly rollups, the ends from the daily ones")
struct StatsSplitTests {
    @Test(
        "a range splits into its leading days, whole months and trailing days",
        arguments: [
            ("2026-01-15", "2026-04-10", ("2026-01-15", "2026-01-31"), ("2026-02", "2026-03"), ("2026-04-01", "2026-04-10")),
            ("2026-01-01", "2026-03-31", ("9", "0"), ("2026-01", "2026-03"), ("9", "0")),
            ("2026-11-03", "2026-12-02", ("2026-11-03", "2026-12-02"), ("9", "0"), ("9", "0")),
            ("2026-02-01", "2026-02-28", ("9", "0"), ("2026-02", "2026-02"), ("9", "0")),
            ("2025-12-03", "2026-12-02", ("2025-12-03", "2025-12-31"), ("2026-01", "2026-11"), ("2026-12-01", "2026-12-02")),
        ] as [(String, String, (String, String), (String, String), (String, String))])
    func split(first: String, last: String, head: (String, String), months: (String, String), tail: (String, String)) {
        let parts = StatsRollup.split(first: first, last: last)
        #expect(parts.head.first == head.0 && parts.head.last == head.1)
        #expect(parts.months.first == months.0 && parts.months.last == months.1)
        #expect(parts.tail.first == tail.0 && parts.tail.last == tail.1)
    }

    @Test("a year read through the monthly rollups counts exactly what its days count")
    func monthsAgreeWithDays() async throws {
        try await TemporaryDirectory.withEachPool { pool, _ in
            let now = Date(timeIntervalSince1970: 1_796_000_000)  // November 2026
            try await DemoData(pool: pool).seed(members: 400, now: now)
            let stats = StatsStore(pool: pool)
            // Whole days: a range covers the day of `from` to the day before `to`.
            let today = StatsRollup.dayStart(now).addingTimeInterval(86400)
            let from = today.addingTimeInterval(-366 * 86400)
            let year = try await stats.stats(from: from, to: today, store: nil, now: now)
            // The same year as twelve ranges too short to hold a whole month: days only.
            var firstVisits = 0
            var started = 0
            var day = from
            while day < today {
                let end = min(today, day.addingTimeInterval(27 * 86400))
                let part = try await stats.stats(from: day, to: end, store: nil, now: now)
                firstVisits += part.firstVisits
                started += part.funnel.reduce(0) { $0 + $1.started }
                day = end
            }
            #expect(year.firstVisits == firstVisits && year.firstVisits > 300)
            #expect(year.funnel.reduce(0) { $0 + $1.started } == started)
        }
    }
}

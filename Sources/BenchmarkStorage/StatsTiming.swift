import Foundation
import Storage

/// Times `StatsStore.stats` as the statistics page calls it: the last 30 days, a quarter and a year, for
/// all stores and for one, ten runs each after a warm-up. `location`: a SQLite file or postgres://….
enum StatsTiming {
    static func run(path location: String) async throws {
        let pool = try DatabaseLocation(location).open()
        let stats = StatsStore(pool: pool)
        let members = try await pool.read { try $0.scalar("SELECT count(*) FROM members", as: Int.self) ?? 0 }
        let now = Date()
        print("members: \(members)")
        let ranges: [(String, Double, String?)] = [
            ("30 days, all stores", 30, nil), ("30 days, oslo-1", 30, "oslo-1"), ("a quarter, all stores", 91, nil),
            ("a quarter, oslo-1", 91, "oslo-1"), ("365 days, all stores", 365, nil), ("365 days, oslo-1", 365, "oslo-1"),
        ]
        for (name, days, store) in ranges {
            var timings: [Double] = []
            for run in 0..<11 {
                let start = Date()
                let result = try await stats.stats(from: now.addingTimeInterval(-days * 86400), to: now, store: store)
                if run > 0 { timings.append(Date().timeIntervalSince(start) * 1000) }
                if run == 0 { print("  \(name): \(result.firstVisits) signups, \(result.funnel.count) funnel rows") }
            }
            timings.sort()
            print(String(format: "  %@: p50 %.0f ms, max %.0f ms", name, timings[timings.count / 2], timings.last!))
        }
    }
}

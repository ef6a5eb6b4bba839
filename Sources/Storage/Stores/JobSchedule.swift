import Foundation

/// When each periodic job last ran, in the database: with several instances on one database a job
/// (the retention purge) runs once per period for the site, whichever instance gets there first.
public struct JobSchedule: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// True (and the run recorded) when `job` last ran at least `period` seconds before `now`, or never:
    /// the caller runs it. Writes are one at a time across instances, so two never both get true.
    public func claim(_ job: String, every period: TimeInterval, now: Date = Date()) async throws -> Bool {
        try await pool.write { database in
            let last = try database.scalar("SELECT last_run FROM job_runs WHERE name = ?", [job], as: Double.self)
            if let last, now.timeIntervalSince1970 - last < period, now.timeIntervalSince1970 >= last { return false }
            try database.execute(
                "INSERT INTO job_runs (name, last_run) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET last_run = excluded.last_run",
                [job, now])
            return true
        }
    }
}

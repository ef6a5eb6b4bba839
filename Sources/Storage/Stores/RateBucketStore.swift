import Foundation

/// Rate limits' token buckets in the database, for instances that share one: a limit then holds for
/// the site, not once per instance. (One instance alone keeps its buckets in memory.)
public struct RateBucketStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// Takes a token from `key`'s bucket (`capacity` tokens, refilled at `refillPerSecond`); nil when
    /// allowed, else the seconds until the next token. One write: buckets of every instance in turn.
    public func take(_ key: String, capacity: Double, refillPerSecond: Double, now: Date = Date()) async throws -> Int? {
        let time = now.timeIntervalSince1970
        return try await pool.write { database in
            let bucket = try database.queryFirst("SELECT tokens, updated FROM rate_buckets WHERE key = ?", [key]) { row in
                (tokens: try row[0] as Double, updated: try row[1] as Double)
            }
            var tokens = min(capacity, (bucket?.tokens ?? capacity) + max(0, time - (bucket?.updated ?? time)) * refillPerSecond)
            var wait: Int?
            if tokens >= 1 {
                tokens -= 1
            } else {
                wait = max(1, Int(((1 - tokens) / refillPerSecond).rounded(.up)))
            }
            try database.execute(
                """
                INSERT INTO rate_buckets (key, tokens, updated) VALUES (?, ?, ?)
                ON CONFLICT (key) DO UPDATE SET tokens = excluded.tokens, updated = excluded.updated
                """, [key, tokens, time])
            return wait
        }
    }

    /// Drops `key`'s bucket.
    public func forget(_ key: String) async throws {
        try await pool.write { database in try database.execute("DELETE FROM rate_buckets WHERE key = ?", [key]) }
    }

    /// Drops buckets untouched since `time`: full again by then, they mean the same as none.
    @discardableResult
    public func purge(untouchedSince time: Date) async throws -> Int {
        try await pool.write { database in
            try database.execute("DELETE FROM rate_buckets WHERE updated < ?", [time])
            return database.changes
        }
    }
}

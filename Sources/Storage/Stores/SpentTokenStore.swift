import Foundation

/// Tokens that may be used once (a browser login's `state`), by hash: the first `spend` wins, across
/// every instance on the database; later ones are refused. A row lives until the token would have
/// expired anyway, then `purge` drops it.
public struct SpentTokenStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// True for the first spend of `hash`; false when it was spent before.
    public func spend(_ hash: String, until expiry: Date) async throws -> Bool {
        try await pool.write { database in
            try database.execute("INSERT INTO spent_tokens (hash, expires_at) VALUES (?, ?) ON CONFLICT (hash) DO NOTHING", [hash, expiry])
            return database.changes > 0
        }
    }

    /// Drops the tokens expired by `time`: a cookie that carried one no longer opens.
    @discardableResult
    public func purge(expiredBy time: Date = Date()) async throws -> Int {
        try await pool.write { database in
            try database.execute("DELETE FROM spent_tokens WHERE expires_at < ?", [time])
            return database.changes
        }
    }
}

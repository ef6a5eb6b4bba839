import Foundation

/// Secrets the server makes for itself (the key that seals cookies), one per name, made once per
/// database: every instance on the same database reads the same one.
public struct ServerSecretStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// The secret called `name`; `candidate` is stored when there is none yet (the first start wins).
    public func secret(named name: String, orStore candidate: Data, at time: Date = Date()) async throws -> Data {
        try await pool.write { database in
            try database.execute(
                "INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING",
                [name, candidate, time])
            return try database.scalar("SELECT value FROM server_secrets WHERE name = ?", [name], as: Data.self) ?? candidate
        }
    }
}

import Foundation

/// One generation of a server secret: its value and from when it is the one to use.
public struct SecretGeneration: Sendable, Equatable {
    public var value: Data
    public var activeFrom: Date
}

/// Secrets the server makes for itself (the key that seals cookies), made once per database: every
/// instance on the same database reads the same ones. A secret can be rotated: each rotation adds a
/// generation (`name@<milliseconds>`) that becomes the one to use at its `activeFrom`, and the older
/// ones are kept for as long as something sealed with them may still be presented.
public struct ServerSecretStore: Sendable {
    let pool: any DatabasePool

    public init(pool: any DatabasePool) { self.pool = pool }

    /// Every generation of `name`, newest first; `candidate` is stored as the first when there is none
    /// (the first start on a database wins).
    public func generations(of name: String, orStore candidate: Data, at time: Date = Date()) async throws -> [SecretGeneration] {
        try await pool.write { database in
            if try Self.generations(of: name, in: database).isEmpty {
                try database.execute(
                    "INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?) ON CONFLICT (name) DO NOTHING", [name, candidate, time])
            }
            return try Self.generations(of: name, in: database)
        }
    }

    /// Every generation of `name`, newest first (for instances that pick up a rotation while running).
    public func generations(of name: String) async throws -> [SecretGeneration] {
        try await pool.read { database in try Self.generations(of: name, in: database) }
    }

    /// Adds a generation of `name` that becomes the one to use at `activeFrom`, and forgets the
    /// generations that were superseded before `forgetSupersededBefore` (nothing sealed with them can
    /// still be valid). Returns how many generations are kept.
    @discardableResult
    public func rotate(_ name: String, to value: Data, activeFrom: Date, forgetSupersededBefore cutoff: Date) async throws -> Int {
        try await pool.write { database in
            let generation = name + "@" + String(Int64((activeFrom.timeIntervalSince1970 * 1000).rounded()))
            try database.execute("INSERT INTO server_secrets (name, value, created_at) VALUES (?, ?, ?)", [generation, value, activeFrom])
            let rows = try database.query(
                "SELECT name, created_at FROM server_secrets WHERE name = ? OR name LIKE ? ORDER BY created_at DESC", [name, name + "@%"]
            ) { (try $0[0] as String, try $0[1] as Date) }
            // A generation is superseded when the next newer one became active.
            var kept = 0
            for (index, row) in rows.enumerated() {
                if index > 0, rows[index - 1].1 < cutoff {
                    try database.execute("DELETE FROM server_secrets WHERE name = ?", [row.0])
                } else {
                    kept += 1
                }
            }
            return kept
        }
    }

    static func generations(of name: String, in database: any Database) throws -> [SecretGeneration] {
        try database.query(
            "SELECT value, created_at FROM server_secrets WHERE name = ? OR name LIKE ? ORDER BY created_at DESC", [name, name + "@%"]
        ) { SecretGeneration(value: try $0[0], activeFrom: try $0[1]) }
    }
}

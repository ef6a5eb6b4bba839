/// One numbered step of the schema. Versions start at 1 and increase by one; each runs in its own
/// transaction together with the `PRAGMA user_version` that records it.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    public let sql: String

    public init(version: Int, name: String, sql: String) {
        self.version = version
        self.name = name
        self.sql = sql
    }
}

/// Brings a database up to the newest migration, and refuses one written by a newer version.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        precondition(migrations.enumerated().allSatisfy { $0.element.version == $0.offset + 1 }, "migrations must be numbered 1, 2, 3, …")
        self.migrations = migrations
    }

    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies every migration above the database's `user_version`, in order, and returns the versions applied.
    @discardableResult
    public func migrate(_ database: Database) throws -> [Int] {
        let current = try version(of: database)
        guard current <= latestVersion else {
            throw StorageError.databaseFromNewerVersion(found: current, supported: latestVersion)
        }
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            try database.transaction(.immediate) { database in
                // Re-read inside the lock: another process may have migrated since.
                guard try version(of: database) < migration.version else { return }
                try database.execute(script: migration.sql)
                try database.execute(script: "PRAGMA user_version = \(migration.version)")
                applied.append(migration.version)
            }
        }
        return applied
    }

    public func version(of database: Database) throws -> Int {
        try database.scalar("PRAGMA user_version", as: Int.self) ?? 0
    }
}

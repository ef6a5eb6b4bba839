/// One numbered step of the schema, in each engine's SQL. Versions start at 1 and increase by one;
/// each runs in its own transaction together with the record of its version.
public struct Migration: Sendable {
    public let version: Int
    public let name: String
    /// The step in SQLite's SQL.
    public let sql: String
    /// The step in PostgreSQL's SQL; nil for the steps before PostgreSQL was supported, which its
    /// first migration (the schema as of then) already holds.
    public let postgres: String?

    public init(version: Int, name: String, sql: String, postgres: String? = nil) {
        self.version = version
        self.name = name
        self.sql = sql
        self.postgres = postgres
    }

    func sql(for engine: SQLDialect.Engine) -> String? {
        engine == .sqlite ? sql : postgres
    }
}

/// Brings a database up to the newest migration, and refuses one written by a newer version. On
/// SQLite the version is `PRAGMA user_version`; on PostgreSQL a one-row table, read and written under
/// a transaction-scoped advisory lock, so two instances starting at once migrate once.
public struct Migrator: Sendable {
    public let migrations: [Migration]

    public init(migrations: [Migration]) {
        precondition(migrations.enumerated().allSatisfy { $0.element.version == $0.offset + 1 }, "migrations must be numbered 1, 2, 3, …")
        self.migrations = migrations
    }

    public var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Applies every migration above the database's version, in order, and returns the versions applied.
    @discardableResult
    public func migrate(_ database: any Database) throws -> [Int] {
        let engine = database.dialect.engine
        if engine == .postgres {
            try database.execute("CREATE TABLE IF NOT EXISTS velkommen_schema (id integer PRIMARY KEY CHECK (id = 1), version integer NOT NULL)")
        }
        let current = try version(of: database)
        guard current <= latestVersion else {
            throw StorageError.databaseFromNewerVersion(found: current, supported: latestVersion)
        }
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            try database.transaction(.write) { database in
                // Re-read inside the lock: another process may have migrated since.
                guard try version(of: database) < migration.version else { return }
                if let sql = migration.sql(for: engine), !sql.isEmpty { try database.execute(script: sql) }
                try record(migration.version, in: database)
                applied.append(migration.version)
            }
        }
        return applied
    }

    public func version(of database: any Database) throws -> Int {
        switch database.dialect.engine {
        case .sqlite: return try Self.sqliteVersion(of: database)
        case .postgres: return try database.scalar("SELECT version FROM velkommen_schema WHERE id = 1", as: Int.self) ?? 0
        }
    }

    static func sqliteVersion(of database: any Database) throws -> Int {
        try database.scalar("PRAGMA user_version", as: Int.self) ?? 0
    }

    private func record(_ version: Int, in database: any Database) throws {
        switch database.dialect.engine {
        case .sqlite:
            try database.execute(script: "PRAGMA user_version = \(version)")
        case .postgres:
            try database.execute(
                "INSERT INTO velkommen_schema (id, version) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET version = excluded.version", [version])
        }
    }
}

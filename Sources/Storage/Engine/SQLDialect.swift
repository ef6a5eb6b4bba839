/// The few places where SQLite's and PostgreSQL's SQL differ for what the stores ask. Everything else
/// (`ON CONFLICT … DO UPDATE`, `RETURNING`, row values, `coalesce`, window functions) is written once.
public struct SQLDialect: Sendable, Equatable {
    public enum Engine: String, Sendable { case sqlite, postgres }
    public let engine: Engine

    public static let sqlite = SQLDialect(engine: .sqlite)
    public static let postgres = SQLDialect(engine: .postgres)

    /// Starts a write transaction holding the write lock: SQLite's `IMMEDIATE`; on PostgreSQL a
    /// transaction-scoped advisory lock, so writes from every instance run one at a time exactly as
    /// on SQLite (the stores' read-then-write steps rely on it; docs/decisions.md).
    public var beginWrite: [String] {
        switch engine {
        case .sqlite: return ["BEGIN IMMEDIATE"]
        case .postgres: return ["BEGIN", "SELECT pg_advisory_xact_lock(\(Self.writeLockKey))"]
        }
    }

    /// Starts a read transaction: one snapshot for every query in it.
    public var beginRead: [String] {
        switch engine {
        case .sqlite: return ["BEGIN DEFERRED"]
        case .postgres: return ["BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"]
        }
    }

    /// The text at `key` of a JSON object held in a text column.
    public func jsonText(_ column: String, key: String) -> String {
        switch engine {
        case .sqlite: return "json_extract(\(column), '$.\(key)')"
        case .postgres: return "(\(column)::json ->> '\(key)')"
        }
    }

    /// The UTC day ("2026-12-03") of a time stored as seconds since 1970.
    public func utcDay(_ column: String) -> String {
        switch engine {
        case .sqlite: return "date(\(column), 'unixepoch')"
        case .postgres: return "to_char(to_timestamp(\(column)) AT TIME ZONE 'UTC', 'YYYY-MM-DD')"
        }
    }

    /// The smaller of two numbers (SQLite's two-argument `min`, PostgreSQL's `least`).
    public func least(_ first: String, _ second: String) -> String {
        engine == .sqlite ? "min(\(first), \(second))" : "least(\(first), \(second))"
    }

    /// A duration in seconds as a whole number, cut toward zero (PostgreSQL's cast would round).
    public func wholeSeconds(_ expression: String) -> String {
        engine == .sqlite ? "CAST(\(expression) AS INTEGER)" : "CAST(trunc(\(expression)) AS bigint)"
    }

    /// The advisory lock every PostgreSQL write transaction takes ("velk" in ASCII).
    static let writeLockKey: Int64 = 0x7665_6C6B
}

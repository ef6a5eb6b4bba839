/// A failure reported by the database engine, with the engine's code, its message and the SQL that
/// caused it (the way GRDB's `DatabaseError` carries them), so a log line or a test can say exactly
/// what went wrong; `kind` is what the stores and the app decide on, the same for every engine.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable, Equatable {
        case uniqueViolation
        /// Another constraint: a foreign key, NOT NULL, CHECK, or a trigger refusing the change.
        case constraintViolation
        /// Another writer holds the lock past the busy timeout, or the engine chose this transaction
        /// to abort (a deadlock, a serialization failure).
        case busy
        /// Full, read-only, failing I/O, out of memory, unreachable.
        case unavailable
        case other
    }

    public let kind: Kind
    /// The engine's own code, for example `SQLITE_CONSTRAINT_UNIQUE (2067)` or `SQLSTATE 23505`.
    public let code: String
    public let message: String
    public let sql: String?

    public init(kind: Kind, code: String, message: String, sql: String? = nil) {
        self.kind = kind
        self.code = code
        self.message = message
        self.sql = sql
    }

    public var isConstraintViolation: Bool { kind == .constraintViolation || kind == .uniqueViolation }
    public var isUniqueViolation: Bool { kind == .uniqueViolation }
    public var isBusy: Bool { kind == .busy }
    /// The database cannot take the request now: a 503, not a bug.
    public var isUnavailable: Bool { kind == .busy || kind == .unavailable }

    public var description: String {
        if let sql { return "database error \(code): \(message) — in: \(sql)" }
        return "database error \(code): \(message)"
    }
}

/// Failures of the storage layer that are not the engine's own.
public enum StorageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The database was written by a newer Velkommen: opening it could corrupt data the newer schema relies on.
    case databaseFromNewerVersion(found: Int, supported: Int)
    /// A column was NULL where the code reads a value.
    case unexpectedNull(column: String)
    /// A column held a value that does not convert to the type read (a text date that does not parse, say).
    case unexpectedValue(column: String, expected: String)
    /// The database location names no engine this build knows.
    case unknownLocation(String)

    public var description: String {
        switch self {
        case .databaseFromNewerVersion(let found, let supported):
            return
                "the database has schema version \(found), but this velkommen knows versions up to \(supported); use a newer velkommen or restore a backup"
        case .unexpectedNull(let column):
            return "column \(column) is NULL where a value is required"
        case .unexpectedValue(let column, let expected):
            return "column \(column) does not hold \(expected)"
        case .unknownLocation(let location):
            return "the database \"\(location)\" is neither a file path, sqlite:PATH nor postgres://…"
        }
    }
}

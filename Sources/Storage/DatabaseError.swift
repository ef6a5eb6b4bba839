import CSQLite

/// A failure reported by SQLite, with its result code, its message and the SQL that caused it
/// (the way GRDB's `DatabaseError` carries them), so a log line or a test can say exactly what went wrong.
public struct DatabaseError: Error, CustomStringConvertible, Sendable {
    /// SQLite's extended result code, for example 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    public let extendedCode: Int32
    public let message: String
    public let sql: String?

    /// The primary result code (the low byte), for example 19 (`SQLITE_CONSTRAINT`).
    public var code: Int32 { extendedCode & 0xFF }

    public init(extendedCode: Int32, message: String, sql: String? = nil) {
        self.extendedCode = extendedCode
        self.message = message
        self.sql = sql
    }

    public var isConstraintViolation: Bool { code == SQLITE_CONSTRAINT }
    public var isUniqueViolation: Bool { extendedCode == Self.constraintUnique || extendedCode == Self.constraintPrimaryKey }
    public var isBusy: Bool { code == SQLITE_BUSY || code == SQLITE_LOCKED }
    /// The database cannot take the request now (busy, full, read-only, failing I/O): a 503, not a bug.
    public var isUnavailable: Bool {
        isBusy || [SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_NOMEM].contains(code)
    }

    // SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY are C macro expressions, which Swift does not import.
    static let constraintUnique: Int32 = SQLITE_CONSTRAINT | (8 << 8)
    static let constraintPrimaryKey: Int32 = SQLITE_CONSTRAINT | (6 << 8)

    public var description: String {
        let name = String(cString: sqlite3_errstr(extendedCode))
        if let sql { return "SQLite error \(extendedCode) (\(name)): \(message) — in: \(sql)" }
        return "SQLite error \(extendedCode) (\(name)): \(message)"
    }
}

/// Failures of the storage layer that are not SQLite's own.
public enum StorageError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file was written by a newer Velkommen: opening it could corrupt data the newer schema relies on.
    case databaseFromNewerVersion(found: Int, supported: Int)
    /// A column was NULL where the code reads a value.
    case unexpectedNull(column: String)
    /// A column held a value that does not convert to the type read (a text date that does not parse, say).
    case unexpectedValue(column: String, expected: String)

    public var description: String {
        switch self {
        case .databaseFromNewerVersion(let found, let supported):
            return "the database has schema version \(found), but this velkommen knows versions up to \(supported); use a newer velkommen or restore a backup"
        case .unexpectedNull(let column):
            return "column \(column) is NULL where a value is required"
        case .unexpectedValue(let column, let expected):
            return "column \(column) does not hold \(expected)"
        }
    }
}

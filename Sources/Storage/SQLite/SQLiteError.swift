import CSQLite

extension DatabaseError {
    /// SQLite's extended result code as a `DatabaseError`, for example 2067 (`SQLITE_CONSTRAINT_UNIQUE`).
    init(sqlite extendedCode: Int32, message: String, sql: String? = nil) {
        let name = String(cString: sqlite3_errstr(extendedCode))
        self.init(kind: Self.kind(sqlite: extendedCode), code: "\(name) (\(extendedCode))", message: message, sql: sql)
    }

    static func kind(sqlite extendedCode: Int32) -> Kind {
        // SQLITE_CONSTRAINT_UNIQUE and _PRIMARYKEY are C macro expressions, which Swift does not import.
        if extendedCode == SQLITE_CONSTRAINT | (8 << 8) || extendedCode == SQLITE_CONSTRAINT | (6 << 8) { return .uniqueViolation }
        switch extendedCode & 0xFF {
        case SQLITE_CONSTRAINT: return .constraintViolation
        case SQLITE_BUSY, SQLITE_LOCKED: return .busy
        case SQLITE_FULL, SQLITE_READONLY, SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_NOMEM: return .unavailable
        default: return .other
        }
    }
}

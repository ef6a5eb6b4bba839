import CSQLite
import Foundation

/// SQLite's `SQLITE_TRANSIENT`: a C macro Swift cannot import. It tells SQLite to copy bound text and
/// blobs, so the Swift buffers may go away as soon as the bind returns.
private let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

/// One prepared SQLite statement. Owns its `sqlite3_stmt` and finalizes it; used on its connection's queue only.
final class SQLiteStatement: SQLParameterSink, SQLRowSource {
    private let handle: OpaquePointer
    private let connection: OpaquePointer
    /// The SQL, kept for error messages.
    let sql: String

    init(connection: OpaquePointer, sql: String) throws {
        var handle: OpaquePointer?
        let code = sqlite3_prepare_v3(connection, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &handle, nil)
        guard code == SQLITE_OK, let handle else {
            throw DatabaseError(sqlite: sqlite3_extended_errcode(connection), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
        }
        self.handle = handle
        self.connection = connection
        self.sql = sql
    }

    deinit { sqlite3_finalize(handle) }

    /// How many `?` parameters the statement takes.
    var parameterCount: Int32 { sqlite3_bind_parameter_count(handle) }

    /// Binds `arguments` to the parameters in order; the count must match, so a forgotten argument
    /// is an error rather than a silent NULL.
    func bind(_ arguments: [any SQLBindable]) throws {
        guard arguments.count == Int(parameterCount) else {
            throw DatabaseError(sqlite: SQLITE_RANGE, message: "\(arguments.count) arguments for \(parameterCount) parameters", sql: sql)
        }
        for (offset, argument) in arguments.enumerated() {
            try argument.bind(to: self, at: Int32(offset + 1))
        }
    }

    /// Advances to the next row: true when a row is ready, false when the statement is done.
    func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default: throw lastError()
        }
    }

    /// Rows SQLite stepped through in full-table scans since the statement was prepared: above zero,
    /// the statement's cost grows with its table.
    var fullScanSteps: Int { Int(sqlite3_stmt_status(handle, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0)) }

    /// Makes the statement ready to run again, with its bindings cleared.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Binding

    public func bindInteger(_ value: Int64, at index: Int32) throws { try check(sqlite3_bind_int64(handle, index, value)) }
    public func bindReal(_ value: Double, at index: Int32) throws { try check(sqlite3_bind_double(handle, index, value)) }
    public func bindNull(at index: Int32) throws { try check(sqlite3_bind_null(handle, index)) }

    public func bindText(_ value: String, at index: Int32) throws {
        var value = value
        let code = value.withUTF8 { utf8 -> Int32 in
            guard let base = utf8.baseAddress else { return sqlite3_bind_text(handle, index, "", 0, transient) }
            return sqlite3_bind_text(handle, index, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(utf8.count), transient)
        }
        try check(code)
    }

    public func bindBlob(_ value: Data, at index: Int32) throws {
        let code = value.withUnsafeBytes { bytes in
            // A NULL pointer would bind NULL; an empty blob must stay an empty blob.
            sqlite3_bind_blob(handle, index, bytes.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(bytes.count), transient)
        }
        try check(code)
    }

    // MARK: Reading

    var columnCount: Int32 { sqlite3_column_count(handle) }
    func columnName(_ column: Int32) -> String { String(cString: sqlite3_column_name(handle, column)) }
    func columnIsNull(_ column: Int32) -> Bool { sqlite3_column_type(handle, column) == SQLITE_NULL }
    func columnInteger(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    func columnReal(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    func columnText(_ column: Int32) -> String {
        guard let text = sqlite3_column_text(handle, column) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, column))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    func columnBlob(_ column: Int32) -> Data {
        // The pointer must be fetched before the byte count (SQLite's documented order).
        guard let bytes = sqlite3_column_blob(handle, column) else { return Data() }
        return Data(bytes: bytes, count: Int(sqlite3_column_bytes(handle, column)))
    }

    // MARK: Errors

    private func check(_ code: Int32) throws {
        guard code == SQLITE_OK else { throw lastError() }
    }

    private func lastError() -> DatabaseError {
        DatabaseError(sqlite: sqlite3_extended_errcode(connection), message: String(cString: sqlite3_errmsg(connection)), sql: sql)
    }
}

import CSQLite
import Foundation

/// One SQLite connection. Owns its `sqlite3*` and closes it; not thread-safe by design: a
/// `SQLitePool` confines each connection to one serial queue, and every call happens there.
public final class SQLiteConnection: Database {
    /// How the connection is used: the pool's single writer, one of its readers, or the one that copies
    /// the write-ahead log back into the database (`WALCheckpointer`).
    public enum Role: Sendable { case writer, reader, checkpointer }

    private let handle: OpaquePointer
    private var cache: [String: SQLiteStatement] = [:]
    /// Kept alive by the connection whose commits report to it (SQLite holds only a raw pointer).
    private var checkpointer: WALCheckpointer?
    public let path: String

    /// Opens (creating when `role` is `.writer`) the database at `path` with WAL, `foreign_keys=ON`,
    /// `synchronous=NORMAL` (a commit survives a crash of the process; an fsync per commit would
    /// cost 10x, docs/decisions.md) and a busy timeout.
    public init(path: String, role: Role = .writer, busyTimeoutMilliseconds: Int32 = 5000) throws {
        var flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        if role == .writer { flags |= SQLITE_OPEN_CREATE }
        var handle: OpaquePointer?
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_close_v2(handle)
            throw DatabaseError(sqlite: code, message: "\(message): \(path)")
        }
        self.handle = handle
        self.path = path
        sqlite3_busy_timeout(handle, busyTimeoutMilliseconds)
        if role == .writer {
            try execute(script: "PRAGMA journal_mode=WAL")
        }
        try execute(script: "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON")
        if role == .reader {
            try execute(script: "PRAGMA query_only=ON")
        }
    }

    deinit {
        cache.removeAll()
        sqlite3_close_v2(handle)
    }

    // MARK: Running SQL

    /// Runs one or more statements without arguments (migrations, pragmas).
    public func execute(script sql: String) throws {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        defer { sqlite3_free(message) }
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
            throw DatabaseError(sqlite: sqlite3_extended_errcode(handle), message: text, sql: sql)
        }
    }

    public var dialect: SQLDialect { .sqlite }

    /// Steps through every row when `limit` is 0 (a statement run for its effect), else stops after
    /// `limit` rows: SQLite makes all of a RETURNING statement's changes at the first step.
    public func rows<T>(_ sql: String, _ arguments: [any SQLBindable], limit: Int, _ map: (Row) throws -> T) throws -> [T] {
        try withStatement(sql, arguments) { statement in
            var results: [T] = []
            while try statement.step() {
                guard limit > 0 else { continue }
                results.append(try map(Row(source: statement)))
                if results.count == limit { break }
            }
            return results
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    /// Runs `body` with the cached prepared statement for `sql`, bound to `arguments`, and resets it after.
    /// Preparing costs more than most of the queries here, so each connection keeps its statements.
    func withStatement<T>(_ sql: String, _ arguments: [any SQLBindable], _ body: (SQLiteStatement) throws -> T) throws -> T {
        let statement = try cachedStatement(sql)
        defer { statement.reset() }
        try statement.bind(arguments)
        return try body(statement)
    }

    private func cachedStatement(_ sql: String) throws -> SQLiteStatement {
        if let statement = cache[sql] { return statement }
        let statement = try SQLiteStatement(connection: handle, sql: sql)
        cache[sql] = statement
        return statement
    }

    /// The SQL of this connection's statements that have scanned a whole table, so a test can tell that
    /// a path searches by index (on a small database a scan is as fast, and nothing else would show it).
    public var statementsThatScanned: [String] { cache.filter { $0.value.fullScanSteps > 0 }.map(\.key).sorted() }

    // MARK: Transactions

    /// True outside a transaction.
    public var isAutocommit: Bool { sqlite3_get_autocommit(handle) != 0 }

    // MARK: Checkpoints

    /// Hands this connection's checkpoints to `checkpointer`: each commit reports the log's size to it,
    /// and checkpoints in the commit only when it says so (SQLite's own checkpoint-in-commit is replaced:
    /// a WAL hook is the one place SQLite reports a commit's log size).
    func checkpointInBackground(_ checkpointer: WALCheckpointer) {
        self.checkpointer = checkpointer
        sqlite3_wal_hook(
            handle,
            { context, handle, _, pages in
                guard let context else { return SQLITE_OK }
                if Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(logPages: pages) {
                    // SQLite's own default does the same here; a busy or failing checkpoint leaves the
                    // commit as it is and is tried again by the next one.
                    SQLiteConnection.checkpointPassively(handle)
                }
                return SQLITE_OK
            }, Unmanaged.passUnretained(checkpointer).toOpaque())
    }

    /// Copies what it can of the write-ahead log into the database file without waiting for anyone
    /// (`SQLITE_CHECKPOINT_PASSIVE`). Returns false when SQLite reported an error (busy, a full disk).
    @discardableResult
    func checkpointPassively() -> Bool { Self.checkpointPassively(handle) }

    /// The same on a raw handle: the WAL hook is a C callback and has no `self`.
    @discardableResult
    private static func checkpointPassively(_ handle: OpaquePointer?) -> Bool {
        sqlite3_wal_checkpoint_v2(handle, nil, SQLITE_CHECKPOINT_PASSIVE, nil, nil) == SQLITE_OK
    }

    // MARK: Backup

    /// Copies this database into a new file at `destination` with SQLite's online backup API: the copy is
    /// one consistent snapshot even while other connections write. The file appears under its name only
    /// when complete.
    public func backup(to destination: String) throws {
        let partial = destination + ".partial"
        unlink(partial)
        var target: OpaquePointer?
        guard sqlite3_open_v2(partial, &target, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nil) == SQLITE_OK, let target else {
            let message = target.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
            sqlite3_close_v2(target)
            throw DatabaseError(sqlite: SQLITE_CANTOPEN, message: "\(message): \(partial)")
        }
        defer { sqlite3_close_v2(target) }
        guard let backup = sqlite3_backup_init(target, "main", handle, "main") else {
            throw DatabaseError(sqlite: sqlite3_extended_errcode(target), message: String(cString: sqlite3_errmsg(target)))
        }
        // All pages in one step: a single read transaction on the source, so the copy is one snapshot
        // and, in WAL mode, the server's writer is never held up.
        let step = sqlite3_backup_step(backup, -1)
        let finish = sqlite3_backup_finish(backup)
        guard step == SQLITE_DONE, finish == SQLITE_OK else {
            unlink(partial)
            throw DatabaseError(sqlite: step == SQLITE_DONE ? finish : step, message: String(cString: sqlite3_errmsg(target)))
        }
        guard rename(partial, destination) == 0 else {
            throw DatabaseError(sqlite: SQLITE_IOERR, message: "cannot rename \(partial) to \(destination): errno \(errno)")
        }
    }
}

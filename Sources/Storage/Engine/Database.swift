/// One connection to the database, whichever engine is behind it (SQLite or PostgreSQL). The stores
/// write their SQL once, against this: `?` parameters, `ON CONFLICT`, `RETURNING`, and the few
/// expressions that differ between engines through `dialect`. Not thread-safe: a pool confines each
/// connection to one serial queue, and every call happens there.
public protocol Database: AnyObject {
    /// What differs between engines in SQL text.
    var dialect: SQLDialect { get }

    /// Runs one or more statements without arguments (migrations, pragmas).
    func execute(script sql: String) throws

    /// Runs one statement and maps the rows it returns, at most `limit` of them (the rest are not
    /// read); none come from INSERT, UPDATE or DELETE without RETURNING.
    func rows<T>(_ sql: String, _ arguments: [any SQLBindable], limit: Int, _ map: (Row) throws -> T) throws -> [T]

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { get }

    /// True outside a transaction, and after the engine rolled one back on its own.
    var isAutocommit: Bool { get }
}

extension Database {
    /// Runs one statement that returns no rows (INSERT, UPDATE, DELETE).
    public func execute(_ sql: String, _ arguments: [any SQLBindable] = []) throws {
        _ = try rows(sql, arguments, limit: 0) { _ in () }
    }

    /// Runs statements that return no rows, in order. PostgreSQL gets them as one script: one round trip
    /// instead of one each. SQLite runs each from the statement cache (a script would be prepared anew).
    public func execute(together statements: [String]) throws {
        switch dialect.engine {
        case .postgres: try execute(script: statements.joined(separator: "; "))
        case .sqlite: for statement in statements { try execute(statement) }
        }
    }

    /// Runs a query and maps each row.
    public func query<T>(_ sql: String, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> [T] {
        try rows(sql, arguments, limit: .max, map)
    }

    /// Runs a query and maps its first row, if any.
    public func queryFirst<T>(_ sql: String, _ arguments: [any SQLBindable] = [], _ map: (Row) throws -> T) throws -> T? {
        try rows(sql, arguments, limit: 1, map).first
    }

    /// The first column of the first row; nil when there is no row or the value is NULL.
    public func scalar<T: SQLReadable>(_ sql: String, _ arguments: [any SQLBindable] = [], as type: T.Type = T.self) throws -> T? {
        try queryFirst(sql, arguments) { row in try T?(row: row, column: 0) } ?? nil
    }

    /// Runs `body` in a transaction: committed when it returns, rolled back when it throws. A write
    /// transaction takes the engine's write lock at its start (`SQLDialect.beginWrite`), so two writers
    /// queue at BEGIN instead of one failing halfway through.
    public func transaction<T>(_ kind: TransactionKind = .write, _ body: (any Database) throws -> T) throws -> T {
        try execute(together: kind == .write ? dialect.beginWrite : dialect.beginRead)
        do {
            let result = try body(self)
            try execute("COMMIT")
            return result
        } catch {
            // After some errors (a full disk, a lost connection) the engine has already rolled back.
            if !isAutocommit { try? execute("ROLLBACK") }
            throw error
        }
    }
}

/// Whether a transaction writes (and so takes the write lock at BEGIN) or only reads a snapshot.
public enum TransactionKind: Sendable { case read, write }

import CPostgres
import Foundation

/// One PostgreSQL connection through libpq. Owns its `PGconn*` and closes it; not thread-safe: a
/// `PostgresPool` confines each connection to one serial queue, where libpq's blocking calls are fine
/// (no event loop runs there). Statements are prepared once per connection (`?` becomes `$n`), run
/// with text parameters whose types the server infers from the SQL, and return text results.
public final class PostgresConnection: Database {
    private let handle: OpaquePointer
    private var prepared: [String: String] = [:]
    public private(set) var changes = 0
    /// A transaction was begun on this session and not yet ended: if the session is lost meanwhile, the
    /// statements after must fail, not run on a new session outside the transaction.
    private var transactionOpen = false
    public var dialect: SQLDialect { .postgres }

    /// Connects to `url` (`postgres://user:password@host:port/database?…`, as libpq reads it).
    public init(url: String) throws {
        guard let handle = PQconnectdb(url) else {
            throw DatabaseError(kind: .unavailable, code: "libpq", message: "out of memory connecting to PostgreSQL")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = Self.message(PQerrorMessage(handle))
            PQfinish(handle)
            throw DatabaseError(
                kind: .unavailable, code: "connection", message: "cannot connect to PostgreSQL at \(PostgresLocation.redacted(url)): \(message)")
        }
        self.handle = handle
        // Notices ("relation already exists, skipping") would go to stderr; they say nothing an operator needs.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        try execute(script: "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'")
    }

    deinit { PQfinish(handle) }

    public func execute(script sql: String) throws {
        try retryingStart(sql) {
            let result = PQexec(handle, sql)
            defer { PQclear(result) }
            try check(result, sql: sql)
        }
    }

    public func rows<T>(_ sql: String, _ arguments: [any SQLBindable], limit: Int, _ map: (Row) throws -> T) throws -> [T] {
        try retryingStart(sql) { try run(sql, arguments, limit: limit, map) }
    }

    /// Runs `body`; when the connection turns out to be lost at the start of a transaction (nothing of it
    /// was sent before), reconnects and runs it once more. Anything later fails to the caller: a
    /// statement that may have been applied is never sent twice.
    private func retryingStart<T>(_ sql: String, _ body: () throws -> T) throws -> T {
        let starts = sql.hasPrefix("BEGIN")
        let ends = sql == "COMMIT" || sql == "ROLLBACK"
        if starts { transactionOpen = false }
        try reconnectIfLost()
        do {
            let result = try body()
            if starts { transactionOpen = true } else if ends { transactionOpen = false }
            return result
        } catch let error as DatabaseError where starts && error.code == "connection" {
            try reconnectIfLost()
            let result = try body()
            transactionOpen = true
            return result
        } catch {
            if ends { transactionOpen = false }
            throw error
        }
    }

    private func run<T>(_ sql: String, _ arguments: [any SQLBindable], limit: Int, _ map: (Row) throws -> T) throws -> [T] {
        let name = try statementName(for: sql)
        let parameters = PostgresParameters(count: arguments.count)
        for (offset, argument) in arguments.enumerated() { try argument.bind(to: parameters, at: Int32(offset + 1)) }
        let result = parameters.withCValues { values in
            PQexecPrepared(handle, name, Int32(arguments.count), values, nil, nil, 0)
        }
        defer { PQclear(result) }
        try check(result, sql: sql)
        changes = Int(String(cString: PQcmdTuples(result))) ?? 0
        let source = PostgresRow(result: result!)
        var mapped: [T] = []
        let count = min(Int(PQntuples(result)), limit)
        mapped.reserveCapacity(count)
        for index in 0..<count {
            source.row = Int32(index)
            mapped.append(try map(Row(source: source)))
        }
        return mapped
    }

    /// True outside a transaction; a connection whose server went away holds no transaction either.
    public var isAutocommit: Bool {
        let status = PQtransactionStatus(handle)
        return status == PQTRANS_IDLE || status == PQTRANS_UNKNOWN
    }

    // MARK: Statements

    private func statementName(for sql: String) throws -> String {
        if let name = prepared[sql] { return name }
        let name = "velkommen_\(prepared.count + 1)"
        let translated = PostgresPlaceholders.translate(sql)
        let result = PQprepare(handle, name, translated, 0, nil)
        defer { PQclear(result) }
        try check(result, sql: sql)
        prepared[sql] = name
        return name
    }

    /// A server restart or a failover closes the connection: outside a transaction, reconnect (the
    /// prepared statements went with the old session). Inside one, the error reaches the caller.
    private func reconnectIfLost() throws {
        guard PQstatus(handle) == CONNECTION_BAD else { return }
        guard !transactionOpen else {
            throw DatabaseError(kind: .unavailable, code: "connection", message: "the connection to PostgreSQL was lost in a transaction")
        }
        PQreset(handle)
        prepared.removeAll()
        guard PQstatus(handle) == CONNECTION_OK else {
            throw DatabaseError(kind: .unavailable, code: "connection", message: "PostgreSQL is unreachable: \(Self.message(PQerrorMessage(handle)))")
        }
        _ = PQexec(handle, "SET client_encoding = 'UTF8'; SET TIME ZONE 'UTC'").map { PQclear($0) }
    }

    // MARK: Errors

    private func check(_ result: OpaquePointer?, sql: String) throws {
        guard let result else {
            throw DatabaseError(kind: .unavailable, code: "connection", message: Self.message(PQerrorMessage(handle)), sql: sql)
        }
        switch PQresultStatus(result) {
        case PGRES_COMMAND_OK, PGRES_TUPLES_OK, PGRES_EMPTY_QUERY:
            return
        default:
            let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) }
            // The primary message only: PostgreSQL's DETAIL can quote the row's values (a key, a phone
            // number), and an error may reach a log line.
            let message = Self.message(PQresultErrorField(result, Int32(UInt8(ascii: "M"))) ?? PQresultErrorMessage(result))
            guard let state else {
                // No SQLSTATE: libpq's own failure, which is the connection's.
                throw DatabaseError(kind: .unavailable, code: "connection", message: message, sql: sql)
            }
            throw DatabaseError(kind: Self.kind(sqlState: state), code: "SQLSTATE \(state)", message: message, sql: sql)
        }
    }

    /// What an SQLSTATE means for the stores and the app.
    static func kind(sqlState state: String) -> DatabaseError.Kind {
        if state == "23505" { return .uniqueViolation }
        // P0001 is a trigger's RAISE EXCEPTION: the append-only rules, like SQLite's RAISE(ABORT).
        if state.hasPrefix("23") || state == "P0001" { return .constraintViolation }
        if ["40001", "40P01", "55P03", "57014"].contains(state) { return .busy }
        if state.hasPrefix("08") || state.hasPrefix("53") || state.hasPrefix("57P") || state.hasPrefix("58") || state == "25006" {
            return .unavailable
        }
        return .other
    }

    private static func message(_ text: UnsafePointer<CChar>?) -> String {
        text.map { String(cString: $0).trimmingCharacters(in: .whitespacesAndNewlines) } ?? "unknown error"
    }
}

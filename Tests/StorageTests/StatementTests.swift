import Foundation
import Storage
import Testing

@Suite("Statements: binding, reading, errors, transactions")
struct StatementTests {
    private func database() throws -> (any Database, TemporaryDirectory) {
        let directory = try TemporaryDirectory()
        let database = try SQLiteConnection(path: directory.file("s.sqlite"))
        try database.execute(script: "CREATE TABLE t (i INTEGER, r REAL, s TEXT, b BLOB, d REAL, f INTEGER, n TEXT)")
        return (database, directory)
    }

    @Test("every type binds and reads back unchanged")
    func roundTrip() throws {
        let (database, directory) = try database()
        defer { directory.remove() }
        let date = Date(timeIntervalSince1970: 1_764_000_000.125)
        let text = "Blåbær «smil» 😀 \u{0}end"
        let blob = Data([0, 1, 2, 255, 0])
        try database.execute("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?, ?)", [Int.max, -0.5, text, blob, date, true, String?.none])
        let row = try #require(
            try database.queryFirst("SELECT i, r, s, b, d, f, n FROM t") { row in
                (
                    try row[0] as Int, try row[1] as Double, try row[2] as String, try row[3] as Data, try row[4] as Date,
                    try row[5] as Bool, try row[6] as String?
                )
            })
        #expect(row.0 == Int.max)
        #expect(row.1 == -0.5)
        #expect(row.2 == text)
        #expect(row.3 == blob)
        #expect(abs(row.4.timeIntervalSince(date)) < 0.000_001)
        #expect(row.5 == true)
        #expect(row.6 == nil)
    }

    @Test("an empty string and an empty blob stay empty, not NULL")
    func emptyValues() throws {
        let (database, directory) = try database()
        defer { directory.remove() }
        try database.execute("INSERT INTO t (s, b) VALUES (?, ?)", ["", Data()])
        #expect(try database.scalar("SELECT s IS NOT NULL AND b IS NOT NULL FROM t", as: Bool.self) == true)
        #expect(try database.scalar("SELECT length(b) FROM t", as: Int.self) == 0)
    }

    @Test("Int64 and false round-trip, and NULL reads as nil into an optional")
    func moreTypes() throws {
        let (database, directory) = try database()
        defer { directory.remove() }
        try database.execute("INSERT INTO t (i, f, d) VALUES (?, ?, ?)", [Int64.min, false, Date?.none])
        let values = try database.queryFirst("SELECT i, f, d FROM t") { row in
            (try row[0] as Int64, try row[1] as Bool, try row[2] as Date?)
        }
        #expect(values?.0 == Int64.min)
        #expect(values?.1 == false)
        #expect(values?.2 == nil)
    }

    @Test("reading NULL into a non-optional names the column")
    func nullIntoValue() throws {
        let (database, directory) = try database()
        defer { directory.remove() }
        try database.execute("INSERT INTO t (n) VALUES (NULL)")
        #expect(throws: StorageError.unexpectedNull(column: "n")) {
            _ = try database.queryFirst("SELECT n FROM t") { row in try row[0] as String }
        }
    }

    @Test("a syntax error carries SQLite's code, message and the SQL")
    func syntaxError() throws {
        let (database, directory) = try database()
        defer { directory.remove() }
        let error = try #require(throws: DatabaseError.self) { try database.execute("SELEC 1") }
        #expect(error.code == "SQL logic error (1)")
        #expect(error.message.contains("syntax error"))
        #expect(error.sql == "SELEC 1")
    }

    @Test("a unique violation is reported as one")
    func uniqueViolation() throws {
        let (database, directory) = try database()
        defer { directory.remove() }
        try database.execute(script: "CREATE TABLE u (k TEXT PRIMARY KEY)")
        try database.execute("INSERT INTO u VALUES (?)", ["a"])
        let error = try #require(throws: DatabaseError.self) { try database.execute("INSERT INTO u VALUES (?)", ["a"]) }
        #expect(error.isUniqueViolation)
        #expect(error.code.hasPrefix("constraint failed"))
    }

    @Test("too few or too many arguments are an error, not a silent NULL")
    func argumentCount() throws {
        let (database, directory) = try database()
        defer { directory.remove() }
        #expect(throws: DatabaseError.self) { try database.execute("INSERT INTO t (i, s) VALUES (?, ?)", [1]) }
        #expect(throws: DatabaseError.self) { try database.execute("INSERT INTO t (i) VALUES (?)", [1, 2]) }
        #expect(try database.scalar("SELECT count(*) FROM t", as: Int.self) == 0)
    }

    @Test("a transaction that throws is rolled back, and the connection stays usable")
    func rollback() throws {
        let (database, directory) = try database()
        defer { directory.remove() }
        struct Abort: Error {}
        #expect(throws: Abort.self) {
            try database.transaction { database in
                try database.execute("INSERT INTO t (i) VALUES (?)", [1])
                throw Abort()
            }
        }
        #expect(database.isAutocommit)
        try database.transaction { database in try database.execute("INSERT INTO t (i) VALUES (?)", [2]) }
        #expect(try database.query("SELECT i FROM t") { try $0[0] as Int } == [2])
    }

    @Test("a cached statement runs again with new arguments")
    func statementReuse() throws {
        let (database, directory) = try database()
        defer { directory.remove() }
        for value in 1...100 { try database.execute("INSERT INTO t (i) VALUES (?)", [value]) }
        #expect(try database.scalar("SELECT sum(i) FROM t", as: Int.self) == 5050)
        #expect(try database.query("SELECT i FROM t WHERE i > ? ORDER BY i", [98]) { try $0[0] as Int } == [99, 100])
    }
}

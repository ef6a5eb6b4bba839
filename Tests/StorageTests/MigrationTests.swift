import Foundation
import Storage
import Testing

@Suite("Migrations")
struct MigrationTests {
    private let first = Migration(version: 1, name: "notes", sql: "CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT NOT NULL)")
    private let second = Migration(version: 2, name: "note authors", sql: "ALTER TABLE notes ADD COLUMN author TEXT NOT NULL DEFAULT 'unknown'")

    @Test("a fresh database gets the whole schema and the latest version")
    func fresh() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteConnection(path: directory.file("fresh.sqlite"))
        let migrator = Migrator(migrations: Schema.migrations)
        #expect(try migrator.migrate(database) == Schema.migrations.map(\.version))
        #expect(try migrator.version(of: database) == migrator.latestVersion)
        let tables = try database.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") { try $0[0] as String }
        for table in [
            "members", "login_requests", "consent_receipts", "sessions", "browser_logins", "member_consents", "answers", "pages", "page_revisions",
            "funnel_events", "staff", "api_keys",
        ] {
            #expect(tables.contains(table), "missing table \(table)")
        }
        #expect(try migrator.migrate(database) == [], "a second start applies nothing")
    }

    @Test("an older database is upgraded step by step and keeps its data")
    func upgrade() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("old.sqlite")
        do {
            let database = try SQLiteConnection(path: path)
            try Migrator(migrations: [first]).migrate(database)
            try database.execute("INSERT INTO notes (text) VALUES (?)", ["kept"])
        }
        let database = try SQLiteConnection(path: path)
        #expect(try Migrator(migrations: [first, second]).migrate(database) == [2])
        let row = try database.queryFirst("SELECT text, author FROM notes") { (try $0[0] as String, try $0[1] as String) }
        #expect(row?.0 == "kept")
        #expect(row?.1 == "unknown")
    }

    @Test("a database from a newer version is refused with a clear message")
    func newer() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("new.sqlite")
        try Migrator(migrations: [first, second]).migrate(try SQLiteConnection(path: path))
        let error = try #require(throws: StorageError.self) { try Migrator(migrations: [first]).migrate(try SQLiteConnection(path: path)) }
        #expect(error == .databaseFromNewerVersion(found: 2, supported: 1))
        #expect("\(error)".contains("newer velkommen"))
        #expect(throws: StorageError.self) { try SQLitePool(path: path, migrations: [first]) }
    }

    @Test("a migration that fails leaves the database at the version before it")
    func failing() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let database = try SQLiteConnection(path: directory.file("failing.sqlite"))
        let broken = Migration(version: 2, name: "broken", sql: "CREATE TABLE half (x); CREATE TABLE notes (dup)")
        #expect(throws: DatabaseError.self) { try Migrator(migrations: [first, broken]).migrate(database) }
        #expect(try Migrator(migrations: [first]).version(of: database) == 1)
        #expect(try database.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'half'", as: Int.self) == 0)
    }
}

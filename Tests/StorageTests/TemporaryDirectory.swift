import Foundation
import Storage
import StorageTestSupport

/// A fresh folder under the system's temporary directory, removed by `remove()`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("velkommen-storage-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { path + "/" + name }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// Runs `body` with a pool on a new database in a new folder, and removes the folder after.
    static func withPool<T>(readerCount: Int = 2, _ body: (SQLitePool, TemporaryDirectory) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let pool = try SQLitePool(path: directory.file("test.sqlite"), readerCount: readerCount)
        return try await body(pool, directory)
    }

    /// Runs `body` once per engine this run can test (`TestDatabases.engines`), each on a new database.
    static func withEachPool(readerCount: Int = 2, _ body: (any DatabasePool, TestDatabases.Engine) async throws -> Void) async throws {
        for engine in TestDatabases.engines {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            try await TestDatabases.withFreshDatabase(engine, folder: directory.path) { location in
                let pool = try DatabaseLocation(location).open(readerCount: readerCount)
                try await body(pool, engine)
            }
        }
    }

    /// Runs `body` once per engine with the location of a new database (to open several pools on it,
    /// as several instances would).
    static func withEachLocation(_ body: (String, TestDatabases.Engine) async throws -> Void) async throws {
        for engine in TestDatabases.engines {
            let directory = try TemporaryDirectory()
            defer { directory.remove() }
            try await TestDatabases.withFreshDatabase(engine, folder: directory.path) { location in try await body(location, engine) }
        }
    }
}

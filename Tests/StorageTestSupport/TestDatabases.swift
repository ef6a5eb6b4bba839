import Foundation
import Storage

/// The databases a test can run on: always SQLite in a temporary folder, and PostgreSQL when
/// `VELKOMMEN_TEST_POSTGRES` names a server (scripts/test starts one), each test on a database of its
/// own, dropped after.
public enum TestDatabases {
    public enum Engine: String, Sendable, CaseIterable, CustomStringConvertible {
        case sqlite, postgres
        public var description: String { rawValue }
    }

    /// The PostgreSQL server for tests, if any.
    public static var postgresURL: String? {
        ProcessInfo.processInfo.environment["VELKOMMEN_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The engines this run can test: SQLite, and PostgreSQL when a server is named.
    public static var engines: [Engine] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    /// The engine the app tests run on: PostgreSQL when `VELKOMMEN_TEST_ENGINE=postgres` (and a server is
    /// named), else SQLite.
    public static var appEngine: Engine {
        ProcessInfo.processInfo.environment["VELKOMMEN_TEST_ENGINE"] == "postgres" && postgresURL != nil ? .postgres : .sqlite
    }

    /// Runs `body` with the location of a new, empty database on `engine` (a file in `folder` for
    /// SQLite), and removes it after.
    public static func withFreshDatabase<T>(_ engine: Engine, folder: String, _ body: (String) async throws -> T) async throws -> T {
        switch engine {
        case .sqlite:
            return try await body(folder + "/db/velkommen.sqlite")
        case .postgres:
            guard let base = postgresURL else { throw StorageError.unknownLocation("VELKOMMEN_TEST_POSTGRES is not set") }
            let name = "velkommen_test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
            try PostgresConnection(url: base).execute(script: "CREATE DATABASE \(name)")
            let url = String(base[..<(base.lastIndex(of: "/") ?? base.endIndex)]) + "/" + name
            do {
                let result = try await body(url)
                try? PostgresConnection(url: base).execute(script: "DROP DATABASE \(name) WITH (FORCE)")
                return result
            } catch {
                try? PostgresConnection(url: base).execute(script: "DROP DATABASE \(name) WITH (FORCE)")
                throw error
            }
        }
    }
}

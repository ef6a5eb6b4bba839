import Foundation

/// Where the operator keeps the database: a file path or `sqlite:PATH` for SQLite (the embedded
/// default), `postgres://…` for PostgreSQL (several instances on one database).
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case postgres(url: String)

    public init(_ text: String) throws {
        if PostgresLocation.matches(text) {
            self = .postgres(url: text)
        } else if text.hasPrefix("sqlite:") {
            self = .sqlite(path: String(text.dropFirst("sqlite:".count)))
        } else if text.contains("://") || text.isEmpty {
            throw StorageError.unknownLocation(text)
        } else {
            self = .sqlite(path: text)
        }
    }

    /// True when other instances may share the database: then nothing that must hold across them may
    /// live only in this process.
    public var isShared: Bool {
        if case .postgres = self { return true }
        return false
    }

    /// As it may be logged (no password).
    public var description: String {
        switch self {
        case .sqlite(let path): return path
        case .postgres(let url): return PostgresLocation.redacted(url)
        }
    }

    /// A PostgreSQL URL without its password, and the password apart (for PGPASSWORD).
    public static func passwordApart(postgresURL url: String) -> (url: String, password: String?) {
        PostgresLocation.passwordApart(url)
    }

    /// Opens (creating the folder of a SQLite file) and migrates the database.
    public func open(busyTimeoutMilliseconds: Int32 = 5000, readerCount: Int = 2) throws -> any DatabasePool {
        switch self {
        case .sqlite(let path):
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            return try SQLitePool(path: path, readerCount: readerCount, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        case .postgres(let url):
            return try PostgresPool(url: url, readerCount: readerCount)
        }
    }
}

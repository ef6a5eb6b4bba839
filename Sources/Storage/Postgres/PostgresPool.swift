import Foundation

/// The shared database for several instances: PostgreSQL, one writer connection and a few readers per
/// instance, each confined to its own serial dispatch queue (libpq blocks; the event loops never wait
/// on it). Writes keep SQLite's rules: one at a time, here across every instance, because each write
/// transaction takes one advisory lock first (`SQLDialect.beginWrite`); the writes that queue in this
/// instance meanwhile share the next transaction (group commit, each in a SAVEPOINT), so a batch costs
/// one lock and one commit. Reads run in REPEATABLE READ snapshots.
public final class PostgresPool: DatabasePool {
    private let writer: GroupCommitWriter
    private let readers: ReaderSet<PostgresConnection>
    private let url: String

    /// Connects to `url`, applies `migrations` (under the migration lock, so instances starting together
    /// migrate once; a database from a newer version is refused) and opens `readerCount` readers.
    public init(url: String, migrations: [Migration] = Schema.migrations, readerCount: Int = 2) throws {
        self.url = url
        let writerConnection = try PostgresConnection(url: url)
        try writerConnection.execute(script: "SELECT pg_advisory_lock(\(Self.migrationLockKey))")
        do {
            try Migrator(migrations: migrations).migrate(writerConnection)
            try writerConnection.execute(script: "SELECT pg_advisory_unlock(\(Self.migrationLockKey))")
        } catch {
            try? writerConnection.execute(script: "SELECT pg_advisory_unlock(\(Self.migrationLockKey))")
            throw error
        }
        writer = GroupCommitWriter(writerConnection, label: "velkommen.pg.writer", statistics: writeStatistics)
        var readerConnections: [Confined<PostgresConnection>] = []
        for index in 0..<max(1, readerCount) {
            readerConnections.append(Confined(try PostgresConnection(url: url), label: "velkommen.pg.reader\(index)"))
        }
        readers = ReaderSet(readerConnections)
    }

    public func write<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T {
        try await DatabaseUnavailable.mapping { try await writeStatistics.measure { try await writer.write(body) } }
    }

    public func read<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T {
        let reader = await readers.acquire()
        defer { readers.release(reader) }
        return try await DatabaseUnavailable.mapping { try await reader.run { database in try database.transaction(.read, body) } }
    }

    public func writerConnection<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T {
        try await DatabaseUnavailable.mapping { try await writer.run(body) }
    }

    public func schemaVersion() async throws -> Int {
        try await read { database in try Migrator(migrations: Schema.migrations).version(of: database) }
    }

    public let writeStatistics = WriteStatistics()
    public let memberChanges = MemberChangeFeed()
    public var location: String { PostgresLocation.redacted(url) }

    /// Taken while migrating ("vmig").
    static let migrationLockKey: Int64 = 0x766D_6967
}

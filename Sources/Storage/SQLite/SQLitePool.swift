import Dispatch
import Foundation
import Synchronization

/// The embedded database: one SQLite file, one writer connection and a few readers, each confined to
/// its own serial dispatch queue. Writes run one at a time in `BEGIN IMMEDIATE` transactions; reads
/// run in parallel (WAL lets them see the last commit while a write is under way).
public final class SQLitePool: DatabasePool {
    private let writer: GroupCommitWriter
    private let readers: ReaderSet<SQLiteConnection>
    private let checkpointer: WALCheckpointer
    public let path: String

    /// Opens the database at `path`, applies `migrations` (refusing a database from a newer version) and
    /// opens `readerCount` readers. A write that finds the database locked by another process waits up to
    /// `busyTimeoutMilliseconds`, then fails with SQLITE_BUSY. The write-ahead log is copied back in the
    /// background; a commit checkpoints only when the log reaches `logPagesLimit` (`WALCheckpointer`).
    public init(
        path: String, migrations: [Migration] = Schema.migrations, readerCount: Int = 2, busyTimeoutMilliseconds: Int32 = 5000,
        logPagesLimit: Int32 = WALCheckpointer.defaultLogPagesLimit
    ) throws {
        self.path = path
        let writerConnection = try SQLiteConnection(path: path, role: .writer, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        try Migrator(migrations: migrations).migrate(writerConnection)
        checkpointer = try WALCheckpointer(
            path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, writerTakesOver: logPagesLimit, statistics: writeStatistics)
        writerConnection.checkpointInBackground(checkpointer)
        // A log that grew past the limit (a reader held an old snapshot, a long backup) is cut back to it
        // when it starts over, instead of keeping its largest size on disk.
        let pageSize = try writerConnection.scalar("PRAGMA page_size", as: Int.self) ?? 4096
        try writerConnection.execute(script: "PRAGMA journal_size_limit = \(Int(logPagesLimit) * pageSize)")
        writer = GroupCommitWriter(writerConnection, label: "velkommen.db.writer", statistics: writeStatistics)
        var readerConnections: [Confined<SQLiteConnection>] = []
        for index in 0..<max(1, readerCount) {
            readerConnections.append(
                Confined(
                    try SQLiteConnection(path: path, role: .reader, busyTimeoutMilliseconds: busyTimeoutMilliseconds),
                    label: "velkommen.db.reader\(index)"))
        }
        readers = ReaderSet(readerConnections)
    }

    /// Runs `body` in a write transaction, committed before this returns: once it returns, the write
    /// survives a crash of the process. Writes that arrive while another commits share the next
    /// transaction (group commit), each in its own savepoint: a throwing `body` rolls back only itself.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T {
        try await DatabaseUnavailable.mapping { try await writeStatistics.measure { try await writer.write(body) } }
    }

    /// The write-ahead log's size in pages after the last commit.
    public var logPages: Int { checkpointer.logPages }

    /// The writer's queue depth and write latency, for metrics.
    public let writeStatistics = WriteStatistics()

    /// Runs `body` on the writer without a transaction around it: for a single statement (which SQLite
    /// commits on its own, before this returns), VACUUM or checkpoints.
    public func writerConnection<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T {
        try await DatabaseUnavailable.mapping { try await writer.run(body) }
    }

    /// Runs `body` on a reader, in one read transaction so that its queries see a single snapshot.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T {
        let reader = await readers.acquire()
        defer { readers.release(reader) }
        return try await DatabaseUnavailable.mapping { try await reader.run { database in try database.transaction(.read, body) } }
    }

    public func schemaVersion() async throws -> Int {
        try await read { database in try Migrator.sqliteVersion(of: database) }
    }

    public let memberChanges = MemberChangeFeed()

    public var location: String { path }

    /// Copies the live database to `destination` (see `SQLiteConnection.backup(to:)`), from a reader so that
    /// writes go on meanwhile.
    public func backup(to destination: String) async throws {
        let reader = await readers.acquire()
        defer { readers.release(reader) }
        try await reader.run { database in try database.backup(to: destination) }
    }
}

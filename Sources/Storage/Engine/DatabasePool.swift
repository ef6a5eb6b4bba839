/// The database as the stores use it, whichever engine is behind it: writes one at a time in
/// transactions that are committed before the call returns, reads on their own connections. No
/// call blocks the caller's thread: the work hops to a connection's queue and the caller awaits it,
/// so the HTTP event loops stay free. Engine failures that mean "not now" (busy, full, read-only,
/// unreachable) come out as `DatabaseUnavailable`.
public protocol DatabasePool: Sendable {
    /// Runs `body` in a write transaction, committed before this returns: once it returns, the write
    /// survives a crash of the process. A throwing `body` rolls back only its own writes.
    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T

    /// Runs `body` on a reader, in one read transaction so that its queries see a single snapshot.
    func read<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T

    /// Runs `body` on the writer without a transaction around it: for maintenance (VACUUM, checkpoints).
    func writerConnection<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T

    /// The schema version the database is at.
    func schemaVersion() async throws -> Int

    /// The writer's queue depth and write latency, for metrics.
    var writeStatistics: WriteStatistics { get }

    /// Where members changed: every store that writes a member reports it here after the commit, and
    /// caches of member data listen.
    var memberChanges: MemberChangeFeed { get }

    /// What the operator named, for log lines (a file path, or a PostgreSQL URL without its password).
    var location: String { get }
}

import CSQLite
import Dispatch
import Synchronization

/// Copies the write-ahead log back into the database file on a connection and thread of its own, so that
/// a commit does not wait for a checkpoint. SQLite's default runs the checkpoint inside the commit that
/// takes the log past 1,000 pages, fsyncs and all: that commit, and every write queued behind it on the
/// single writer, waited milliseconds (the write path's p99 was that wait: docs/decisions.md).
///
/// A background checkpoint cannot reset the log while the writer keeps appending to it (SQLite starts the
/// log over only when a write begins with every frame copied back), so the writer itself checkpoints
/// when the log reaches `writerTakesOver` pages: by then the background has copied nearly all of it, and
/// the log starts over. The log stays bounded; what a commit waits for becomes rare and short.
public final class WALCheckpointer: @unchecked Sendable {
    /// SQLite's own threshold: a background checkpoint starts once this many pages were appended since
    /// the last one.
    static let pagesPerCheckpoint: Int32 = 1000
    /// The log size at which the writer checkpoints in its commit, as SQLite would by default.
    let writerTakesOver: Int32
    /// 8,000 pages: 32 MB of log with SQLite's 4 KiB pages.
    public static let defaultLogPagesLimit: Int32 = 8 * pagesPerCheckpoint

    // Safe to share: `connection` is touched only by blocks on `queue`, which runs one at a time.
    private let connection: SQLiteConnection
    private let queue: DispatchQueue
    private let state = Mutex(State())

    private struct State {
        var running = false
        /// The log's size when the last background checkpoint was scheduled: the next one waits for
        /// `pagesPerCheckpoint` more (or for the log to start over, when this is larger than the log).
        var scheduledAt: Int32 = 0
        var logPages: Int32 = 0
    }

    private let statistics: WriteStatistics

    init(path: String, busyTimeoutMilliseconds: Int32, writerTakesOver: Int32, statistics: WriteStatistics) throws {
        self.statistics = statistics
        connection = try SQLiteConnection(path: path, role: .checkpointer, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        queue = DispatchQueue(label: "velkommen.db.checkpointer", qos: .utility)
        self.writerTakesOver = writerTakesOver
    }

    /// The log's size in pages after the last commit (it starts over from 0 after a full checkpoint).
    var logPages: Int { Int(state.withLock { $0.logPages }) }

    /// Called on the writer's thread by every commit, with the log's size in pages. Returns true when the
    /// writer is to checkpoint now, itself.
    func committed(logPages: Int32) -> Bool {
        let (schedule, inline) = state.withLock { state -> (Bool, Bool) in
            state.logPages = logPages
            if logPages < state.scheduledAt { state.scheduledAt = 0 }
            if logPages >= writerTakesOver {
                state.scheduledAt = 0
                return (false, true)
            }
            guard !state.running, logPages >= state.scheduledAt + Self.pagesPerCheckpoint else { return (false, false) }
            state.running = true
            state.scheduledAt = logPages
            return (true, false)
        }
        if schedule { queue.async { self.checkpoint() } }
        if inline { statistics.countCheckpoint(inCommit: true) }
        return inline
    }

    private func checkpoint() {
        // PASSIVE: copies what no reader still needs and never waits for the writer or a reader; an
        // error (a full disk) leaves the log as it is, and the next commit past the threshold tries again.
        connection.checkpointPassively()
        state.withLock { $0.running = false }
        statistics.countCheckpoint(inCommit: false)
    }
}

import Dispatch
import Synchronization

/// The single writer, with group commit: while one transaction commits, the writes that arrive queue
/// up, and the next transaction takes all of them at once, each inside its own SAVEPOINT so that one
/// write's failure rolls back only that write and reaches only its own caller. Every caller is answered
/// only after the COMMIT that holds its write, so an acknowledged write is exactly as durable as one
/// committed alone. A write that arrives to an idle writer starts at once: nothing waits for company.
final class GroupCommitWriter: @unchecked Sendable {
    // Safe to share: `database` is touched only by blocks on `queue`, which runs one at a time.
    private let database: any Database
    private let queue: DispatchQueue
    private let pending = Mutex(Pending())
    private let statistics: WriteStatistics

    private struct Pending {
        var jobs: [WriteJob] = []
        /// A drain is scheduled or running on the queue; new jobs only join the list.
        var draining = false
    }

    /// The most writes one transaction takes: a bound on how long the first of them waits for the commit.
    static let maxBatch = 256

    init(_ database: any Database, label: String, statistics: WriteStatistics) {
        self.database = database
        self.statistics = statistics
        queue = DispatchQueue(label: label, qos: .userInitiated)
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T {
        // Unsafe (unchecked) continuation: resumed exactly once, by `finish` after the batch's commit.
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T, Error>) in
            let job = TypedWriteJob(body: body, continuation: continuation)
            let schedule = pending.withLock { state -> Bool in
                state.jobs.append(job)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if schedule { queue.async { self.drain() } }
        }
    }

    /// Runs outside any transaction, between batches (VACUUM, checkpoints, a lone autocommit statement).
    func run<T: Sendable>(_ body: @escaping @Sendable (any Database) throws -> T) async throws -> T {
        try await withUnsafeThrowingContinuation { (continuation: UnsafeContinuation<T, Error>) in
            queue.async { continuation.resume(with: Result { try body(self.database) }) }
        }
    }

    /// One batch per turn of the queue, so that `run` blocks queued meanwhile get their turn.
    private func drain() {
        let batch = pending.withLock { state -> [WriteJob] in
            let batch = Array(state.jobs.prefix(Self.maxBatch))
            state.jobs.removeFirst(batch.count)
            if batch.isEmpty { state.draining = false }
            return batch
        }
        guard !batch.isEmpty else { return }
        commit(batch)
        queue.async { self.drain() }
    }

    private func commit(_ batch: [WriteJob]) {
        statistics.countTransaction()
        if batch.count == 1 {
            // Alone: exactly the transaction it would have had without group commit, no savepoint.
            let job = batch[0]
            do {
                try database.transaction(.write) { try job.execute($0) }
                job.finish(nil)
            } catch {
                job.finish(error)
            }
            return
        }
        var done: [WriteJob] = []
        var failed: [(WriteJob, any Error)] = []
        // `open`: a transaction is open with the savepoint set; `fresh`: nothing has run since the
        // savepoint was set (after BEGIN, or after a rollback to it, which keeps it set).
        var open = false
        var fresh = false
        /// The engine rolled the whole transaction back, or the savepoints can no longer be trusted:
        /// the writes before this one are gone too, and their callers must hear it.
        func abandon(_ error: any Error) {
            if !database.isAutocommit { try? database.execute("ROLLBACK") }
            failed += done.map { ($0, error) }
            done = []
            open = false
        }
        for job in batch {
            do {
                // Statements sent together: on PostgreSQL one round trip for the transaction's start and
                // one between two writes, instead of one per statement.
                if !open {
                    try database.execute(together: database.dialect.beginWrite + ["SAVEPOINT velkommen_write"])
                    open = true
                } else if !fresh {
                    try database.execute(together: ["RELEASE velkommen_write", "SAVEPOINT velkommen_write"])
                }
                fresh = false
            } catch {
                failed.append((job, error))
                abandon(error)
                continue
            }
            do {
                try job.execute(database)
                done.append(job)
            } catch {
                failed.append((job, error))
                if database.isAutocommit {
                    abandon(error)
                    continue
                }
                do {
                    // The savepoint stays set after a rollback to it: the next write runs inside it.
                    try database.execute("ROLLBACK TO velkommen_write")
                    fresh = true
                } catch {
                    // Without the rollback this write's half would be committed with the others.
                    abandon(error)
                }
            }
        }
        if open {
            do {
                // COMMIT releases the last savepoint with the transaction.
                try database.execute("COMMIT")
            } catch {
                abandon(error)
            }
        }
        // Every caller wakes from here, after the commit that holds (or lost) its write.
        for job in done { job.finish(nil) }
        for (job, error) in failed { job.finish(error) }
    }
}

/// A queued write, its type erased so that one batch can hold writes of any result type.
class WriteJob: @unchecked Sendable {
    func execute(_ database: any Database) throws { fatalError("abstract") }
    func finish(_ error: (any Error)?) { fatalError("abstract") }
}

/// Safe to share: touched first by the caller (creation), then only on the writer's queue.
final class TypedWriteJob<T: Sendable>: WriteJob, @unchecked Sendable {
    private let body: @Sendable (any Database) throws -> T
    private let continuation: UnsafeContinuation<T, Error>
    private var result: T?

    init(body: @escaping @Sendable (any Database) throws -> T, continuation: UnsafeContinuation<T, Error>) {
        self.body = body
        self.continuation = continuation
    }

    override func execute(_ database: any Database) throws { result = try body(database) }

    override func finish(_ error: (any Error)?) {
        if let error { continuation.resume(throwing: error) } else { continuation.resume(returning: result!) }
    }
}

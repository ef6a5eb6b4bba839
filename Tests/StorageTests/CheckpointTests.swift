import Foundation
import Storage
import Testing

@Suite("Checkpoints: the write-ahead log is copied back in the background, not in a commit")
struct CheckpointTests {
    /// Writes `count` transactions of 20 answers of 1 KB each: about 6 pages of log per transaction.
    static func write(_ count: Int, to pool: SQLitePool, from start: Int = 0) async throws {
        let value = String(repeating: "x", count: 1000)
        for number in start..<(start + count) {
            try await pool.write { database in
                for part in 0..<20 {
                    try AnswerStore.record(sub: "m", question: "q\(number)-\(part)", value: value, at: Date(), in: database)
                }
            }
        }
    }

    @Test("past 1,000 pages of log a checkpoint runs on its own connection, and no commit waits for one")
    func inTheBackground() async throws {
        try await TemporaryDirectory.withPool { pool, _ in
            _ = try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "m"), store: nil)
            // Past 1,000 pages, short of the limit where the writer would take over.
            var written = 0
            while pool.logPages < 1100 {
                try await Self.write(10, to: pool, from: written)
                written += 10
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while pool.writeStatistics.checkpoints.background == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
            #expect(pool.writeStatistics.checkpoints.background >= 1)
            #expect(pool.writeStatistics.checkpoints.inCommit == 0, "SQLite's default would have checkpointed in the commit past 1,000 pages")
            let stored = try await pool.read { try $0.scalar("SELECT count(*) FROM answers", as: Int.self) }
            #expect(stored == written * 20)
        }
    }

    @Test("a log the background cannot reset (a reader holds an old snapshot) is checkpointed by the writer at the limit, and then starts over")
    func boundedLog() async throws {
        try await TemporaryDirectory.withPool { pool, directory in
            _ = try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "m"), store: nil)
            // A reader in another connection holds a snapshot open: no checkpoint can copy past it, so
            // the log grows; the pool's own limit here is 1,500 pages (a small database for a test).
            let path = directory.file("test.sqlite")
            let limited = try SQLitePool(path: path, logPagesLimit: 1500)
            let reader = try SQLiteConnection(path: path, role: .reader)
            try reader.execute(script: "BEGIN")
            _ = try reader.scalar("SELECT count(*) FROM members", as: Int.self)
            try await Self.write(300, to: limited)
            #expect(limited.writeStatistics.checkpoints.inCommit >= 1, "the writer took over at the limit")
            try reader.execute(script: "COMMIT")
            // With the reader gone, the writer's next checkpoint copies everything, and the log starts
            // over from its beginning: it does not grow past the limit however much is written.
            try await Self.write(900, to: limited, from: 300)
            // (A margin for the commits that go by while the background holds the checkpoint lock.)
            #expect(limited.logPages <= 1500 + 500, "log of \(limited.logPages) pages")
            let fileSize = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(fileSize <= 2000 * 4096, "the log file was cut back to the limit when it started over: \(fileSize) bytes")
            let stored = try await limited.read { try $0.scalar("SELECT count(*) FROM answers", as: Int.self) }
            #expect(stored == 1200 * 20)
        }
    }
}

import Foundation
import Storage
import Testing

@Suite("Database pool: one writer, parallel readers")
struct DatabasePoolTests {
    @Test("the pool opens in WAL mode with foreign keys on")
    func pragmas() async throws {
        try await TemporaryDirectory.withPool { pool, _ in
            let journalMode = try await pool.writerConnection { try $0.scalar("PRAGMA journal_mode", as: String.self) }
            let foreignKeys = try await pool.read { try $0.scalar("PRAGMA foreign_keys", as: Bool.self) }
            let synchronous = try await pool.writerConnection { try $0.scalar("PRAGMA synchronous", as: Int.self) }
            #expect(journalMode == "wal")
            #expect(foreignKeys == true)
            #expect(synchronous == 1, "NORMAL")
        }
    }

    @Test("a reader sees the last commit while a write transaction is still open")
    func readDuringWrite() async throws {
        try await TemporaryDirectory.withPool { pool, _ in
            try await pool.write {
                try $0.execute(script: "CREATE TABLE c (n INTEGER)")
                try $0.execute("INSERT INTO c VALUES (1)")
            }
            let inside = DispatchSemaphore(value: 0)
            let release = DispatchSemaphore(value: 0)
            let write = Task {
                try await pool.write { database in
                    try database.execute("UPDATE c SET n = 2")
                    inside.signal()
                    release.wait()
                }
            }
            await withCheckedContinuation { continuation in
                DispatchQueue.global().async {
                    inside.wait()
                    continuation.resume()
                }
            }
            // The writer holds its transaction open; the read must neither wait nor see the uncommitted 2.
            let during = try await pool.read { try $0.scalar("SELECT n FROM c", as: Int.self) }
            release.signal()
            try await write.value
            let after = try await pool.read { try $0.scalar("SELECT n FROM c", as: Int.self) }
            #expect(during == 1)
            #expect(after == 2)
        }
    }

    @Test("many concurrent writes are serialised, none lost")
    func concurrentWrites() async throws {
        try await TemporaryDirectory.withPool { pool, _ in
            try await pool.write { try $0.execute(script: "CREATE TABLE w (n INTEGER)") }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for number in 1...200 {
                    group.addTask { try await pool.write { try $0.execute("INSERT INTO w VALUES (?)", [number]) } }
                }
                try await group.waitForAll()
            }
            let count = try await pool.read { try $0.scalar("SELECT count(*) FROM w", as: Int.self) }
            #expect(count == 200)
        }
    }

    @Test("more concurrent reads than readers all complete")
    func readerQueueing() async throws {
        try await TemporaryDirectory.withPool(readerCount: 2) { pool, _ in
            let sums = try await withThrowingTaskGroup(of: Int.self) { group in
                for number in 1...50 {
                    group.addTask { try await pool.read { try $0.scalar("SELECT ?", [number], as: Int.self) ?? 0 } }
                }
                return try await group.reduce(0, +)
            }
            #expect(sums == 1275)
        }
    }

    @Test("a reader cannot write")
    func readersAreReadOnly() async throws {
        _ = try await TemporaryDirectory.withPool { pool, _ in
            await #expect(throws: DatabaseUnavailable.self) {
                try await pool.read { try $0.execute("CREATE TABLE x (y)") }
            }
        }
    }
}

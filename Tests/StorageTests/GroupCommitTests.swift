import Foundation
import Storage
import Testing

@Suite("Group commit: writes that arrive together share a transaction, and fail alone")
struct GroupCommitTests {
    static func pool() throws -> (any DatabasePool, String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("velkommen-group-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let pool = try SQLitePool(path: folder + "/db.sqlite")
        return (pool, folder)
    }

    @Test("hundreds of concurrent writes, every tenth throwing: the others are all committed, the throwers leave nothing")
    func failuresStayAlone() async throws {
        let (pool, folder) = try Self.pool()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        _ = try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "m"), store: nil)
        // Another connection (as another process would) holds the write lock until all 400 writes are
        // in: the writer waits at the first BEGIN IMMEDIATE, the rest queue behind it, whatever the
        // machine's load (without this, on a busy run the writes can arrive one by one).
        let other = try SQLiteConnection(path: folder + "/db.sqlite")
        try other.execute(script: "BEGIN IMMEDIATE")
        let released = Task {
            while pool.writeStatistics.queueDepth < 400 { try await Task.sleep(for: .milliseconds(5)) }
            try other.execute(script: "ROLLBACK")
        }
        let outcomes = await concurrentWrites(400, to: pool) { number, database in
            try AnswerStore.record(sub: "m", question: "q\(number)", value: "v", at: Date(), in: database)
            if number % 10 == 0 { throw Refused() }
        }
        try await released.value
        #expect(outcomes.count == 400)
        // 256 at most per transaction: the first write alone, then two batches for the 399 behind it.
        #expect(pool.writeStatistics.transactions <= 1 + 1 + 2, "writes shared transactions: \(pool.writeStatistics.transactions) for 401 writes")
        #expect(outcomes.allSatisfy { ($0.key % 10 == 0) == !$0.value }, "exactly the throwers failed")
        let stored = try await pool.read { database in
            Set(try database.query("SELECT question FROM answers", [], { try $0[0] as String }))
        }
        #expect(stored == Set((0..<400).filter { $0 % 10 != 0 }.map { "q\($0)" }))
        #expect(try await pool.read { try $0.scalar("PRAGMA integrity_check", as: String.self) } == "ok")
    }

    @Test("a statement error inside a batch (a constraint) reaches only its own caller")
    func constraintStaysAlone() async throws {
        let (pool, folder) = try Self.pool()
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let results = await withTaskGroup(of: Bool.self) { group in
            for number in 0..<100 {
                group.addTask {
                    do {
                        try await pool.write { database in
                            // Every fifth one breaks the foreign key to members.
                            let sub = number % 5 == 0 ? "nobody" : "m\(number)"
                            if number % 5 != 0 { _ = try MemberStore.recordLogin(MemberProfile(sub: sub), store: nil, at: Date(), in: database) }
                            try AnswerStore.record(sub: sub, question: "q", value: "v", at: Date(), in: database)
                        }
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 80)
        #expect(try await pool.read { try $0.scalar("SELECT count(*) FROM members", as: Int.self) } == 80)
        #expect(try await pool.read { try $0.scalar("SELECT count(*) FROM answers", as: Int.self) } == 80)
    }
}

@Suite("Group commit on each engine")
struct GroupCommitEachEngineTests {
    @Test("in a batch, a write that throws after writing and one that breaks a constraint each roll back alone")
    func failuresStayAloneOnEachEngine() async throws {
        try await TemporaryDirectory.withEachPool { pool, engine in
            _ = try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "m"), store: nil)
            let transactionsBefore = pool.writeStatistics.transactions
            let outcomes = await concurrentWrites(300, to: pool) { number, database in
                try AnswerStore.record(sub: "m", question: "q\(number)", value: "v", at: Date(), in: database)
                // Every tenth throws after its insert; every seventh breaks the foreign key
                // (on PostgreSQL that aborts the transaction until the rollback to its savepoint).
                if number % 10 == 0 { throw Refused() }
                if number % 7 == 0 { try AnswerStore.record(sub: "nobody", question: "q", value: "v", at: Date(), in: database) }
            }
            let fails = { (number: Int) in number % 10 == 0 || number % 7 == 0 }
            #expect(outcomes.count == 300)
            #expect(outcomes.allSatisfy { fails($0.key) == !$0.value }, "exactly the failing writes failed on \(engine)")
            #expect(pool.writeStatistics.transactions - transactionsBefore < 300, "writes shared transactions on \(engine)")
            let stored = try await pool.read { database in Set(try database.query("SELECT question FROM answers", [], { try $0[0] as String })) }
            #expect(stored == Set((0..<300).filter { !fails($0) }.map { "q\($0)" }), "on \(engine)")
        }
    }
}

/// A write a test refuses on purpose.
struct Refused: Error {}

/// Runs `count` writes at once, write `number` through `write(number, database)`, and returns by number
/// whether each was acknowledged.
func concurrentWrites(
    _ count: Int, to pool: any DatabasePool, _ write: @escaping @Sendable (Int, any Database) throws -> Void
) async -> [Int: Bool] {
    await withTaskGroup(of: (Int, Bool).self) { group in
        for number in 0..<count {
            group.addTask {
                do {
                    try await pool.write { database in try write(number, database) }
                    return (number, true)
                } catch {
                    return (number, false)
                }
            }
        }
        return await group.reduce(into: [Int: Bool]()) { $0[$1.0] = $1.1 }
    }
}

import Foundation
import Storage
import TestSupport
import Testing

@Suite("Durability and backup")
struct DurabilityTests {
    @Test("every write acknowledged before kill -9 is in the database afterwards")
    func survivesKill() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("crash.sqlite")
        let output = directory.file("probe.out")
        _ = FileManager.default.createFile(atPath: output, contents: nil)
        let process = Process()
        process.executableURL = ServerProcess.executable("StorageCrashProbe")
        process.arguments = [path]
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: output))
        try process.run()

        // Let it acknowledge a good number of writes, then kill it mid-stream, without warning.
        func acknowledged() -> [Int] {
            let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
            // A line counts only when complete: the kill may land halfway through writing one.
            return text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().compactMap { Int($0) }
        }
        let start = ContinuousClock.now
        while acknowledged().count < 3000 && ContinuousClock.now - start < .seconds(30) && process.isRunning {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(process.isRunning)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        let numbers = acknowledged()
        #expect(numbers.count >= 3000)
        let pool = try SQLitePool(path: path)
        let stored = Set(
            try await pool.read { database in
                try database.query("SELECT substr(question, 2) FROM answers WHERE member_sub = 'probe'") { row in Int(try row[0] as String) ?? 0 }
            })
        let lost = numbers.filter { !stored.contains($0) }
        #expect(lost.isEmpty, "acknowledged but lost: \(lost.prefix(10))")
        let integrity = try await pool.read { try $0.scalar("PRAGMA integrity_check", as: String.self) }
        #expect(integrity == "ok")
    }

    @Test("a backup taken while writes go on is a consistent, complete database")
    func backupWhileWriting() async throws {
        try await TemporaryDirectory.withPool { pool, directory in
            let members = MemberStore(pool: pool)
            let answers = AnswerStore(pool: pool)
            try await members.recordLogin(MemberProfile(sub: "b", givenName: "Kari"), store: "oslo-1")
            let writer = Task {
                var written = 0
                while !Task.isCancelled {
                    written += 1
                    // Two rows per transaction: a torn copy would show an odd count.
                    try await answers.record(sub: "b", answers: [(question: "a\(written)", value: "x"), (question: "b\(written)", value: "y")])
                }
                return written
            }
            // Back up only once writes are flowing (under a loaded machine the writer may start late).
            while try await pool.read({ try $0.scalar("SELECT count(*) FROM answers", as: Int.self) ?? 0 }) < 20 {
                try await Task.sleep(for: .milliseconds(10))
            }
            let copy = directory.file("backup.sqlite")
            try await pool.backup(to: copy)
            try await Task.sleep(for: .milliseconds(50))
            writer.cancel()
            let written = try await writer.value

            let backup = try SQLiteConnection(path: copy, role: .reader)
            #expect(try backup.scalar("PRAGMA integrity_check", as: String.self) == "ok")
            let count = try #require(try backup.scalar("SELECT count(*) FROM answers", as: Int.self))
            #expect(count > 0)
            #expect(count % 2 == 0, "only whole transactions are copied")
            #expect(count < written * 2, "the copy is a snapshot; writes went on after it")
            #expect(try backup.scalar("SELECT given_name FROM members WHERE sub = 'b'", as: String.self) == "Kari")
            #expect(!FileManager.default.fileExists(atPath: copy + ".partial"))
        }
    }
}

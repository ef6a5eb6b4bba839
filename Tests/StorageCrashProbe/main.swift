// Writes preference answers one transaction at a time through the real any DatabasePool, and prints the
// number of each answer once its write has returned (is acknowledged). A test kills this process
// with SIGKILL mid-stream and checks that every printed answer is in the database.
// Usage: StorageCrashProbe DATABASE
import Foundation
import Storage

let arguments = CommandLine.arguments
guard arguments.count == 2 else {
    FileHandle.standardError.write(Data("usage: StorageCrashProbe DATABASE\n".utf8))
    exit(2)
}
let pool = try SQLitePool(path: arguments[1])
try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "probe"), store: nil)
let answers = AnswerStore(pool: pool)
FileHandle.standardOutput.write(Data("ready\n".utf8))
var number = 0
while true {
    number += 1
    try await answers.record(sub: "probe", question: "q\(number)", value: "answer \(number)")
    // Unbuffered: the line exists only after the commit, and reaches the test at once.
    FileHandle.standardOutput.write(Data("\(number)\n".utf8))
}

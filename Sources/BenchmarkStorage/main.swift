// velkommen-bench-storage: single-row answer inserts, one transaction each, through the app's real
// write path (AnswerStore over DatabasePool: a hop to the writer queue, group commit, checkpoints in the
// background), against the same SQL on a bare connection, one and K to a commit.
// Usage: velkommen-bench-storage [--count N] [--concurrency C] [--dir DIR]
//        velkommen-bench-storage --stats DATABASE   (times the statistics page's queries, e.g. after seed-demo)
import Foundation
import Storage

struct Options {
    var count = 100_000
    var concurrency = 1
    var directory = FileManager.default.temporaryDirectory.path

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--count": count = Int(iterator.next() ?? "") ?? count
            case "--concurrency": concurrency = max(1, Int(iterator.next() ?? "") ?? concurrency)
            case "--dir": directory = iterator.next() ?? directory
            default:
                print("unknown argument \(argument)")
                exit(2)
            }
        }
    }
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

func report(_ name: String, count: Int, seconds: Double, latencies: [Double], transactions: Int? = nil) {
    let sorted = latencies.sorted()
    // How many commits the inserts took says whether group commit grouped them.
    let grouping = transactions.map { String(format: " in %d transactions (%.1f inserts each)", $0, Double(count) / Double(max(1, $0))) } ?? ""
    let rate = String(format: "%@: %d inserts%@ in %.2f s = %.0f inserts/s", name, count, grouping, seconds, Double(count) / seconds)
    guard !sorted.isEmpty else { return print(rate) }
    let each = String(
        format: "; per insert p50 %.1f µs, p99 %.1f µs, max %.1f ms",
        percentile(sorted, 0.5) * 1e6, percentile(sorted, 0.99) * 1e6, (sorted.last ?? 0) * 1e3)
    print(rate + each)
}

if CommandLine.arguments.count == 3, CommandLine.arguments[1] == "--stats" {
    try await StatsTiming.run(path: CommandLine.arguments[2])
    exit(0)
}

let options = Options(CommandLine.arguments)
let folder = options.directory + "/velkommen-bench-storage-\(getpid())"
try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(atPath: folder) }

// The floor: the same transaction on a bare connection, no queue hop.
do {
    let database = try SQLiteConnection(path: folder + "/raw.sqlite")
    try Migrator(migrations: Schema.migrations).migrate(database)
    _ = try MemberStore.recordLogin(MemberProfile(sub: "bench"), store: nil, at: Date(), in: database)
    var latencies: [Double] = []
    latencies.reserveCapacity(options.count)
    let start = Date()
    for number in 0..<options.count {
        let began = Date()
        try AnswerStore.record(sub: "bench", question: "q\(number)", value: "answer \(number)", at: began, in: database)
        latencies.append(Date().timeIntervalSince(began))
    }
    report("bare connection (floor)", count: options.count, seconds: Date().timeIntervalSince(start), latencies: latencies)
}

// Group commit on this schema and statement layer without the app around it: the same inserts on a bare
// connection, K to a transaction, each in its own savepoint as the writer runs them, with no queue hop and
// no waiting, but with SQLite's own checkpoints in the commit (the pool moves them off: WALCheckpointer).
for perCommit in [2, 8] {
    let database = try SQLiteConnection(path: folder + "/batched\(perCommit).sqlite")
    try Migrator(migrations: Schema.migrations).migrate(database)
    _ = try MemberStore.recordLogin(MemberProfile(sub: "bench"), store: nil, at: Date(), in: database)
    let start = Date()
    var number = 0
    while number < options.count {
        try database.transaction(.write) { database in
            for _ in 0..<perCommit where number < options.count {
                try database.execute("SAVEPOINT velkommen_write")
                try AnswerStore.record(sub: "bench", question: "q\(number)", value: "answer \(number)", at: Date(), in: database)
                try database.execute("RELEASE velkommen_write")
                number += 1
            }
        }
    }
    report(
        "bare connection, \(perCommit) per transaction in savepoints, checkpoints in the commit", count: options.count,
        seconds: Date().timeIntervalSince(start), latencies: [], transactions: (options.count + perCommit - 1) / perCommit)
}

// The app's path.
let pool = try SQLitePool(path: folder + "/pool.sqlite")
try await MemberStore(pool: pool).recordLogin(MemberProfile(sub: "bench"), store: nil)
let answers = AnswerStore(pool: pool)
let perTask = options.count / options.concurrency
let transactionsBefore = pool.writeStatistics.transactions
let start = Date()
let latencies = try await withThrowingTaskGroup(of: [Double].self) { group in
    for task in 0..<options.concurrency {
        group.addTask {
            var latencies: [Double] = []
            latencies.reserveCapacity(perTask)
            for number in 0..<perTask {
                let began = Date()
                try await answers.record(sub: "bench", question: "t\(task)q\(number)", value: "answer \(number)", at: began)
                latencies.append(Date().timeIntervalSince(began))
            }
            return latencies
        }
    }
    var all: [Double] = []
    for try await part in group { all += part }
    return all
}
let checkpoints = pool.writeStatistics.checkpoints
let logBytes = (try? FileManager.default.attributesOfItem(atPath: pool.path + "-wal")[.size] as? Int) ?? 0
print("  checkpoints: \(checkpoints.background) in the background, \(checkpoints.inCommit) in a commit; log at the end \(logBytes / 1024) KiB")
report(
    "AnswerStore.record over any DatabasePool, \(options.concurrency) caller(s)", count: perTask * options.concurrency,
    seconds: Date().timeIntervalSince(start), latencies: latencies, transactions: pool.writeStatistics.transactions - transactionsBefore)

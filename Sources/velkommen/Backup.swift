import ArgumentParser
import Storage

/// `velkommen backup FILE`: a consistent copy of the live database, taken with SQLite's backup API,
/// while the server goes on serving (WAL lets the copy read a snapshot without blocking its writes).
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Copy the live database consistently to FILE.")

    @Argument(help: "Where to write the copy (replaced if it exists).")
    var file: String

    @Option(name: .customLong("db"), help: "The database to copy.")
    var databasePath = "data/velkommen.sqlite"

    func run() async throws {
        do {
            let database = try Database(path: databasePath, role: .reader)
            try database.backup(to: file)
        } catch {
            throw CommandFailure("backup failed", error)
        }
        print("backed up \(databasePath) to \(file)")
    }
}

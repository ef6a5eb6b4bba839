import ArgumentParser
import Storage

/// `velkommen backup FILE`: a consistent copy of the live database, taken with SQLite's backup API,
/// while the server goes on serving (WAL lets the copy read a snapshot without blocking its writes).
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Copy the live database consistently to FILE.")

    @Argument(help: "Where to write the copy (replaced if it exists).")
    var file: String

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let databasePath: String
        do {
            databasePath = try database.path
            try SQLiteConnection(path: databasePath, role: .reader).backup(to: file)
        } catch {
            throw CommandFailure("backup failed", error)
        }
        print("backed up \(databasePath) to \(file)")
    }
}

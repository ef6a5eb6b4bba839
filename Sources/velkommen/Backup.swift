import ArgumentParser
import Foundation
import Storage

/// `velkommen backup FILE`: a consistent copy of the live database while the server goes on serving.
/// SQLite: a copy taken with SQLite's backup API (WAL lets it read a snapshot without blocking writes).
/// PostgreSQL: `pg_dump` in its custom format (one snapshot; restore with `pg_restore`), when the
/// client tools are installed; a managed service's own backups or a replica do the same job.
struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Copy the live database consistently to FILE.")

    @Argument(help: "Where to write the copy (replaced if it exists).")
    var file: String

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        let location: DatabaseLocation
        do {
            location = try DatabaseLocation(try database.path)
            switch location {
            case .sqlite(let path):
                try SQLiteConnection(path: path, role: .reader).backup(to: file)
            case .postgres(let url):
                let (bare, password) = DatabaseLocation.passwordApart(postgresURL: url)
                try Self.dump(bare, password: password, to: file)
            }
        } catch {
            throw CommandFailure("backup failed", error)
        }
        print("backed up \(location.description) to \(file)")
    }

    /// Runs `pg_dump`, writing to FILE.partial and renaming it when complete. The password goes in its
    /// environment, not on its command line, where every local user could read it in `ps`.
    static func dump(_ url: String, password: String?, to file: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["pg_dump", "--format=custom", "--file", file + ".partial", "--dbname", url]
        if let password {
            var environment = ProcessInfo.processInfo.environment
            environment["PGPASSWORD"] = password
            process.environment = environment
        }
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw BackupError("pg_dump could not be started (install PostgreSQL's client tools, Debian's postgresql-client): \(error)")
        }
        process.waitUntilExit()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            try? FileManager.default.removeItem(atPath: file + ".partial")
            throw BackupError("pg_dump failed (\(process.terminationStatus)): \(message.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        _ = try? FileManager.default.removeItem(atPath: file)
        try FileManager.default.moveItem(atPath: file + ".partial", toPath: file)
    }
}

struct BackupError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

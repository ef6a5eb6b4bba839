import App
import ArgumentParser
import Foundation

/// `--db` for the commands that work on the database, with `VELKOMMEN_DATABASE_URL` behind it.
struct DatabaseOption: ParsableArguments {
    @Option(
        name: [.customLong("db"), .customLong("database")],
        help: "The database: a SQLite file (or sqlite:PATH), or postgres://… [VELKOMMEN_DATABASE_URL, default data/velkommen.sqlite]")
    var database: String?

    var path: String {
        get throws {
            var values = ProcessInfo.processInfo.environment
            if let database { values[Setting.database.rawValue] = database }
            return try AppConfiguration(settings: values.filter { $0.key == Setting.database.rawValue }).databasePath
        }
    }
}

import App
import ArgumentParser
import Foundation
import Storage

/// `velkommen seed-demo --members N`: fills a database with realistic demo data for the statistics.
struct SeedDemo: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "seed-demo", abstract: "Fill a database with realistic demo members.")

    @Option(help: "How many members to add.")
    var members = 1000

    @OptionGroup var database: DatabaseOption

    func run() async throws {
        do {
            let pool = try DatabaseLocation(try database.path).open()
            let start = Date()
            let total = members
            try await DemoData(pool: pool).seed(members: total) { done in
                if done % 100_000 == 0 || done == total { print("\(done) of \(total) login requests") }
            }
            print(String(format: "seeded %d in %.1f s", total, Date().timeIntervalSince(start)))
        } catch {
            throw CommandFailure("seed-demo failed", error)
        }
    }
}

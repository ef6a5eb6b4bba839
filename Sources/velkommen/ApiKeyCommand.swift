import App
import ArgumentParser

/// `velkommen apikey create --store ID --label TEXT`: prints a new POS API key once; only its hash is kept.
struct ApiKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "apikey", abstract: "Manage POS API keys.", subcommands: [Create.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a POS API key for a store and print it once.")

        @Option(help: "The store the key acts for (lower-case letters, digits, dashes).")
        var store: String

        @Option(help: "What the key is for, e.g. the till or POS system.")
        var label: String

        @Option(name: .customLong("db"), help: "The database.")
        var databasePath = "data/velkommen.sqlite"

        func run() async throws {
            do {
                let key = try await VelkommenApp.createApiKey(databasePath: databasePath, store: store, label: label)
                print(key)
            } catch {
                throw CommandFailure("apikey create failed", error)
            }
        }
    }
}

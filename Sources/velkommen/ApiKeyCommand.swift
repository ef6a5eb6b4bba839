import App
import ArgumentParser

/// `velkommen apikey create|list|revoke`: POS API keys. A key is printed once at creation; only its
/// hash is kept, and its public prefix names it afterwards.
struct ApiKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey", abstract: "Manage POS API keys.",
        subcommands: [Create.self, List.self, Revoke.self])

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a POS API key for a store and print it once.")

        @Option(help: "The store the key acts for (lower-case letters, digits, dashes).")
        var store: String

        @Option(help: "What the key is for, e.g. the till or POS system.")
        var label: String

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            do {
                print(try await VelkommenApp.createApiKey(databasePath: try database.path, store: store, label: label))
            } catch {
                throw CommandFailure("apikey create failed", error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the keys by prefix, store and state (never their secrets).")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            do {
                for line in try await VelkommenApp.listApiKeys(databasePath: try database.path) { print(line) }
            } catch {
                throw CommandFailure("apikey list failed", error)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Revoke a key (by its prefix, or the whole key): refused at once, on the API and the till.")

        @Argument(help: "The key's prefix as `apikey list` shows it, or the key itself.")
        var key: String

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let revoked: Bool
            do {
                revoked = try await VelkommenApp.revokeApiKey(databasePath: try database.path, key: key)
            } catch {
                throw CommandFailure("apikey revoke failed", error)
            }
            guard revoked else { throw ValidationError("no active key with that prefix (see velkommen apikey list)") }
            print("revoked; the key is refused from now on")
        }
    }
}

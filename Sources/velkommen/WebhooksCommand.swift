import App
import ArgumentParser

/// `velkommen webhooks add|list|remove`: where the merchant's systems hear about members.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks", abstract: "Manage webhook endpoints (Standard Webhooks, signed).",
        subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an endpoint; prints its id and its whsec_ signing secret once.")

        @Option(help: "Where to POST the events.")
        var url: String

        @Option(help: "Comma-separated: member.joined, member.updated, member.consents_changed, member.preferences_saved, member.erased.")
        var events: String

        @Flag(
            name: .customLong("allow-private-webhook-targets"),
            help: "Accept plain http and loopback or private addresses (as serve's flag of that name). Only for tests on one machine.")
        var allowPrivateWebhookTargets = false

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            do {
                let (id, secret) = try await VelkommenApp.addWebhook(
                    databasePath: try database.path, url: url,
                    events: events.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
                    allowPrivateTargets: allowPrivateWebhookTargets)
                print("\(id) \(secret)")
            } catch {
                throw CommandFailure("webhooks add failed", error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the endpoints (never their secrets).")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            do {
                for line in try await VelkommenApp.listWebhooks(databasePath: try database.path) { print(line) }
            } catch {
                throw CommandFailure("webhooks list failed", error)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove an endpoint and its pending deliveries.")

        @Argument(help: "The endpoint's id, as `webhooks list` shows it.")
        var id: Int64

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let removed: Bool
            do {
                removed = try await VelkommenApp.removeWebhook(databasePath: try database.path, id: id)
            } catch {
                throw CommandFailure("webhooks remove failed", error)
            }
            guard removed else { throw ValidationError("no endpoint \(id) (see velkommen webhooks list)") }
            print("removed endpoint \(id)")
        }
    }
}

import ArgumentParser
import VippsLogin

/// The `velkommen` command: serve is the default; more subcommands arrive with their features.
@main
struct Velkommen: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Velkommen welcomes customers who just identified themselves with Vipps Login.",
        // The version Vipps sees in Vipps-System-Version, too.
        version: SystemHeaders.version,
        subcommands: [
            Serve.self, Check.self, Simulator.self, ApiKeyCommand.self, StaffCommand.self, WebhooksCommand.self, SecretCommand.self, SeedDemo.self,
            Backup.self,
        ],
        defaultSubcommand: Serve.self)
}

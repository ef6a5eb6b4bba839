import App
import ArgumentParser
import Foundation

/// `velkommen secret rotate`: a new key for the sealed cookies (the browser login's state, the member
/// switch, the consent notice). Every instance on the database seals with it from a moment later and
/// still reads cookies sealed with the replaced one until they expire.
struct SecretCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "secret", abstract: "Manage the key that seals cookies.", subcommands: [Rotate.self])

    struct Rotate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new cookie-sealing key; the replaced one is still read until the cookies it sealed expire.")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let environment = ProcessInfo.processInfo.environment
            if let secret = environment[Setting.secret.rawValue], !secret.isEmpty {
                throw CommandFailure(
                    "secret rotate: \(Setting.secret.rawValue) is set, so the servers seal with it, not with a key in the database. "
                        + "Rotate it by restarting every instance with the new value in \(Setting.secret.rawValue) and the old one in "
                        + "\(Setting.previousSecrets.rawValue)")
            }
            do {
                let activeFrom = try await VelkommenApp.rotateSealKey(databasePath: try database.path)
                let minutes = VelkommenApp.replacedSealKeyLifetime / 60
                print(
                    "new cookie key: sealing with it from \(activeFrom.formatted(.iso8601)) (every running instance picks it up first); "
                        + "cookies sealed with the replaced key are read for \(minutes) more minutes")
            } catch {
                throw CommandFailure("secret rotate failed", error)
            }
        }
    }
}

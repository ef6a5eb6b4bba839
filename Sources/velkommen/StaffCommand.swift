import App
import ArgumentParser

/// `velkommen staff add --phone 47XXXXXXXX --role admin|marketing|merchant|pos`: staff log in with Vipps;
/// their first login is matched by this phone number.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "staff", abstract: "Manage staff.", subcommands: [Add.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add staff by phone number with a role (or change their role).")

        @Option(help: "The staff member's mobile number, e.g. 4712345678.")
        var phone: String

        @Option(help: "admin, marketing, merchant or pos.")
        var role: String

        @Option(name: .customLong("db"), help: "The database.")
        var databasePath = "data/velkommen.sqlite"

        func run() async throws {
            do {
                let phone = try await VelkommenApp.addStaff(databasePath: databasePath, phone: phone, role: role)
                print("staff \(phone) is \(role); they log in at /admin with Vipps")
            } catch {
                throw CommandFailure("staff add failed", error)
            }
        }
    }
}

import App
import ArgumentParser
import Storage

/// `--role admin|marketing|merchant|pos`: parsed, listed in `--help`, and refused by name when wrong.
extension StaffMember.Role: ExpressibleByArgument {}

/// `velkommen staff add|list|remove`: staff log in with Vipps; their first login is matched by the phone
/// number added here. Removing someone ends their sessions at once.
struct StaffCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "staff", abstract: "Manage staff.", subcommands: [Add.self, List.self, Remove.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add staff by phone number with a role (or change their role).")

        @Option(help: "The staff member's mobile number, e.g. 4712345678.")
        var phone: String

        @Option(help: "What they may do.")
        var role: StaffMember.Role

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            do {
                let phone = try await VelkommenApp.addStaff(databasePath: try database.path, phone: phone, role: role.rawValue)
                print("staff \(phone) is \(role.rawValue); they log in at /admin with Vipps")
            } catch {
                throw CommandFailure("staff add failed", error)
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List staff with their roles.")

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            do {
                for line in try await VelkommenApp.listStaff(databasePath: try database.path) { print(line) }
            } catch {
                throw CommandFailure("staff list failed", error)
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove staff; their sessions end at once.")

        @Option(help: "The staff member's mobile number.")
        var phone: String

        @OptionGroup var database: DatabaseOption

        func run() async throws {
            let removed: Bool
            do {
                removed = try await VelkommenApp.removeStaff(databasePath: try database.path, phone: phone)
            } catch {
                throw CommandFailure("staff remove failed", error)
            }
            guard removed else { throw ValidationError("no staff with phone \(phone) (see velkommen staff list)") }
            print("removed \(phone); their sessions have ended")
        }
    }
}

/// A failure of a command, printed as one line naming what is wrong (a setting, a file, the database),
/// followed by exit status 1.
struct CommandFailure: Error, CustomStringConvertible {
    let description: String

    init(_ what: String, _ error: any Error) {
        description = "velkommen \(what): \(error)"
    }

    init(_ message: String) {
        description = "velkommen " + message
    }
}

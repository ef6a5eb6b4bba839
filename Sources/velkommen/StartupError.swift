import ArgumentParser

/// A failure at start-up, printed as one line naming what is wrong (a setting, a file, the database),
/// followed by exit status 1.
struct StartupError: Error, CustomStringConvertible {
    let description: String

    init(_ error: any Error) {
        description = "velkommen cannot start: \(error)"
    }
}

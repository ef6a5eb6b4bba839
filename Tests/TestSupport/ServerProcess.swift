import Foundation

/// One of the package's executables run as a real process (beside the test bundle in the build
/// folder), for tests that need what only a process has: its own descriptor limit, signals, a crash.
public final class ServerProcess: @unchecked Sendable {
    public let process = Process()
    public let port: Int
    private let output: URL

    /// The executable `name` from this build.
    public static func executable(_ name: String) -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(name)
    }

    /// Starts `name` with `arguments` under `sh -c 'ulimit -n …; exec …'` and waits for a line on its
    /// standard output that ends in `:<port>`.
    public init(_ name: String, arguments: [String], fileDescriptorLimit: Int? = nil, timeout: Duration = .seconds(20)) throws {
        output = FileManager.default.temporaryDirectory.appendingPathComponent("velkommen-process-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: output.path, contents: nil)
        let command = ([Self.executable(name).path] + arguments).map { "'\($0)'" }.joined(separator: " ")
        let limit = fileDescriptorLimit.map { "ulimit -n \($0); " } ?? ""
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "\(limit)exec \(command)"]
        let handle = try FileHandle(forWritingTo: output)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        let start = ContinuousClock.now
        var found: Int?
        while found == nil && ContinuousClock.now - start < timeout && process.isRunning {
            Thread.sleep(forTimeInterval: 0.05)
            let text = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            found = text.split(separator: "\n").lazy.compactMap { $0.split(separator: ":").last.flatMap { Int($0) } }.first
        }
        guard let found else {
            process.terminate()
            let log = (try? String(contentsOf: output, encoding: .utf8)) ?? ""
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "\(name) did not report a port: \(log)"])
        }
        port = found
    }

    public var isRunning: Bool { process.isRunning }

    /// What the process wrote so far.
    public var log: String { (try? String(contentsOf: output, encoding: .utf8)) ?? "" }

    /// SIGTERM, then waits for the exit and returns its status.
    @discardableResult
    public func stop() -> Int32 {
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: output)
        return process.terminationStatus
    }
}

import HTTPServer
import Logging

/// Writes the server's access log through swift-log: one line per request, path without query
/// (login codes travel in queries), no client address (personal data).
public struct AccessLogger: Sendable {
    private let logger: Logger

    public init(logger: Logger = Logger(label: "velkommen.access")) {
        self.logger = logger
    }

    public func log(_ entry: AccessLogEntry) {
        logger.info("\(Self.line(for: entry))")
    }

    /// `GET /welcome 200 1234B 0.42ms`
    static func line(for entry: AccessLogEntry) -> String {
        let milliseconds = Double(entry.durationMicroseconds) / 1000
        return "\(entry.method) \(entry.path) \(entry.status) \(entry.bodyBytes)B \(milliseconds)ms"
    }
}

import HTTPServer
import Logging

/// Writes the server's access log through swift-log: one line per request, path without query
/// (login codes travel in queries) and without a welcome offer's code, no client address (personal data).
public struct AccessLogger: Sendable {
    private let logger: Logger

    public init(logger: Logger = Logger(label: "velkommen.access")) {
        self.logger = logger
    }

    public func log(_ entry: AccessLogEntry) {
        logger.info("\(Self.line(for: entry))")
    }

    /// `GET /welcome 200 1234B 0.42ms`: the time in milliseconds to the hundredth.
    static func line(for entry: AccessLogEntry) -> String {
        "\(entry.method) \(shownPath(entry.path)) \(entry.status) \(entry.bodyBytes)B \(milliseconds(entry.durationMicroseconds))ms"
    }

    /// The path as logged: a welcome offer's code in it is worth a discount to whoever reads the log,
    /// so it is left out (`/api/v1/offers/{code}/redeem`).
    static func shownPath(_ path: String) -> String {
        let offers = "/api/v1/offers/"
        guard path.hasPrefix(offers) else { return path }
        let rest = path.dropFirst(offers.count)
        return offers + "{code}" + (rest.firstIndex(of: "/").map { String(rest[$0...]) } ?? "")
    }

    /// Microseconds as milliseconds to the hundredth ("0.42"), in integers: a `Double`'s description cost
    /// more than the rest of the line.
    static func milliseconds(_ microseconds: Int) -> String {
        let hundredths = (max(0, microseconds) + 5) / 10
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}

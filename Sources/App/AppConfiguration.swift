import Foundation
import VippsLogin

/// Velkommen's settings, built once at start-up from flags and the environment and validated there.
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    public var port = 8080
    /// The folder served under `/public/`.
    public var publicDirectory = "Public"
    /// Mustache templates, UI strings (`i18n/`) and the seed pages (`seed/`).
    public var templatesDirectory = "Templates"
    /// The SQLite database; its folder is created when missing.
    public var databasePath = "data/velkommen.sqlite"
    /// How long a write waits for a lock held by another process (a backup tool, an operator's sqlite3)
    /// before the visitor gets the 503 page.
    public var databaseBusyTimeoutMilliseconds: Int32 = 5000
    /// How to reach Vipps Login (or the simulator); nil until set from the environment or the simulator.
    public var vipps: VippsLoginConfiguration?
    /// The base of redirect URIs (`VELKOMMEN_PUBLIC_URL`); https in production, which also makes cookies Secure.
    public var publicURL: String?
    /// Lets `/pos` work without an API key: for the simulator's demo, never with real Vipps credentials.
    public var demoTill = false
    /// Rate limits on starting logins and on callbacks; off only for load tests.
    public var rateLimited = true

    /// `publicURL`, or the address the server listens on.
    public var baseURL: String { (publicURL ?? "http://\(host):\(port)").trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
    public var callbackURL: URL { URL(string: baseURL + "/callback")! }
    /// Where Vipps returns staff after their login.
    public var staffCallbackURL: URL { URL(string: baseURL + "/admin/callback")! }
    public var secureCookies: Bool { baseURL.hasPrefix("https://") }

    public init() {}

    /// Checks what can be checked before binding; the message names the setting.
    public func validate() throws(ConfigurationError) {
        guard (1...65_535).contains(port) else { throw ConfigurationError("--port must be 1 to 65535, not \(port)") }
        guard !host.isEmpty else { throw ConfigurationError("--host must not be empty") }
        guard !databasePath.isEmpty else { throw ConfigurationError("--db must not be empty") }
    }
}

/// A setting that stops start-up; its message is the one line the operator sees.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}

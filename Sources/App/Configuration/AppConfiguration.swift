import Foundation
import HTTPServer
import Storage
import VippsLogin

/// Velkommen's settings, built once at start-up from flags and the environment (`Setting`) and
/// validated there: a bad one stops start-up with one line naming it.
public struct AppConfiguration: Sendable {
    public var host = "127.0.0.1"
    /// 0 asks the system for a free port; the bound one is logged.
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
    /// The QR API's personal-QR exchange (tokenized codes at the till); nil leaves it off.
    public var qrExchange: PersonalQRExchange.Configuration?
    /// The base of redirect URIs (`VELKOMMEN_PUBLIC_URL`); https in production, which also makes cookies Secure.
    public var publicURL: String?
    /// Networks of reverse proxies whose `X-Forwarded-For` is believed; none by default.
    public var trustedProxies: [IPNetwork] = []
    /// Keys the sealed cookies when set; else a key made once per database is used.
    public var secret: String?
    /// Keys replaced by `secret` (comma-separated): they open cookies for their lifetime after a start.
    public var previousSecrets: [String] = []
    /// Where `/metrics` listens (its own listener, loopback by default); nil leaves it off.
    public var metricsHost = "127.0.0.1"
    public var metricsPort: Int?
    /// Lets `/pos` work without an API key: for the simulator's demo, never with real Vipps credentials.
    public var demoTill = false
    /// Rate limits on starting logins and on callbacks; off only for load tests.
    public var rateLimited = true
    /// Lets webhooks go to loopback and private addresses: for tests on one machine only.
    public var allowPrivateWebhookTargets = false
    /// How consents are collected inside a login from phone number (`delegatedConsents` by default).
    public var consentScope = ConsentScope.delegatedConsents
    /// Ask the customer to accept the merchant's terms and privacy statement in every login from phone
    /// number (Vipps' `agreement` scope; not in the browser flow, where Vipps does not support it).
    public var agreement = false
    /// Apple Wallet passes of the member card; nil leaves them off.
    public var appleWallet: AppleWalletConfiguration?
    /// "Save to Google Wallet" links; nil leaves them off.
    public var googleWallet: GoogleWalletConfiguration?

    /// `publicURL`, or the address the server listens on.
    public var baseURL: String { (publicURL ?? "http://\(host):\(port)").trimmingCharacters(in: CharacterSet(charactersIn: "/")) }
    public var callbackURL: URL { URL(string: baseURL + "/callback")! }
    /// Where Vipps returns staff after their login.
    public var staffCallbackURL: URL { URL(string: baseURL + "/admin/callback")! }
    public var secureCookies: Bool { baseURL.hasPrefix("https://") }
    /// Sent with every response under https: browsers then never try plain http again.
    public var strictTransportSecurity: String? { secureCookies ? "max-age=31536000" : nil }

    public init() {}

    /// The settings from `values` (environment variables by `Setting` name, with flags already laid
    /// over them), checked one by one; the error names the setting.
    public init(settings values: [String: String]) throws(ConfigurationError) {
        func value(_ setting: Setting) -> String? { values[setting.rawValue].flatMap { $0.isEmpty ? nil : $0 } }
        func integer(_ setting: Setting, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int? {
            guard let text = value(setting) else { return nil }
            guard let number = Int(text), range.contains(number) else {
                throw ConfigurationError("\(setting.name) must be a whole number from \(range.lowerBound) to \(range.upperBound), not \(text)")
            }
            return number
        }
        host = value(.host) ?? host
        port = try integer(.port, in: 0...65_535) ?? port
        publicURL = try value(.publicURL).map { text throws(ConfigurationError) in try Self.checkPublicURL(text) }
        if let database = value(.database) {
            do {
                // Checked here so that a typo is named at start-up, not at the first request.
                _ = try DatabaseLocation(database)
            } catch {
                // Only the scheme: the rest of a URL may hold a password.
                let scheme = database.components(separatedBy: "://").first ?? ""
                throw ConfigurationError(
                    "\(Setting.database.name) must be a SQLite file path, sqlite:PATH or postgres://…, not a \(scheme):// address")
            }
            databasePath = database.hasPrefix("sqlite:") ? String(database.dropFirst("sqlite:".count)) : database
        }
        databaseBusyTimeoutMilliseconds = Int32(try integer(.databaseBusyTimeout, in: 0...600_000) ?? Int(databaseBusyTimeoutMilliseconds))
        templatesDirectory = value(.templates) ?? templatesDirectory
        publicDirectory = value(.publicFolder) ?? publicDirectory
        trustedProxies = try (value(.trustedProxies) ?? "").split(separator: ",").map { text throws(ConfigurationError) in
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            guard let network = IPNetwork(trimmed) else {
                throw ConfigurationError(
                    "\(Setting.trustedProxies.name) must be addresses or networks such as 127.0.0.1 or 10.0.0.0/8, not \(trimmed)")
            }
            return network
        }
        secret = value(.secret)
        if let secret, secret.utf8.count < 32 {
            throw ConfigurationError("\(Setting.secret.name) must be at least 32 characters (e.g. openssl rand -base64 32)")
        }
        previousSecrets = (value(.previousSecrets) ?? "").split(separator: ",").map(String.init).filter { !$0.isEmpty }
        if previousSecrets.contains(where: { $0.utf8.count < 32 }) {
            throw ConfigurationError(
                "\(Setting.previousSecrets.name) must be earlier values of \(Setting.secret.name), comma-separated, each at least 32 characters")
        }
        if !previousSecrets.isEmpty, secret == nil {
            throw ConfigurationError("\(Setting.previousSecrets.name) is set but \(Setting.secret.name) is not")
        }
        metricsHost = value(.metricsHost) ?? metricsHost
        metricsPort = try integer(.metricsPort, in: 0...65_535)
        vipps = try VippsSettings.fromSettings(values)
        if let scope = value(.vippsConsentScope) {
            guard let parsed = ConsentScope(rawValue: scope) else {
                throw ConfigurationError(
                    "\(Setting.vippsConsentScope.name) must be \(ConsentScope.allCases.map(\.rawValue).joined(separator: ", ")), not \(scope)")
            }
            consentScope = parsed
        }
        if let text = value(.vippsAgreement) {
            switch text.lowercased() {
            case "1", "true", "yes", "on": agreement = true
            case "0", "false", "no", "off": agreement = false
            default: throw ConfigurationError("\(Setting.vippsAgreement.name) must be true or false, not \(text)")
            }
        }
        appleWallet = try AppleWalletConfiguration(settings: values)
        googleWallet = try GoogleWalletConfiguration(settings: values)
        qrExchange = try VippsSettings.qrExchange(values, login: vipps)
    }

    /// The scopes a login from phone number asks for, consents and agreement included (`velkommen check` names them).
    public var loginScopes: [String] {
        LoginStarter.scopes + [consentScope.scope, agreement ? "agreement" : nil].compactMap { $0 }
    }

    /// Checks what can be checked before binding; the message names the setting.
    public func validate() throws(ConfigurationError) {
        guard (0...65_535).contains(port) else { throw ConfigurationError("\(Setting.port.name) must be 0 to 65535, not \(port)") }
        guard !host.isEmpty else { throw ConfigurationError("\(Setting.host.name) must not be empty") }
        guard !databasePath.isEmpty else { throw ConfigurationError("\(Setting.database.name) must not be empty") }
        for (setting, folder) in [(Setting.templates, templatesDirectory), (.publicFolder, publicDirectory)] {
            var isFolder: ObjCBool = false
            guard FileManager.default.fileExists(atPath: folder, isDirectory: &isFolder), isFolder.boolValue else {
                throw ConfigurationError("\(setting.name): \(folder) is not a folder (see README, Settings)")
            }
        }
        if (vipps == nil || demoTill) && !Self.isLoopback(host) {
            throw ConfigurationError(
                """
                \(Setting.host.name) is \(host), but without \(Setting.vippsClientID.rawValue) Velkommen runs its demo (a till without \
                API keys, a simulated Vipps) and that only ever listens on loopback: set the Vipps settings, or listen on 127.0.0.1
                """)
        }
        if let vipps, !demoTill, !secureCookies, !Self.isLoopback(vipps.issuer.host ?? "") {
            throw ConfigurationError(
                """
                \(Setting.publicURL.name) must be an https address (Vipps accepts only https redirect URIs, and cookies must be \
                Secure), not \(baseURL)
                """)
        }
    }

    static func checkPublicURL(_ text: String) throws(ConfigurationError) -> String {
        let trimmed = text.hasSuffix("/") ? String(text.dropLast()) : text
        guard let url = URLComponents(string: trimmed), let scheme = url.scheme?.lowercased(), ["http", "https"].contains(scheme),
            let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil, url.user == nil
        else {
            throw ConfigurationError("\(Setting.publicURL.name) must be the site's address such as https://velkommen.example.no, not \(text)")
        }
        return trimmed
    }

    /// 127.0.0.0/8, ::1 and localhost: addresses nobody else can reach.
    public static func isLoopback(_ host: String) -> Bool {
        let bare = host.hasPrefix("[") && host.hasSuffix("]") ? String(host.dropFirst().dropLast()) : host
        return bare == "localhost" || IPNetwork("127.0.0.0/8")!.contains(bare) || IPNetwork("::1/128")!.contains(bare)
    }
}

/// A setting that stops start-up; its message is the one line the operator sees.
public struct ConfigurationError: Error, CustomStringConvertible, Sendable {
    public let description: String

    public init(_ description: String) { self.description = description }
}

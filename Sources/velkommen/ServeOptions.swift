import App
import ArgumentParser
import Foundation

/// The settings `serve` and `check` share. Each flag has an environment variable of the same meaning
/// (`Setting`); a flag given wins over the variable, and the variable over the default.
struct ServeOptions: ParsableArguments {
    @Option(help: "Address to listen on. [VELKOMMEN_HOST, default 127.0.0.1]")
    var host: String?

    @Option(help: "Port to listen on; 0 takes a free one. [VELKOMMEN_PORT, default 8080]")
    var port: Int?

    @Option(
        name: .customLong("public-url"), help: "The site's public address, the base of redirect URIs; https in production. [VELKOMMEN_PUBLIC_URL]")
    var publicURL: String?

    @Option(
        name: [.customLong("db"), .customLong("database")],
        help: """
            The database: a SQLite file, created when missing (or sqlite:PATH), or postgres://… for several instances. \
            [VELKOMMEN_DATABASE_URL, default data/velkommen.sqlite]
            """)
    var database: String?

    @Option(
        name: .customLong("db-busy-timeout-ms"),
        help: "How long a write waits for another process's lock. [VELKOMMEN_DB_BUSY_TIMEOUT_MS, default 5000]")
    var busyTimeout: Int?

    @Option(name: .customLong("templates"), help: "Folder of templates, UI strings and seed pages. [VELKOMMEN_TEMPLATES, default Templates]")
    var templates: String?

    @Option(name: .customLong("public"), help: "Folder served under /public/. [VELKOMMEN_PUBLIC_DIR, default Public]")
    var publicFolder: String?

    @Option(
        name: .customLong("trusted-proxy"),
        help: "A reverse proxy's address or network whose X-Forwarded-For is believed (repeatable). [VELKOMMEN_TRUSTED_PROXIES, comma-separated]")
    var trustedProxies: [String] = []

    @Option(name: .customLong("metrics-host"), help: "Address of the /metrics listener. [VELKOMMEN_METRICS_HOST, default 127.0.0.1]")
    var metricsHost: String?

    @Option(name: .customLong("metrics-port"), help: "Port of the /metrics listener (Prometheus text); off when unset. [VELKOMMEN_METRICS_PORT]")
    var metricsPort: Int?

    @Option(name: .customLong("vipps-issuer"), help: "Vipps Login's issuer, ending in /. [VIPPS_ISSUER, default the test environment]")
    var vippsIssuer: String?

    @Option(name: .customLong("vipps-client-id"), help: "The client id from the Vipps portal; without it the simulator runs. [VIPPS_CLIENT_ID]")
    var vippsClientID: String?

    @Option(
        name: .customLong("vipps-client-secret-file"), help: "A file holding the client secret (else VIPPS_CLIENT_SECRET). [VIPPS_CLIENT_SECRET_FILE]"
    )
    var vippsClientSecretFile: String?

    @Option(name: .customLong("vipps-msn"), help: "Merchant serial number. [VIPPS_MSN]")
    var vippsMSN: String?

    @Option(name: .customLong("vipps-token-auth"), help: "client_secret_basic or client_secret_post. [VIPPS_TOKEN_AUTH, default client_secret_basic]")
    var vippsTokenAuth: String?

    @Option(
        name: .customLong("vipps-consent-scope"),
        help: "How consents are asked in a login: delegatedConsents, customFlow or none. [VIPPS_CONSENT_SCOPE, default delegatedConsents]")
    var vippsConsentScope: String?

    @Flag(
        name: .customLong("vipps-agreement"),
        help: "Ask the customer to accept the terms and privacy statement in every login from phone number. [VIPPS_AGREEMENT, default off]")
    var vippsAgreement = false

    @Option(name: .customLong("wallet-pass-type-id"), help: "Apple Wallet: the Pass Type ID (pass.…). [VELKOMMEN_WALLET_PASS_TYPE_ID]")
    var walletPassTypeID: String?

    @Option(name: .customLong("wallet-team-id"), help: "Apple Wallet: the developer team id. [VELKOMMEN_WALLET_TEAM_ID]")
    var walletTeamID: String?

    @Option(name: .customLong("wallet-certificate"), help: "Apple Wallet: the Pass Type ID certificate (PEM file). [VELKOMMEN_WALLET_CERTIFICATE]")
    var walletCertificate: String?

    @Option(name: .customLong("wallet-key"), help: "Apple Wallet: the certificate's private key (PEM file). [VELKOMMEN_WALLET_KEY]")
    var walletKey: String?

    @Option(name: .customLong("wallet-wwdr"), help: "Apple Wallet: Apple's WWDR intermediate certificate (PEM file). [VELKOMMEN_WALLET_WWDR]")
    var walletWWDR: String?

    @Option(name: .customLong("google-wallet-issuer-id"), help: "Google Wallet: the issuer id. [VELKOMMEN_GOOGLE_WALLET_ISSUER_ID]")
    var googleWalletIssuerID: String?

    @Option(
        name: .customLong("google-wallet-key"), help: "Google Wallet: the service account's key (JSON file). [VELKOMMEN_GOOGLE_WALLET_KEY]")
    var googleWalletKey: String?

    @Option(
        name: .customLong("vipps-qr-api-url"),
        help:
            "The QR API's base for exchanging tokenized personal QR codes, e.g. https://api.vipps.no/qr (needs VIPPS_SUBSCRIPTION_KEY). [VIPPS_QR_API_URL]"
    )
    var vippsQRAPIURL: String?

    /// The environment with the flags laid over it.
    func settings(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> [String: String] {
        var values = environment
        let flags: [(Setting, String?)] = [
            (.host, host), (.port, port.map(String.init)), (.publicURL, publicURL), (.database, database),
            (.databaseBusyTimeout, busyTimeout.map(String.init)), (.templates, templates), (.publicFolder, publicFolder),
            (.trustedProxies, trustedProxies.isEmpty ? nil : trustedProxies.joined(separator: ",")),
            (.metricsHost, metricsHost), (.metricsPort, metricsPort.map(String.init)), (.vippsIssuer, vippsIssuer),
            (.vippsClientID, vippsClientID), (.vippsClientSecretFile, vippsClientSecretFile), (.vippsMSN, vippsMSN),
            (.vippsTokenAuth, vippsTokenAuth), (.vippsQRAPIURL, vippsQRAPIURL), (.vippsConsentScope, vippsConsentScope),
            (.vippsAgreement, vippsAgreement ? "true" : nil),
            (.walletPassTypeID, walletPassTypeID), (.walletTeamID, walletTeamID), (.walletCertificate, walletCertificate), (.walletKey, walletKey),
            (.walletWWDR, walletWWDR), (.googleWalletIssuerID, googleWalletIssuerID), (.googleWalletKey, googleWalletKey),
        ]
        for case let (setting, value?) in flags { values[setting.rawValue] = value }
        return values
    }

    func configuration() throws(ConfigurationError) -> AppConfiguration { try AppConfiguration(settings: settings()) }
}

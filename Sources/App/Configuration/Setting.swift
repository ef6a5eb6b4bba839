/// Every setting of `velkommen serve`: an environment variable and the flag of the same meaning (the
/// flag wins). One list, so that messages, `velkommen check` and README name each the same way.
public enum Setting: String, CaseIterable, Sendable {
    case host = "VELKOMMEN_HOST"
    case port = "VELKOMMEN_PORT"
    case publicURL = "VELKOMMEN_PUBLIC_URL"
    case database = "VELKOMMEN_DATABASE_URL"
    case databaseBusyTimeout = "VELKOMMEN_DB_BUSY_TIMEOUT_MS"
    case templates = "VELKOMMEN_TEMPLATES"
    case publicFolder = "VELKOMMEN_PUBLIC_DIR"
    case trustedProxies = "VELKOMMEN_TRUSTED_PROXIES"
    case secret = "VELKOMMEN_SECRET"
    case previousSecrets = "VELKOMMEN_SECRET_PREVIOUS"
    case metricsHost = "VELKOMMEN_METRICS_HOST"
    case metricsPort = "VELKOMMEN_METRICS_PORT"
    case vippsIssuer = "VIPPS_ISSUER"
    case vippsClientID = "VIPPS_CLIENT_ID"
    case vippsClientSecret = "VIPPS_CLIENT_SECRET"
    case vippsClientSecretFile = "VIPPS_CLIENT_SECRET_FILE"
    case vippsMSN = "VIPPS_MSN"
    case vippsTokenAuth = "VIPPS_TOKEN_AUTH"
    case vippsConsentScope = "VIPPS_CONSENT_SCOPE"
    case vippsAgreement = "VIPPS_AGREEMENT"
    case walletPassTypeID = "VELKOMMEN_WALLET_PASS_TYPE_ID"
    case walletTeamID = "VELKOMMEN_WALLET_TEAM_ID"
    case walletCertificate = "VELKOMMEN_WALLET_CERTIFICATE"
    case walletKey = "VELKOMMEN_WALLET_KEY"
    case walletWWDR = "VELKOMMEN_WALLET_WWDR"
    case googleWalletIssuerID = "VELKOMMEN_GOOGLE_WALLET_ISSUER_ID"
    case googleWalletKey = "VELKOMMEN_GOOGLE_WALLET_KEY"
    /// The QR API (personal QR exchange) and the subscription key its access token needs.
    case vippsQRAPIURL = "VIPPS_QR_API_URL"
    case vippsSubscriptionKey = "VIPPS_SUBSCRIPTION_KEY"

    /// The command-line flag, or nil for a setting only the environment may carry (a secret on the
    /// command line would show in `ps` to every user of the machine).
    public var flag: String? {
        switch self {
        case .host: "--host"
        case .port: "--port"
        case .publicURL: "--public-url"
        case .database: "--db"
        case .databaseBusyTimeout: "--db-busy-timeout-ms"
        case .templates: "--templates"
        case .publicFolder: "--public"
        case .trustedProxies: "--trusted-proxy"
        case .secret, .previousSecrets, .vippsClientSecret, .vippsSubscriptionKey: nil
        case .metricsHost: "--metrics-host"
        case .metricsPort: "--metrics-port"
        case .vippsIssuer: "--vipps-issuer"
        case .vippsClientID: "--vipps-client-id"
        case .vippsClientSecretFile: "--vipps-client-secret-file"
        case .vippsMSN: "--vipps-msn"
        case .vippsTokenAuth: "--vipps-token-auth"
        case .vippsConsentScope: "--vipps-consent-scope"
        case .vippsAgreement: "--vipps-agreement"
        case .walletPassTypeID: "--wallet-pass-type-id"
        case .walletTeamID: "--wallet-team-id"
        case .walletCertificate: "--wallet-certificate"
        case .walletKey: "--wallet-key"
        case .walletWWDR: "--wallet-wwdr"
        case .googleWalletIssuerID: "--google-wallet-issuer-id"
        case .googleWalletKey: "--google-wallet-key"
        case .vippsQRAPIURL: "--vipps-qr-api-url"
        }
    }

    /// How messages name it: `--port (VELKOMMEN_PORT)`, or the variable alone.
    public var name: String { flag.map { "\($0) (\(rawValue))" } ?? rawValue }
}

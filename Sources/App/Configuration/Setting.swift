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
        case .secret, .previousSecrets, .vippsClientSecret: nil
        case .metricsHost: "--metrics-host"
        case .metricsPort: "--metrics-port"
        case .vippsIssuer: "--vipps-issuer"
        case .vippsClientID: "--vipps-client-id"
        case .vippsClientSecretFile: "--vipps-client-secret-file"
        case .vippsMSN: "--vipps-msn"
        case .vippsTokenAuth: "--vipps-token-auth"
        }
    }

    /// How messages name it: `--port (VELKOMMEN_PORT)`, or the variable alone.
    public var name: String { flag.map { "\($0) (\(rawValue))" } ?? rawValue }
}

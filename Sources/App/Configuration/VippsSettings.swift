import Foundation
import VippsLogin

/// The Vipps settings (`VIPPS_CLIENT_ID`, `VIPPS_CLIENT_SECRET` or `VIPPS_CLIENT_SECRET_FILE`,
/// `VIPPS_ISSUER`, `VIPPS_MSN`, `VIPPS_TOKEN_AUTH`, or their flags). No client id means "use the simulator".
public enum VippsSettings {
    public static let testIssuer = "https://apitest.vipps.no/access-management-1.0/access/"

    /// The client configuration, nil when `VIPPS_CLIENT_ID` is unset; a bad or missing companion
    /// setting is an error naming it.
    public static func fromSettings(
        _ values: [String: String] = ProcessInfo.processInfo.environment
    )
        throws(ConfigurationError) -> VippsLoginConfiguration?
    {
        func value(_ setting: Setting) -> String? { values[setting.rawValue].flatMap { $0.isEmpty ? nil : $0 } }
        guard let clientID = value(.vippsClientID) else { return nil }
        var secret = value(.vippsClientSecret)
        if secret == nil, let path = value(.vippsClientSecretFile) {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                throw ConfigurationError("\(Setting.vippsClientSecretFile.name): cannot read \(path)")
            }
            secret = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        guard let secret, !secret.isEmpty else {
            throw ConfigurationError(
                "\(Setting.vippsClientSecret.rawValue) (or \(Setting.vippsClientSecretFile.name)) is required when \(Setting.vippsClientID.name) is set"
            )
        }
        let issuerText = value(.vippsIssuer) ?? testIssuer
        guard let issuer = URL(string: issuerText), let scheme = issuer.scheme, ["https", "http"].contains(scheme), issuer.host != nil,
            issuerText.hasSuffix("/")
        else {
            throw ConfigurationError("\(Setting.vippsIssuer.name) must be a URL ending in /, such as \(testIssuer), not \(issuerText)")
        }
        var configuration = VippsLoginConfiguration(issuer: issuer, clientID: clientID, clientSecret: secret)
        if let method = value(.vippsTokenAuth) {
            guard let parsed = VippsLoginConfiguration.TokenAuthMethod(rawValue: method) else {
                throw ConfigurationError("\(Setting.vippsTokenAuth.name) must be client_secret_basic or client_secret_post, not \(method)")
            }
            configuration.tokenAuthMethod = parsed
        }
        if let msn = value(.vippsMSN) {
            guard msn.allSatisfy(\.isNumber) else {
                throw ConfigurationError("\(Setting.vippsMSN.name) must be the merchant serial number (digits), not \(msn)")
            }
            configuration.merchantSerialNumber = msn
        }
        return configuration
    }

    /// The QR API's exchange, when `VIPPS_QR_API_URL` is set: it needs `VIPPS_SUBSCRIPTION_KEY` and the
    /// Vipps client's id and secret (the sales unit's keys serve both APIs).
    public static func qrExchange(
        _ values: [String: String], login: VippsLoginConfiguration?
    ) throws(ConfigurationError) -> PersonalQRExchange.Configuration? {
        func value(_ setting: Setting) -> String? { values[setting.rawValue].flatMap { $0.isEmpty ? nil : $0 } }
        guard let text = value(.vippsQRAPIURL) else { return nil }
        guard let url = URL(string: text), ["https", "http"].contains(url.scheme ?? ""), url.host != nil else {
            throw ConfigurationError("\(Setting.vippsQRAPIURL.name) must be the QR API's base URL, such as https://api.vipps.no/qr, not \(text)")
        }
        guard let login else {
            throw ConfigurationError(
                "\(Setting.vippsQRAPIURL.name) needs \(Setting.vippsClientID.name) and its secret (the QR API uses the same keys)")
        }
        guard let key = value(.vippsSubscriptionKey) else {
            throw ConfigurationError("\(Setting.vippsSubscriptionKey.name) is required when \(Setting.vippsQRAPIURL.name) is set")
        }
        return PersonalQRExchange.Configuration(
            baseURL: url, clientID: login.clientID, clientSecret: login.clientSecret, subscriptionKey: key,
            merchantSerialNumber: login.merchantSerialNumber)
    }
}

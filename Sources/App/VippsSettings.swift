import Foundation
import VippsLogin

/// The Vipps settings from the environment (design.md §3): `VIPPS_CLIENT_ID`, `VIPPS_CLIENT_SECRET`,
/// `VIPPS_ISSUER`, `VIPPS_MSN`, `VIPPS_TOKEN_AUTH`. No client id means "use the simulator".
public enum VippsSettings {
    public static let testIssuer = "https://apitest.vipps.no/access-management-1.0/access/"

    /// The client configuration, nil when `VIPPS_CLIENT_ID` is unset; a bad or missing companion
    /// setting is an error naming it.
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ConfigurationError) -> VippsLoginConfiguration? {
        guard let clientID = environment["VIPPS_CLIENT_ID"], !clientID.isEmpty else { return nil }
        guard let secret = environment["VIPPS_CLIENT_SECRET"], !secret.isEmpty else {
            throw ConfigurationError("VIPPS_CLIENT_SECRET is required when VIPPS_CLIENT_ID is set")
        }
        let issuerText = environment["VIPPS_ISSUER"] ?? testIssuer
        guard let issuer = URL(string: issuerText), let scheme = issuer.scheme, ["https", "http"].contains(scheme), issuer.host != nil,
              issuerText.hasSuffix("/") else {
            throw ConfigurationError("VIPPS_ISSUER must be a URL ending in /, such as \(testIssuer), not \(issuerText)")
        }
        var configuration = VippsLoginConfiguration(issuer: issuer, clientID: clientID, clientSecret: secret)
        if let method = environment["VIPPS_TOKEN_AUTH"], !method.isEmpty {
            guard let parsed = VippsLoginConfiguration.TokenAuthMethod(rawValue: method) else {
                throw ConfigurationError("VIPPS_TOKEN_AUTH must be client_secret_basic or client_secret_post, not \(method)")
            }
            configuration.tokenAuthMethod = parsed
        }
        if let msn = environment["VIPPS_MSN"], !msn.isEmpty {
            guard msn.allSatisfy(\.isNumber) else { throw ConfigurationError("VIPPS_MSN must be the merchant serial number (digits), not \(msn)") }
            configuration.merchantSerialNumber = msn
        }
        return configuration
    }
}

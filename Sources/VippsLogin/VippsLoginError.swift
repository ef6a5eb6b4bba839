import Foundation

/// Every way a Vipps Login call can fail, each with a message a person can act on. Descriptions never
/// contain secrets, tokens, codes or personal data.
public enum VippsLoginError: Error, Equatable, Sendable, CustomStringConvertible {
    /// Failures that only the operator can fix (settings), not a customer or cashier by trying again.
    public var isMisconfiguration: Bool {
        switch self {
        // Phone numbers and binding messages are checked before sending, so a malformed request is
        // ours to fix: most often a redirect URI that is not registered in the portal.
        case .invalidClient, .issuerMismatch, .invalidRequest: true
        case .invalidIDToken(let reason): reason.hasPrefix("issuer") || reason.hasPrefix("the audience")
        default: false
        }
    }

    /// The phone number is not a Norwegian mobile number we can send as `urn:msisdn:`.
    case invalidPhoneNumber
    /// A binding message must be 5 to 8 of A–Z, 0–9 and `-`.
    case invalidBindingMessage
    /// No active Vipps account, or not eligible (for example under 15).
    case invalidUser
    /// The user's Vipps app is too old for login from phone number.
    case oldApp
    /// Too many logins started towards the same user; wait `retryAfter` seconds.
    case rateLimited(retryAfter: TimeInterval?)
    /// The login is still waiting for the user (poll again after the interval).
    case authorizationPending
    /// Polled too fast; the interval is now `interval` seconds.
    case slowDown(interval: TimeInterval)
    /// The login expired before the user confirmed it.
    case expiredToken
    /// The user cancelled, or did not accept.
    case accessDenied
    /// The code or `auth_req_id` is unknown, expired, already used, or belongs to another client.
    case invalidGrant
    /// Vipps did not accept the client id or secret, or login is not activated for this sales unit.
    case invalidClient
    /// Vipps refused the request as malformed (`invalid_request`, `invalid_scope`, …).
    case invalidRequest(error: String, description: String?)
    /// Vipps reported a failure on its side.
    case serverError(status: Int)
    /// An error code that is not documented.
    case unexpectedError(status: Int, error: String, description: String?)
    /// No answer in time. A token request that timed out may still have used the code.
    case timeout
    /// The connection failed before an answer arrived.
    case transport(String)
    /// The answer was not the JSON we expected.
    case badResponse(String)
    /// The ID token did not pass verification; `reason` says which check failed.
    case invalidIDToken(reason: String)
    /// The discovery document names another issuer than the one configured: `VIPPS_ISSUER` is wrong.
    case issuerMismatch(configured: String, discovered: String)
    /// Userinfo belongs to another user than the ID token.
    case subjectMismatch

    public var description: String {
        switch self {
        case .invalidPhoneNumber: "The phone number is not a valid Norwegian mobile number (8 digits, optionally with +47)."
        case .invalidBindingMessage: "The binding message must be 5 to 8 characters of A–Z, 0–9 and “-”."
        case .invalidUser: "This person cannot log in with Vipps: no active Vipps account, or not eligible (for example under 15)."
        case .oldApp: "The customer's Vipps app is too old for login from phone number; ask them to update it."
        case .rateLimited(let retryAfter):
            "Too many logins started for this customer at once" + (retryAfter.map { "; try again in \(Int($0)) s." } ?? "; try again shortly.")
        case .authorizationPending: "The customer has not confirmed the login yet."
        case .slowDown(let interval): "Vipps asked us to poll more slowly (every \(Int(interval)) s)."
        case .expiredToken: "The login expired before the customer confirmed it; start a new one."
        case .accessDenied: "The customer cancelled the login in the Vipps app."
        case .invalidGrant: "The login code is unknown, expired or already used; start a new login."
        case .invalidClient:
            "Vipps did not accept our client id or secret (or login is not activated for this sales unit); check VIPPS_CLIENT_ID, VIPPS_CLIENT_SECRET and VIPPS_TOKEN_AUTH."
        case .invalidRequest(let error, let description): "Vipps refused the request (\(error))" + (description.map { ": \($0)" } ?? ".")
        case .serverError(let status): "Vipps had a problem on its side (HTTP \(status)); try again in a moment."
        case .unexpectedError(let status, let error, let description):
            "Vipps answered HTTP \(status) with the undocumented error “\(error)”" + (description.map { ": \($0)" } ?? ".")
        case .timeout: "Vipps did not answer in time; try again."
        case .transport(let reason): "Could not reach Vipps: \(reason)."
        case .badResponse(let reason): "Vipps sent an answer we could not read: \(reason)."
        case .invalidIDToken(let reason): "The ID token from Vipps failed verification: \(reason)."
        case .issuerMismatch(let configured, let discovered):
            "Vipps is misconfigured: VIPPS_ISSUER is \(configured), but its discovery document names issuer \(discovered); set VIPPS_ISSUER to that."
        case .subjectMismatch: "The user information from Vipps belongs to another user than the login."
        }
    }
}

import Foundation

/// A login from phone number to start (CIBA).
public struct BackchannelLoginRequest: Sendable {
    /// What happens after the customer confirms in the app.
    public enum Flow: Sendable, Equatable {
        /// The merchant polls the token endpoint; the login completes in the app.
        case poll
        /// The phone's browser is sent to `redirectURI?code=…` (`requested_flow=login_to_webpage`).
        case loginToWebpage(redirectURI: URL)
    }

    public var phone: PhoneNumber
    public var scopes: [String]
    public var bindingMessage: BindingMessage?
    public var flow: Flow
    /// Seconds the login may wait for the customer (`requested_expiry`).
    public var requestedExpiry: Int?

    public init(phone: PhoneNumber, scopes: [String], bindingMessage: BindingMessage? = nil, flow: Flow, requestedExpiry: Int? = nil) {
        self.phone = phone
        self.scopes = scopes
        self.bindingMessage = bindingMessage
        self.flow = flow
        self.requestedExpiry = requestedExpiry
    }

    var formFields: [(String, String)] {
        var scopes = scopes
        // The redirect variant requires openid; the ID token is how the landing is tied to this login.
        if case .loginToWebpage = flow, !scopes.contains("openid") { scopes.insert("openid", at: 0) }
        var fields = [("login_hint", phone.loginHint), ("scope", scopes.joined(separator: " "))]
        if let bindingMessage { fields.append(("binding_message", bindingMessage.text)) }
        if case .loginToWebpage(let redirectURI) = flow {
            fields.append(("requested_flow", "login_to_webpage"))
            fields.append(("redirect_uri", redirectURI.absoluteString))
        }
        if let requestedExpiry { fields.append(("requested_expiry", String(requestedExpiry))) }
        return fields
    }
}

/// Vipps' answer to a started login.
public struct BackchannelLogin: Codable, Sendable, Equatable {
    public var authReqID: String
    /// Seconds until the login expires.
    public var expiresIn: Int
    /// Minimum seconds between token polls.
    public var interval: Int

    public init(authReqID: String, expiresIn: Int, interval: Int) {
        self.authReqID = authReqID
        self.expiresIn = expiresIn
        self.interval = interval
    }

    enum CodingKeys: String, CodingKey {
        case authReqID = "auth_req_id"
        case expiresIn = "expires_in"
        case interval
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        authReqID = try container.decode(String.self, forKey: .authReqID)
        expiresIn = try container.decodeIfPresent(Int.self, forKey: .expiresIn) ?? 600
        interval = try container.decodeIfPresent(Int.self, forKey: .interval) ?? 5
    }
}

/// The token endpoint's answer. `token_type` is `Bearer` or `bearer` depending on the flow.
public struct TokenResponse: Codable, Sendable, Equatable {
    public var accessToken: String
    public var idToken: String
    public var tokenType: String
    public var expiresIn: Int?
    public var scope: String?

    public init(accessToken: String, idToken: String, tokenType: String = "Bearer", expiresIn: Int?, scope: String?) {
        self.accessToken = accessToken
        self.idToken = idToken
        self.tokenType = tokenType
        self.expiresIn = expiresIn
        self.scope = scope
    }

    enum CodingKeys: String, CodingKey {
        case accessToken = "access_token"
        case idToken = "id_token"
        case tokenType = "token_type"
        case expiresIn = "expires_in"
        case scope
    }
}

/// A browser login to send the user to, with what must be kept to finish it.
public struct AuthorizationRequest: Sendable, Equatable {
    public var url: URL
    public var state: String
    public var nonce: String
    public var codeVerifier: String
}

import Foundation
import OutboundHTTP

/// The relying-party client for Vipps Login (or its simulator): starts logins from phone number,
/// exchanges codes, verifies ID tokens and reads userinfo. Knows nothing of the web app around it.
public final class VippsLoginClient: Sendable {
    public let configuration: VippsLoginConfiguration
    let transport: HTTPTransport
    /// The same, with the user-exists check's shorter deadline.
    let quickTransport: HTTPTransport
    let metadata: ProviderMetadata
    let verifier: IDTokenVerifier

    public init(configuration: VippsLoginConfiguration, now: @escaping @Sendable () -> Date = Date.init) {
        self.configuration = configuration
        transport = HTTPTransport(
            connectTimeout: configuration.connectTimeout, totalTimeout: configuration.totalTimeout, headers: configuration.systemHeaders,
            allowPlainHTTP: HTTPTransport.isLoopback(configuration.issuer), observe: configuration.observe)
        let quick = min(configuration.userExistsTimeout, configuration.totalTimeout)
        quickTransport = HTTPTransport(
            connectTimeout: min(configuration.connectTimeout, quick), totalTimeout: quick, headers: configuration.systemHeaders,
            allowPlainHTTP: HTTPTransport.isLoopback(configuration.issuer), observe: configuration.observe)
        metadata = ProviderMetadata(configuration: configuration, transport: transport, now: now)
        verifier = IDTokenVerifier(metadata: metadata, configuration: configuration, now: now)
    }

    /// The discovery document (cached).
    public func discovery() async throws(VippsLoginError) -> OpenIDConfiguration {
        try await metadata.document()
    }

    /// The ids of Vipps' signing keys, fetched now.
    public func signingKeyIDs() async throws(VippsLoginError) -> Set<String> {
        try await metadata.fetchKeyIDs()
    }

    // MARK: Login from phone number (CIBA)

    /// Starts a login from phone number: Vipps pushes it to the customer's app.
    public func startLogin(_ login: BackchannelLoginRequest) async throws(VippsLoginError) -> BackchannelLogin {
        let endpoint = try await metadata.document().backchannelEndpoint(issuer: configuration.issuer)
        let answer = try await transport.send(authenticatedPOST(endpoint, fields: login.formFields))
        guard answer.status == 200 else { throw answer.error() }
        return try decode(BackchannelLogin.self, from: answer, what: "the backchannel answer")
    }

    /// Whether the phone number has a Vipps account (`POST /vipps-login-ciba/api/v1/user-exists`, the form
    /// `login_hint=urn:msisdn:…` with the client's credentials, like the start). Vipps documents the answer
    /// as `{"exists": true|false}`; `userExists`, `user_exists` and a bare `true`/`false` are read too, since
    /// the shape is not confirmed. Anything else throws, and the caller starts the login anyway.
    public func userExists(_ phone: PhoneNumber) async throws(VippsLoginError) -> Bool {
        let endpoint = try await metadata.document().userExistsEndpoint(issuer: configuration.issuer)
        let answer = try await quickTransport.send(authenticatedPOST(endpoint, fields: [("login_hint", phone.loginHint)]))
        guard answer.status == 200 else { throw answer.error() }
        guard let exists = Self.existsAnswer(answer.body) else { throw .badResponse("the user-exists answer is not the documented JSON") }
        return exists
    }

    static func existsAnswer(_ body: Data) -> Bool? {
        if let bare = try? JSONDecoder().decode(Bool.self, from: body) { return bare }
        return (try? JSONDecoder().decode(ExistsAnswer.self, from: body))?.exists
    }

    /// `{"exists": …}` or one of its plausible spellings; only a JSON boolean counts, not 1 or "yes".
    private struct ExistsAnswer: Decodable {
        var exists: Bool?

        struct Key: CodingKey {
            var stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: Key.self)
            exists =
                ["exists", "userExists", "user_exists"].lazy.compactMap { try? container.decodeIfPresent(Bool.self, forKey: Key(stringValue: $0)) }
                .first
        }
    }

    /// One poll of the token endpoint for a login in the poll variant. Throws `.authorizationPending`
    /// while the customer has not confirmed and `.slowDown` when polled too fast.
    public func pollToken(authReqID: String, interval: Int = 5) async throws(VippsLoginError) -> TokenResponse {
        try await token(
            fields: [("grant_type", "urn:openid:params:grant-type:ciba"), ("auth_req_id", authReqID)],
            pollInterval: TimeInterval(interval))
    }

    /// Polls until the login completes, honouring `interval` and `slow_down`; ends with the tokens or the
    /// login's failure (`.accessDenied`, `.expiredToken`, …).
    public func waitForToken(
        _ login: BackchannelLogin, sleep: @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) }
    )
        async throws(VippsLoginError) -> TokenResponse
    {
        var interval = TimeInterval(max(1, login.interval))
        while true {
            do {
                try await sleep(.seconds(interval))
            } catch {
                throw .transport("cancelled")
            }
            do {
                return try await pollToken(authReqID: login.authReqID, interval: Int(interval))
            } catch .authorizationPending {
                continue
            } catch .slowDown(let slower) {
                interval = max(slower, interval + 5)
            }
        }
    }

    /// Exchanges the code from the phone's redirect (`urn:vipps:params:grant-type:ciba-redirect`).
    /// Single use: a failed or timed-out exchange is never repeated with the same code.
    public func exchangeRedirectCode(_ code: String) async throws(VippsLoginError) -> TokenResponse {
        try await token(fields: [("grant_type", "urn:vipps:params:grant-type:ciba-redirect"), ("code", code)])
    }

    // MARK: Browser flow

    /// The authorization URL for the browser flow, with fresh `state`, `nonce` and a PKCE S256 challenge.
    public func authorizationRequest(redirectURI: URL, scopes: [String]) async throws(VippsLoginError) -> AuthorizationRequest {
        let endpoint = try await metadata.document().authorizationEndpoint
        let state = PKCE.randomToken(bytes: 16)
        let nonce = PKCE.randomToken(bytes: 16)
        let verifier = PKCE.randomToken()
        var components = URLComponents(url: endpoint, resolvingAgainstBaseURL: false)!
        components.queryItems = [
            URLQueryItem(name: "client_id", value: configuration.clientID),
            URLQueryItem(name: "response_type", value: "code"),
            URLQueryItem(name: "scope", value: (scopes.contains("openid") ? scopes : ["openid"] + scopes).joined(separator: " ")),
            URLQueryItem(name: "state", value: state),
            URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "redirect_uri", value: redirectURI.absoluteString),
            URLQueryItem(name: "code_challenge", value: PKCE.challenge(for: verifier)),
            URLQueryItem(name: "code_challenge_method", value: "S256"),
        ]
        return AuthorizationRequest(url: components.url!, state: state, nonce: nonce, codeVerifier: verifier)
    }

    /// Exchanges a browser-flow code with its PKCE verifier.
    public func exchangeAuthorizationCode(_ code: String, redirectURI: URL, codeVerifier: String) async throws(VippsLoginError) -> TokenResponse {
        try await token(fields: [
            ("grant_type", "authorization_code"), ("code", code),
            ("redirect_uri", redirectURI.absoluteString), ("code_verifier", codeVerifier),
        ])
    }

    // MARK: Tokens and userinfo

    /// Verifies an ID token; pass the `nonce` that was sent and, for logins from phone number, the `auth_req_id`.
    public func verifyIDToken(_ token: String, nonce: String? = nil, authReqID: String? = nil) async throws(VippsLoginError) -> IDTokenClaims {
        try await verifier.verify(token, nonce: nonce, authReqID: authReqID)
    }

    /// Reads userinfo with the access token and checks it belongs to the ID token's `sub`.
    public func userInfo(accessToken: String, expectedSubject: String) async throws(VippsLoginError) -> UserInfo {
        var request = OutboundRequest(get: try await metadata.document().userinfoEndpoint, headers: configuration.systemHeaders)
        request.setHeader("Authorization", "Bearer " + accessToken)
        let answer = try await transport.send(request)
        guard answer.status == 200 else { throw answer.error() }
        let info: UserInfo
        do {
            info = try UserInfo.decode(answer.body)
        } catch {
            throw .badResponse("userinfo is not valid JSON of the documented shape")
        }
        guard info.sub == expectedSubject else { throw .subjectMismatch }
        return info
    }

    private func token(fields: [(String, String)], pollInterval: TimeInterval = 5) async throws(VippsLoginError) -> TokenResponse {
        let endpoint = try await metadata.document().tokenEndpoint
        let answer = try await transport.send(authenticatedPOST(endpoint, fields: fields))
        guard answer.status == 200 else { throw answer.error(pollInterval: pollInterval) }
        return try decode(TokenResponse.self, from: answer, what: "the token answer")
    }

    // MARK: Requests

    /// A form POST with the client's credentials as configured (Basic header, or in the body).
    func authenticatedPOST(_ url: URL, fields: [(String, String)]) -> OutboundRequest {
        var request = OutboundRequest(method: "POST", url: url.absoluteString)
        request.setHeader("Content-Type", "application/x-www-form-urlencoded")
        var fields = fields
        switch configuration.tokenAuthMethod {
        case .clientSecretBasic:
            let credentials = FormEncoding.encode(configuration.clientID) + ":" + FormEncoding.encode(configuration.clientSecret)
            request.setHeader("Authorization", "Basic " + Data(credentials.utf8).base64EncodedString())
        case .clientSecretPost:
            fields += [("client_id", configuration.clientID), ("client_secret", configuration.clientSecret)]
        }
        if let msn = configuration.merchantSerialNumber { request.setHeader("Merchant-Serial-Number", msn) }
        for (name, value) in configuration.systemHeaders.sorted(by: { $0.key < $1.key }) { request.setHeader(name, value) }
        request.body = Array(FormEncoding.form(fields).utf8)
        return request
    }

    private func decode<T: Decodable>(_ type: T.Type, from answer: HTTPAnswer, what: String) throws(VippsLoginError) -> T {
        do {
            return try JSONDecoder().decode(T.self, from: answer.body)
        } catch {
            throw .badResponse("\(what) is not the documented JSON")
        }
    }
}

/// `application/x-www-form-urlencoded`, as RFC 6749 §2.3.1 also asks for the Basic credentials.
enum FormEncoding {
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func encode(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? text
    }

    static func form(_ fields: [(String, String)]) -> String {
        fields.map { encode($0.0) + "=" + encode($0.1) }.joined(separator: "&")
    }
}

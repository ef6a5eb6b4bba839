import Foundation
import HTTPServer
import Logging
import Storage
import VippsLogin

/// The browser flow for returning members (`/login`): authorization code with `state`, PKCE S256 and
/// `nonce`, bound to a short-lived cookie of the browser that started it, so a callback carried to
/// another browser (login CSRF) does not land.
struct BrowserLogin: Sendable {
    static let cookieName = "velkommen_login"
    static let lifetime: TimeInterval = 600

    let client: VippsLoginClient?
    let sessions: SessionStore
    let landing: Landing
    let callbackURL: URL
    let secure: Bool
    let logger: Logger

    /// `GET /login`: off to Vipps.
    func start(_ request: HTTPRequest) async throws -> HTTPResponse? {
        guard let client else { return nil }
        let authorization = try await client.authorizationRequest(redirectURI: callbackURL, scopes: LoginStarter.scopes)
        let binding = Tokens.random()
        try await sessions.saveBrowserLogin(state: authorization.state, bindingHash: Tokens.sha256Hex(binding), nonce: authorization.nonce,
                                            codeVerifier: authorization.codeVerifier, expiresAt: Date().addingTimeInterval(Self.lifetime))
        var response = HTTPResponse.redirect(to: authorization.url.absoluteString, status: .found)
        response.setCookie(SetCookie(name: Self.cookieName, value: binding, maxAge: Int(Self.lifetime), secure: secure, httpOnly: true, sameSite: .lax))
        return response
    }

    func finish(code: String, state: String, request: HTTPRequest) async -> CallbackOutcome {
        guard let client, let binding = request.cookies[Self.cookieName], state.count < 512 else { return .failed(.browserLoginInvalid) }
        do {
            guard let login = try await sessions.takeBrowserLogin(state: state, bindingHash: Tokens.sha256Hex(binding)) else {
                return .failed(.browserLoginInvalid)
            }
            let tokens = try await client.exchangeAuthorizationCode(code, redirectURI: callbackURL, codeVerifier: login.codeVerifier)
            let claims = try await client.verifyIDToken(tokens.idToken, nonce: login.nonce)
            let info = try await client.userInfo(accessToken: tokens.accessToken, expectedSubject: claims.sub)
            try await landing.record(info, request: nil, source: "login", at: Date())
            return .landed(sub: claims.sub, loginRequestID: nil)
        } catch let error as VippsLoginError {
            logger.warning("browser login failed: \(Callback.problem(for: error).rawValue)")
            return .failed(Callback.problem(for: error))
        } catch {
            logger.error("browser login: storing failed: \(String(reflecting: type(of: error)))")
            return .failed(.vippsUnavailable)
        }
    }
}

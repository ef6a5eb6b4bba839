import Foundation
import HTTPServer
import Logging
import Storage
import VippsLogin

/// The browser flow for returning members (`/login`): authorization code with `state`, PKCE S256 and
/// `nonce`. Those three travel in a sealed, short-lived cookie of the browser that started it: a
/// callback carried to another browser (login CSRF) does not land, and an anonymous `GET /login`
/// writes nothing to the database.
struct BrowserLogin: Sendable {
    static let lifetime: TimeInterval = 600
    /// Staff login needs to know who it is and their phone number (to match `staff add --phone`), nothing more.
    static let staffScopes = ["openid", "name", "phoneNumber"]

    /// `velkommen_login` for members, `velkommen_staff_login` for staff: two flows never share a binding.
    let cookieName: String
    /// What Vipps is asked for: a member's profile, or for staff only who they are.
    let scopes: [String]
    let client: VippsLoginClient?
    let sealer: Sealer
    /// Where a `state` is spent: a callback with it reaches Vipps once, however often it is replayed.
    let spent: SpentTokenStore
    let landing: Landing
    let callbackURL: URL
    let secure: Bool
    let logger: Logger

    /// What the callback needs from the start, sealed in the cookie.
    struct Pending: Codable {
        var state: String
        var nonce: String
        var codeVerifier: String
    }

    /// `GET /login`: off to Vipps.
    func start(_ request: HTTPRequest) async throws -> HTTPResponse? {
        guard let client else { return nil }
        let authorization = try await client.authorizationRequest(redirectURI: callbackURL, scopes: scopes)
        let pending = Pending(state: authorization.state, nonce: authorization.nonce, codeVerifier: authorization.codeVerifier)
        let sealed = try sealer.seal(pending, purpose: cookieName, lifetime: Self.lifetime)
        var response = HTTPResponse.redirect(to: authorization.url.absoluteString, status: .found)
        response.setCookie(SetCookie(name: cookieName, value: sealed, maxAge: Int(Self.lifetime), secure: secure, httpOnly: true, sameSite: .lax))
        return response
    }

    func finish(code: String, state: String, request: HTTPRequest) async -> CallbackOutcome {
        switch await verify(code: code, state: state, request: request) {
        case .failure(let problem):
            return .failed(problem)
        case .success(let info):
            do {
                let changes = try await landing.record(info, request: nil, source: "login", at: Date())
                return .landed(sub: info.sub, loginRequestID: nil, consentChanges: changes)
            } catch {
                logger.error("browser login: storing failed: \(String(reflecting: type(of: error)))")
                return .failed(.vippsUnavailable)
            }
        }
    }

    /// Checks the callback against the login this browser started (state, then PKCE and nonce at the
    /// exchange) and returns the user's verified userinfo. The state is spent before the code goes to
    /// Vipps: a replay of the callback with the same cookie (for the cookie's 10 minutes) stops here.
    func verify(code: String, state: String, request: HTTPRequest) async -> Result<UserInfo, CallbackProblem> {
        guard let client, let sealed = request.cookie(cookieName), state.count < 512,
            let login = sealer.open(sealed, as: Pending.self, purpose: cookieName), Tokens.constantTimeEquals(login.state, state)
        else {
            return .failure(.browserLoginInvalid)
        }
        do {
            guard try await spent.spend(Tokens.sha256Hex(cookieName + "\n" + login.state), until: Date().addingTimeInterval(Self.lifetime)) else {
                logger.warning("browser login: a callback with a state that was used before")
                return .failure(.browserLoginInvalid)
            }
        } catch {
            logger.error("browser login: recording the state failed: \(String(reflecting: type(of: error)))")
            return .failure(.vippsUnavailable)
        }
        do {
            let tokens = try await client.exchangeAuthorizationCode(code, redirectURI: callbackURL, codeVerifier: login.codeVerifier)
            let claims = try await client.verifyIDToken(tokens.idToken, nonce: login.nonce)
            return .success(try await client.userInfo(accessToken: tokens.accessToken, expectedSubject: claims.sub))
        } catch {
            // The client's calls throw only VippsLoginError (typed throws).
            logger.warning("browser login failed: \(Callback.problem(for: error).rawValue): \(error)")
            return .failure(Callback.problem(for: error))
        }
    }
}

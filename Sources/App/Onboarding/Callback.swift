import Foundation
import HTTPServer
import Logging
import Storage
import VippsLogin

/// `GET /callback`: where Vipps sends the customer's browser. Three shapes:
/// - `?code=…` from a login from phone number (no state, usually no cookie): the code is exchanged
///   once, the ID token's `auth_req_id` must name an open login request of ours;
/// - `?code=…&state=…` from the browser flow started at `/login`: state, nonce and PKCE checked;
/// - `?error=…`: a page that says what happened.
/// Success is a 303 to `/welcome` with a new session, so the code leaves the address bar.
struct Callback: Sendable {
    let client: VippsLoginClient?
    let requests: LoginRequestStore
    let sessions: MemberSession
    let landing: Landing
    let exchanges: CodeExchanges
    let browserLogins: BrowserLogin
    let signedInCache: SignedInCache
    let switcher: MemberSwitch
    let notices: ConsentNotices
    let logger: Logger
    /// How long a reload of the callback, in the browser that landed, still goes to the welcome page.
    static let replayWindow: TimeInterval = 600

    func handle(_ request: HTTPRequest, pages: CallbackPages) async throws -> HTTPResponse {
        if let error = request.queryValue("error") {
            return try pages.problem(error == "access_denied" ? .accessDenied : .vippsError, for: request, vippsError: error)
        }
        guard let code = request.queryValue("code"), !code.isEmpty, code.count < 2048 else {
            return try pages.problem(.codeInvalid, for: request)
        }
        let codeHash = Tokens.sha256Hex(code)
        let outcome: CallbackOutcome
        // Whose session the browser already holds: a reload of a used code is fine there and nowhere else.
        let holder = try? await sessions.current(request)?.memberSub
        if let state = request.queryValue("state") {
            outcome = await browserLogins.finish(code: code, state: state, request: request)
        } else {
            outcome = await exchanges.run(codeHash: codeHash) { await landPhoneLogin(code: code, codeHash: codeHash, holder: holder) }
        }
        switch outcome {
        case .failed(let problem):
            landing.metrics.loginFailed(problem.rawValue)
            return try pages.problem(problem, for: request)
        case .landed(let sub, let loginRequestID, let changes) where sub == holder:
            // The member logged in again in a browser that already holds their session: it goes on.
            if let loginRequestID, let idHash = sessions.idHash(request) {
                try await sessions.store.oweLanding(idHash: idHash, requestID: loginRequestID)
                signedInCache.forget(idHash: idHash)
            }
            var response = HTTPResponse.redirect(to: "/welcome")
            if let notice = try notices.cookie(changes) { response.setCookie(notice) }
            response.headers.set("Referrer-Policy", "no-referrer")
            return response
        case .landed(let sub, let loginRequestID, let changes):
            // The browser flow's state proves this browser started the login itself; a phone login's
            // link could have been sent to it by anyone.
            if let holder, let loginRequestID, request.queryValue("state") == nil {
                return try await switcher.ask(current: holder, next: sub, loginRequestID: loginRequestID, request: request)
            }
            return try await signIn(sub: sub, loginRequestID: loginRequestID, consentChanges: changes)
        }
    }

    /// `POST /callback/switch`: the browser answered yes to continuing as the member who just landed.
    func confirmSwitch(_ request: HTTPRequest, pages: CallbackPages) async throws -> HTTPResponse {
        switch try await switcher.answer(request) {
        case .nothingPending:
            return try pages.problem(.codeInvalid, for: request)
        case .spent:
            var response = try pages.problem(.switchSpent, for: request)
            response.setCookie(switcher.spent)
            return response
        case .badToken:
            return try pages.views.problem("csrf", in: VisitorLanguage.resolve(request).language, status: .forbidden)
        case .confirmed(let pending):
            if let idHash = sessions.idHash(request) { try await sessions.store.delete(idHash: idHash) }
            var response = try await signIn(sub: pending.sub, loginRequestID: pending.loginRequestID)
            response.setCookie(switcher.spent)
            return response
        }
    }

    /// A new session for `sub`, and off to the welcome page (which records the landing for the till).
    private func signIn(sub: String, loginRequestID: String?, consentChanges: [String: Bool] = [:]) async throws -> HTTPResponse {
        let (cookie, _) = try await sessions.start(sub: sub, landingRequestID: loginRequestID)
        var response = HTTPResponse.redirect(to: "/welcome")
        response.setCookie(cookie)
        if let notice = try notices.cookie(consentChanges) { response.setCookie(notice) }
        response.headers.set("Referrer-Policy", "no-referrer")
        return response
    }

    /// The redirect variant: a used code lands only a reload in the browser it landed (`holder`); a
    /// copy of the address elsewhere is a used-up link. Else exchange and verify.
    private func landPhoneLogin(code: String, codeHash: String, holder: String?) async -> CallbackOutcome {
        do {
            if let earlier = try await requests.find(codeHash: codeHash) {
                guard let sub = earlier.memberSub, sub == holder, let confirmed = earlier.confirmedAt,
                    Date().timeIntervalSince(confirmed) < Self.replayWindow
                else { return .failed(.codeInvalid) }
                return .landed(sub: sub, loginRequestID: earlier.id, consentChanges: [:])
            }
            guard let client else { return .failed(.vippsUnavailable) }
            let tokens = try await client.exchangeRedirectCode(code)
            let claims = try await client.verifyIDToken(tokens.idToken)
            if let authReqID = claims.authReqID, let cancelled = try await requests.find(authReqID: authReqID),
                cancelled.failure == LoginRequestStore.cancelledAtTill
            {
                // Vipps has no way to withdraw a push: the customer may confirm what the till cancelled.
                return .failed(.cancelledAtTill)
            }
            guard let authReqID = claims.authReqID, let loginRequest = try await requests.find(authReqID: authReqID),
                loginRequest.status(at: Date()) == .pending
            else {
                logger.warning("callback: ID token for a login that is unknown here or no longer open")
                return .failed(.foreignLogin)
            }
            // The claim is the gate across instances: one callback per login lands, whichever instance has it.
            guard try await requests.claim(codeHash: codeHash, authReqID: authReqID) else { return .failed(.codeInvalid) }
            let info = try await client.userInfo(accessToken: tokens.accessToken, expectedSubject: claims.sub)
            let changes = try await landing.record(info, request: loginRequest, source: "login", at: Date())
            return .landed(sub: claims.sub, loginRequestID: loginRequest.id, consentChanges: changes)
        } catch let error as VippsLoginError {
            // Which check refused it (audience, issuer, expiry, key, signature, nonce, auth_req_id,
            // userinfo sub), never the token or the code.
            logger.warning("callback failed: \(Self.problem(for: error).rawValue): \(error)")
            return .failed(Self.problem(for: error))
        } catch {
            logger.error("callback: storing the login failed: \(String(reflecting: type(of: error)))")
            return .failed(.vippsUnavailable)
        }
    }

    static func problem(for error: VippsLoginError) -> CallbackProblem {
        switch error {
        case .invalidGrant, .expiredToken: .codeInvalid
        case .timeout, .transport, .serverError, .rateLimited: .vippsUnavailable
        case .invalidIDToken, .subjectMismatch, .badResponse: .verificationFailed
        case .accessDenied: .accessDenied
        default: .vippsError
        }
    }

}

import Foundation
import HTTPServer
import Storage

/// A browser signed in as one member that opens another member's fresh callback link (someone else's
/// login, sent to it) is asked before it changes hands: "You are signed in as A. Continue as B?". The
/// answer is a POST carrying a token that lives only in this browser's sealed, same-site cookie, so a
/// link or another site can never switch a browser silently. The token's hash is also kept on the
/// login request it was asked for, and answering clears it: the cookie is good for that login only,
/// once, and never after the login's callback window (a replayed cookie is refused with a page).
struct MemberSwitch: Sendable {
    static let cookieName = "velkommen_switch"
    static let path = "/callback/switch"
    static let lifetime: TimeInterval = 600

    /// The landing that waits for the answer.
    struct Pending: Codable {
        var sub: String
        var loginRequestID: String?
        var csrf: String
    }

    let sealer: Sealer
    let members: MemberStore
    let requests: LoginRequestStore
    let views: Views
    let secure: Bool

    func ask(current: String, next: String, loginRequestID: String, request: HTTPRequest) async throws -> HTTPResponse {
        let language = VisitorLanguage.resolve(request).language
        let pending = Pending(sub: next, loginRequestID: loginRequestID, csrf: Tokens.random(bytes: 24))
        try await requests.offerSwitch(id: loginRequestID, sub: next, tokenHash: Tokens.sha256Hex(pending.csrf))
        var response = try views.page(
            "pages/switch-member", in: language,
            [
                "current": try await displayName(current), "next": try await displayName(next), "csrf": pending.csrf,
            ])
        response.setCookie(
            SetCookie(
                name: Self.cookieName, value: try sealer.seal(pending, purpose: Self.cookieName, lifetime: Self.lifetime),
                path: Self.path, maxAge: Int(Self.lifetime), secure: secure, httpOnly: true, sameSite: .strict))
        response.headers.set("Referrer-Policy", "no-referrer")
        response.headers.set("Cache-Control", "no-store")
        return response
    }

    enum Answer {
        case confirmed(Pending)
        /// No question open in this browser (answered already, expired, or never asked).
        case nothingPending
        case badToken
        /// The cookie was answered before, or was not asked for the login it names (replayed or carried
        /// off): the server's record of the question does not take it.
        case spent
    }

    func answer(_ request: HTTPRequest, now: Date = Date()) async throws -> Answer {
        guard let sealed = request.cookie(Self.cookieName),
            let pending = sealer.open(sealed, as: Pending.self, purpose: Self.cookieName)
        else { return .nothingPending }
        guard CSRF.isValid(request.formFields(), expected: pending.csrf) else { return .badToken }
        guard let loginRequestID = pending.loginRequestID,
            try await requests.takeSwitch(
                id: loginRequestID, sub: pending.sub, tokenHash: Tokens.sha256Hex(pending.csrf),
                confirmedAfter: now.addingTimeInterval(-Callback.replayWindow))
        else { return .spent }
        return .confirmed(pending)
    }

    var spent: SetCookie { SetCookie.expired(Self.cookieName, path: Self.path, secure: secure) }

    private func displayName(_ sub: String) async throws -> String {
        let profile = try await members.find(sub: sub)?.profile
        return profile?.name ?? profile?.givenName ?? "?"
    }
}

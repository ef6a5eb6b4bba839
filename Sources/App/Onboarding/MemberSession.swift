import Foundation
import HTTPServer
import Storage

/// The member's session cookie: HttpOnly, SameSite=Lax, Secure under https, 30 days, renewed at each
/// login. The database keeps only a hash of its value.
struct MemberSession: Sendable {
    static let cookieName = "velkommen_session"
    static let lifetime: TimeInterval = 30 * 24 * 3600

    let store: SessionStore
    let secure: Bool

    /// Starts a session for `sub`, owing the landing of the till's login `landingRequestID` when there
    /// is one; returns the cookie to set and the session.
    func start(sub: String, landingRequestID: String? = nil, at time: Date = Date()) async throws -> (SetCookie, Session) {
        let value = Tokens.random()
        let session = Session(
            idHash: Tokens.sha256Hex(value), memberSub: sub, csrfToken: Tokens.random(bytes: 24),
            expiresAt: time.addingTimeInterval(Self.lifetime), landingRequestID: landingRequestID)
        try await store.start(session, at: time)
        return (SetCookie(name: Self.cookieName, value: value, maxAge: Int(Self.lifetime), secure: secure, httpOnly: true, sameSite: .lax), session)
    }

    /// The request's session, if its cookie names a live one.
    func current(_ request: HTTPRequest) async throws -> Session? {
        guard let idHash = idHash(request) else { return nil }
        return try await store.find(idHash: idHash)
    }

    /// The stored form of the request's session cookie, if it has a plausible one.
    func idHash(_ request: HTTPRequest) -> String? {
        guard let value = request.cookie(Self.cookieName), !value.isEmpty, value.count < 200 else { return nil }
        return Tokens.sha256Hex(value)
    }

    func end(_ request: HTTPRequest) async throws -> SetCookie {
        if let value = request.cookie(Self.cookieName) { try await store.delete(idHash: Tokens.sha256Hex(value)) }
        return SetCookie.expired(Self.cookieName, secure: secure)
    }
}

import Content
import Foundation
import HTTPServer
import Storage

/// Staff sessions and role checks. The staff cookie is separate from the member's and lives 8 hours.
/// The route table puts each staff route behind `RequireStaff`, which asks `require(_:)` before the
/// handler runs and hands it the session.
struct StaffAccess: Sendable {
    static let cookieName = "velkommen_staff"
    static let lifetime: TimeInterval = 8 * 3600

    let store: StaffStore
    let views: Views
    let secure: Bool

    /// A page to show instead of the handler's: the login for no session, 403 for the wrong role.
    struct Denied: Error, HTTPResponseConvertible {
        let response: HTTPResponse
    }

    func current(_ request: HTTPRequest) async throws -> StaffSession? {
        guard let value = request.cookie(Self.cookieName), !value.isEmpty, value.count < 200 else { return nil }
        return try await store.session(idHash: Tokens.sha256Hex(value))
    }

    /// The staff session if its role is admin or one of `roles`; throws the login redirect or a 403 page.
    func require(_ roles: Set<StaffMember.Role>, _ request: HTTPRequest) async throws -> StaffSession {
        guard let session = try await current(request) else {
            throw Denied(response: .redirect(to: "/admin/login"))
        }
        guard session.staff.role == .admin || roles.contains(session.staff.role) else {
            let language = VisitorLanguage.resolve(request).language
            throw Denied(response: try views.problem("staff_forbidden", in: language, status: .forbidden))
        }
        return session
    }

    /// Checks a staff form's CSRF token; throws a 403 page when it is missing or wrong.
    func checkCSRF(_ form: URLEncodedForm?, _ session: StaffSession, _ request: HTTPRequest) throws {
        guard CSRF.isValid(form, expected: session.csrfToken) else {
            let language = VisitorLanguage.resolve(request).language
            throw Denied(response: try views.problem("csrf", in: language, status: .forbidden))
        }
    }

    func start(_ staff: StaffMember) async throws -> SetCookie {
        let value = Tokens.random()
        try await store.startSession(
            staffID: staff.id, idHash: Tokens.sha256Hex(value), csrfToken: Tokens.random(bytes: 24),
            expiresAt: Date().addingTimeInterval(Self.lifetime))
        return SetCookie(name: Self.cookieName, value: value, maxAge: Int(Self.lifetime), secure: secure, httpOnly: true, sameSite: .lax)
    }

    func end(_ request: HTTPRequest) async throws -> SetCookie {
        if let value = request.cookie(Self.cookieName) { try await store.endSession(idHash: Tokens.sha256Hex(value)) }
        return SetCookie.expired(Self.cookieName, secure: secure)
    }
}

import Foundation
import HTTPServer
import Logging
import Storage
import VippsLogin

/// Staff log in with Vipps (the browser flow, to `/admin/callback`). The first login is matched to
/// `velkommen staff add --phone …` by the phone number Vipps reports; later logins by `sub`.
struct StaffLogin: Sendable {
    let flow: BrowserLogin
    let access: StaffAccess
    let store: StaffStore
    let pages: CallbackPages
    let logger: Logger

    func start(_ request: HTTPRequest) async throws -> HTTPResponse? {
        try await flow.start(request)
    }

    func callback(_ request: HTTPRequest) async throws -> HTTPResponse {
        guard let code = request.queryValue("code"), let state = request.queryValue("state") else {
            return try pages.problem(request.queryValue("error") == "access_denied" ? .accessDenied : .browserLoginInvalid, for: request)
        }
        switch await flow.verify(code: code, state: state, request: request) {
        case .failure(let problem):
            return try pages.problem(problem, for: request)
        case .success(let info):
            guard let staff = try await store.loggedIn(sub: info.sub, phone: info.phoneNumber, name: info.name) else {
                logger.warning("staff login by someone who is not staff")
                return try pages.problem(.notStaff, for: request)
            }
            try await store.audit(staff, action: "login", detail: "")
            var response = HTTPResponse.redirect(to: "/admin")
            response.setCookie(try await access.start(staff))
            response.headers.set("Referrer-Policy", "no-referrer")
            return response
        }
    }
}

import Content
import Foundation
import HTTPServer
import Logging
import Storage

/// `GET /welcome`: keeps a member's language choice, marks the till's login as landed the first time
/// the member arrives, tells of consents a login changed, and shows the page.
struct WelcomeRoute: Sendable {
    let customer: CustomerPages
    let visitors: Visitors
    let members: MemberStore
    let sessions: SessionStore
    let cache: SignedInCache
    let notices: ConsentNotices
    let metrics: AppMetrics
    let logger: Logger

    func handle(_ request: HTTPRequest) async throws -> HTTPResponse {
        var signedIn = try await visitors.signedIn(request)
        if let current = signedIn, let asked = request.queryValue("lang").flatMap(Language.init(rawValue:)), current.language != asked {
            // A member's language choice is kept with the member, for every device.
            try await members.setLanguage(asked.rawValue, sub: current.member.profile.sub)
            signedIn = try await visitors.signedIn(request)
        }
        if let signedIn, signedIn.session.landingRequestID != nil {
            do {
                if try await sessions.recordLanding(signedIn.session) { metrics.login("landed") }
                cache.forget(idHash: signedIn.session.idHash)
            } catch let error as DatabaseUnavailable {
                // The customer's page matters more than the till's "landed" tick: the session still owes
                // it, and the next view records it.
                logger.warning("GET /welcome: the landing is not recorded yet, database unavailable (\(error.underlying.code))")
            }
        }
        let changes = signedIn == nil ? nil : notices.pending(request)
        var response = try customer.welcome(request, signedIn: signedIn, consentChanges: changes)
        if changes != nil { response.setCookie(notices.spent) }
        return response
    }
}

import Foundation
import HTTPServer
import Storage

extension VelkommenApp {
    /// `/preferences`, `/card` and `/me` (with export and delete): for signed-in members; others are sent to log in.
    func addMemberRoutes(to router: inout Router, visitors: Visitors, errors: ErrorPages) throws {
        let preferences = PreferencesPage(book: questions, answers: AnswerStore(pool: database), pool: database, views: views, metrics: metrics)
        let myData = MyDataPage(members: MemberStore(pool: database), answers: AnswerStore(pool: database), ledger: ledger, sessions: memberSession, cache: signedInCache, views: views,
                                book: questions)
        let signIn: @Sendable (HTTPRequest, (SignedIn) async throws -> HTTPResponse) async throws -> HTTPResponse = { request, body in
            guard let signedIn = try await visitors.signedIn(request) else { return .redirect(to: "/login") }
            return try await body(signedIn)
        }
        router.get("/preferences") { request in try await signIn(request) { try await preferences.show(request, signedIn: $0) } }
        router.post("/preferences", maxBodyBytes: 16 * 1024) { request in try await signIn(request) { try await preferences.save(request, signedIn: $0) } }
        let card = MemberCardPage(views: views)
        router.get("/card") { request in try await signIn(request) { try card.show(request, signedIn: $0) } }
        router.get("/me") { request in try await signIn(request) { try await myData.show(request, signedIn: $0) } }
        router.get("/me/export") { request in try await signIn(request) { try await myData.export(request, signedIn: $0) } }
        router.post("/me/consents", maxBodyBytes: 1024) { request in try await signIn(request) { try await myData.changeConsent(request, signedIn: $0) } }
        router.post("/me/delete", maxBodyBytes: 4096) { request in try await signIn(request) { try await myData.delete(request, signedIn: $0) } }
    }
}

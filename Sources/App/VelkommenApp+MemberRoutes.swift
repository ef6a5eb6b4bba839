import Foundation
import HTTPServer
import Storage

extension VelkommenApp {
    /// `/preferences`, `/card` and `/me` (with export and delete): for signed-in members; others are sent to log in.
    func addMemberRoutes(to router: inout Router) {
        let visitors = visitors
        let preferences = PreferencesPage(book: questions, answers: AnswerStore(pool: database), views: views, metrics: metrics)
        let myData = MyDataPage(
            members: MemberStore(pool: database), answers: AnswerStore(pool: database), ledger: ledger, agreements: AgreementStore(pool: database),
            sessions: memberSession, views: views, book: questions, limits: limits, stores: stores, mapping: consentMapping,
            offers: WelcomeOfferStore(pool: database))
        let card = MemberCardPage(views: views, wallet: wallet, offers: welcomeOffers)
        router.group("", RequireMember(visitors: visitors)) { member in
            member.get("/preferences") { try await preferences.show($0, signedIn: try $0.signedIn) }
            member.post("/preferences", maxBodyBytes: 16 * 1024) { try await preferences.save($0, signedIn: try $0.signedIn) }
            member.get("/card") { try await card.show($0, signedIn: try $0.signedIn) }
            member.get("/me") { try await myData.show($0, signedIn: try $0.signedIn) }
            member.get("/me/export") { try await myData.export($0, signedIn: try $0.signedIn) }
            member.post("/me/consents", maxBodyBytes: 1024) { try await myData.changeConsent($0, signedIn: try $0.signedIn) }
            member.post("/me/delete", maxBodyBytes: 4096) { try await myData.delete($0, signedIn: try $0.signedIn) }
        }
    }
}
